-- Shared by every agency store: what the needs indicators are evaluated against.

-- The mesh household of each of the agency's people, as the index placed them at linkage
-- (written by `mesh link` after the crosswalk): the agency answers cohort and aggregate
-- questions with pseudonymous household ids, never its own local ids or identities.
CREATE TABLE mesh_household_member (
    mesh_id       text PRIMARY KEY,
    household_id  text NOT NULL
);
CREATE INDEX mesh_household_member_household ON mesh_household_member (household_id);

-- Which local authority a record's postcode district lies in (ONS postcode directory in a
-- real deployment; districts are enough for the synthetic Greater Manchester).
-- A view over constants, so that reloading an agency's tables never empties it.
CREATE VIEW mesh_postcode_district (district, local_authority) AS VALUES
    ('BL1', 'Bolton'),
    ('BL2', 'Bolton'),
    ('BL3', 'Bolton'),
    ('BL4', 'Bolton'),
    ('BL5', 'Bolton'),
    ('BL6', 'Bolton'),
    ('BL7', 'Bolton'),
    ('BL0', 'Bury'),
    ('BL8', 'Bury'),
    ('BL9', 'Bury'),
    ('M25', 'Bury'),
    ('M26', 'Bury'),
    ('M45', 'Bury'),
    ('M1', 'Manchester'),
    ('M4', 'Manchester'),
    ('M8', 'Manchester'),
    ('M9', 'Manchester'),
    ('M11', 'Manchester'),
    ('M12', 'Manchester'),
    ('M13', 'Manchester'),
    ('M14', 'Manchester'),
    ('M15', 'Manchester'),
    ('M16', 'Manchester'),
    ('M18', 'Manchester'),
    ('M19', 'Manchester'),
    ('M20', 'Manchester'),
    ('M21', 'Manchester'),
    ('M22', 'Manchester'),
    ('M23', 'Manchester'),
    ('M40', 'Manchester'),
    ('OL1', 'Oldham'),
    ('OL2', 'Oldham'),
    ('OL3', 'Oldham'),
    ('OL4', 'Oldham'),
    ('OL8', 'Oldham'),
    ('OL9', 'Oldham'),
    ('M35', 'Oldham'),
    ('OL10', 'Rochdale'),
    ('OL11', 'Rochdale'),
    ('OL12', 'Rochdale'),
    ('OL15', 'Rochdale'),
    ('OL16', 'Rochdale'),
    ('M24', 'Rochdale'),
    ('M3', 'Salford'),
    ('M5', 'Salford'),
    ('M6', 'Salford'),
    ('M7', 'Salford'),
    ('M27', 'Salford'),
    ('M28', 'Salford'),
    ('M30', 'Salford'),
    ('M38', 'Salford'),
    ('M44', 'Salford'),
    ('M50', 'Salford'),
    ('SK1', 'Stockport'),
    ('SK2', 'Stockport'),
    ('SK3', 'Stockport'),
    ('SK4', 'Stockport'),
    ('SK5', 'Stockport'),
    ('SK6', 'Stockport'),
    ('SK7', 'Stockport'),
    ('SK8', 'Stockport'),
    ('OL5', 'Tameside'),
    ('OL6', 'Tameside'),
    ('OL7', 'Tameside'),
    ('SK14', 'Tameside'),
    ('SK15', 'Tameside'),
    ('SK16', 'Tameside'),
    ('M34', 'Tameside'),
    ('M43', 'Tameside'),
    ('M17', 'Trafford'),
    ('M31', 'Trafford'),
    ('M32', 'Trafford'),
    ('M33', 'Trafford'),
    ('M41', 'Trafford'),
    ('WA14', 'Trafford'),
    ('WA15', 'Trafford'),
    ('WN1', 'Wigan'),
    ('WN2', 'Wigan'),
    ('WN3', 'Wigan'),
    ('WN4', 'Wigan'),
    ('WN5', 'Wigan'),
    ('WN6', 'Wigan'),
    ('WN7', 'Wigan'),
    ('M29', 'Wigan'),
    ('M46', 'Wigan'),
    ('WA3', 'Wigan');

-- The day the agency's data stands at (an extract's date); none: today. Indicators with a
-- time window ("within 365 days") count back from it.
CREATE TABLE mesh_extract (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    taken_on   date NOT NULL
);

-- The agency's needs indicators, evaluated from its facts by its catalogue (indicators.yaml)
-- and kept here between evaluations (`mesh needs refresh`, and after every `mesh link`), so a
-- household's indicators or a local authority's cohort are an index look-up, not a re-run of
-- every rule over every record. Pseudonymous: mesh ids, codes, dates and coarse attributes.
CREATE TABLE mesh_needs_indicator (
    household_id     text NOT NULL,
    person_id        text NOT NULL,
    code             text NOT NULL,
    as_of            date NOT NULL,
    local_authority  text,
    age_band         smallint
);
CREATE INDEX mesh_needs_indicator_household ON mesh_needs_indicator (household_id);
CREATE INDEX mesh_needs_indicator_authority ON mesh_needs_indicator (local_authority);

-- When the indicators were last evaluated, by which catalogue, as at which extract date.
CREATE TABLE mesh_needs_evaluation (
    singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    catalogue     text NOT NULL,
    evaluated_at  timestamptz NOT NULL DEFAULT now(),
    as_of         date NOT NULL,
    indicators    integer NOT NULL
);
