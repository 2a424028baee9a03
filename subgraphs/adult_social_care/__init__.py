"""Adult social care: clients, Care Act assessments and commissioned care packages."""
