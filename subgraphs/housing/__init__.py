"""Housing: council and ALMO tenancies, household members, rent arrears and homelessness cases."""
