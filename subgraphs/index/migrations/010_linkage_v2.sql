-- Linkage v2: one row per submitted record carrying its token set, instead of one row per token
-- (40 million rows for Greater Manchester). Each token column holds the first 8 bytes of the
-- agency's keyed hash of that kind (NULL: the record has none), enough to tell values apart;
-- the UPRN token is kept whole, as agencies look their mesh household up by it. With the date
-- the agency last confirmed the address, from which households are formed by recency.
DROP TABLE linkage_token;
ALTER TABLE linked_record
    ADD COLUMN nhs                  bigint,
    ADD COLUMN fullname_dob         bigint,
    ADD COLUMN name_dob             bigint,
    ADD COLUMN phonetic_dob         bigint,
    ADD COLUMN name_start_dob       bigint,
    ADD COLUMN forename_dob         bigint,
    ADD COLUMN name_dob_swapped     bigint,
    ADD COLUMN forename_swapped     bigint,
    ADD COLUMN dob_postcode         bigint,
    ADD COLUMN name_postcode        bigint,
    ADD COLUMN address              bigint,
    ADD COLUMN uprn                 bytea,
    ADD COLUMN address_confirmed_on date;

-- Pairs near the linking threshold, kept by reference and weight only, for clerical review:
-- an agency resolves its own references when a reviewer looks at them.
CREATE TABLE linkage_review_pair (
    run_id        bigint  NOT NULL REFERENCES linkage_run (run_id) ON DELETE CASCADE,
    agency_l      text    NOT NULL,
    record_ref_l  bytea   NOT NULL,
    agency_r      text    NOT NULL,
    record_ref_r  bytea   NOT NULL,
    match_weight  double precision NOT NULL,
    linked        boolean NOT NULL
);
CREATE INDEX linkage_review_pair_run ON linkage_review_pair (run_id);
