-- Someone the index places in no household (linkage/index_side/households.py: probably left
-- the address every record of theirs still gives) keeps their indicators, without a household:
-- they count in statistics of people, never in a household's needs or a cohort.
ALTER TABLE mesh_needs_indicator ALTER COLUMN household_id DROP NOT NULL;
