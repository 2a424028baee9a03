-- index: the centre's pseudonymous linkage. No names, dates of birth, addresses or agency
-- local ids are ever stored here: agencies submit keyed hashes (HMAC-SHA256) made with a key
-- the index does not hold, and opaque record references that only the agency can resolve.

CREATE TABLE linkage_run (
    run_id       bigserial PRIMARY KEY,
    method       text        NOT NULL,           -- e.g. 'deterministic-v1'
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    records      integer,
    persons      integer,
    households   integer,
    parameters   jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE TABLE mesh_household (
    mesh_id     text PRIMARY KEY CHECK (mesh_id ~ '^mh_[0-9a-f]{20}$'),
    run_id      bigint NOT NULL REFERENCES linkage_run (run_id),
    address_token bytea                              -- keyed hash of the UPRN the members share
);
CREATE INDEX mesh_household_address_token ON mesh_household (address_token);

CREATE TABLE mesh_person (
    mesh_id       text PRIMARY KEY CHECK (mesh_id ~ '^mp_[0-9a-f]{20}$'),
    run_id        bigint NOT NULL REFERENCES linkage_run (run_id),
    household_id  text REFERENCES mesh_household (mesh_id)
);
CREATE INDEX mesh_person_household ON mesh_person (household_id);

-- One row per agency record submitted for linkage: which mesh entity it belongs to.
CREATE TABLE linked_record (
    agency      text  NOT NULL,
    entity      text  NOT NULL CHECK (entity IN ('Person', 'Household')),
    record_ref  bytea NOT NULL,                      -- HMAC of the agency's local id
    mesh_id     text  NOT NULL,
    PRIMARY KEY (agency, entity, record_ref)
);
CREATE INDEX linked_record_mesh_id ON linked_record (mesh_id);

-- The keyed hashes an agency submitted for each record (kind: nhs, name_dob, dob_postcode, ...).
CREATE TABLE linkage_token (
    agency      text  NOT NULL,
    entity      text  NOT NULL,
    record_ref  bytea NOT NULL,
    kind        text  NOT NULL,
    token       bytea NOT NULL
);
CREATE INDEX linkage_token_token ON linkage_token (kind, token);
CREATE INDEX linkage_token_record ON linkage_token (agency, entity, record_ref);
