"""The index: pseudonymous linkage only — mesh ids, household membership, which agencies link."""
