-- truth: the synthetic population as it really is, and which agency record belongs to whom.

CREATE TABLE truth_household (
    household_id           bigint   PRIMARY KEY,
    authority              text     NOT NULL,
    uprn                   bigint   NOT NULL UNIQUE,
    address_line           text     NOT NULL,
    postcode               text     NOT NULL,
    size                   smallint NOT NULL CHECK (size > 0),
    moved_in               date     NOT NULL,
    previous_uprn          bigint   UNIQUE,
    previous_address_line  text,
    previous_postcode      text
);
CREATE INDEX truth_household_postcode_idx ON truth_household (postcode);

CREATE TABLE truth_person (
    person_id      bigint PRIMARY KEY,
    household_id   bigint NOT NULL REFERENCES truth_household (household_id),
    authority      text   NOT NULL,
    nhs_number     text   NOT NULL UNIQUE,
    given_name     text   NOT NULL,
    family_name    text   NOT NULL,
    date_of_birth  date   NOT NULL,
    sex            text   NOT NULL CHECK (sex IN ('F', 'M')),
    relationship   text   NOT NULL CHECK (relationship IN ('head', 'partner', 'child', 'other')),
    address_line   text   NOT NULL,
    postcode       text   NOT NULL,
    uprn           bigint NOT NULL
);
CREATE INDEX truth_person_household_idx ON truth_person (household_id);
CREATE INDEX truth_person_family_name_dob_idx ON truth_person (family_name, date_of_birth);

-- Exactly one true person for each person-level agency record (local_id as in mesh_identity).
CREATE TABLE truth_record (
    agency     text   NOT NULL,
    local_id   text   NOT NULL,
    person_id  bigint NOT NULL REFERENCES truth_person (person_id),
    PRIMARY KEY (agency, local_id)
);
CREATE INDEX truth_record_person_idx ON truth_record (person_id);
