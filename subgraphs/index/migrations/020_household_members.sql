-- How many people the index places in each household, kept with the household (written by
-- `mesh link`), so planners' statistics need not count every mesh person per request.
ALTER TABLE mesh_household ADD COLUMN members integer;
