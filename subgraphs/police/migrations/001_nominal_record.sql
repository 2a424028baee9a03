-- police: nominals (people known to GMP), incidents with each nominal's role, and warning markers.

CREATE TABLE nominal (
    nominal_ref    text   PRIMARY KEY CHECK (nominal_ref ~ '^GMP-N[0-9]{7}$'),
    given_name     text   NOT NULL,
    family_name    text   NOT NULL,
    date_of_birth  date   NOT NULL,
    sex            text   NOT NULL CHECK (sex IN ('F', 'M', 'U')),
    address_line   text   NOT NULL,
    postcode       text,
    uprn           bigint
);
CREATE INDEX nominal_family_name_dob_idx ON nominal (family_name, date_of_birth);
CREATE INDEX nominal_postcode_idx ON nominal (postcode);
CREATE INDEX nominal_uprn_idx ON nominal (uprn);

CREATE TABLE incident (
    incident_ref   text        PRIMARY KEY CHECK (incident_ref ~ '^GMP-I[0-9]{8}$'),
    incident_type  text        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    postcode       text
);
CREATE INDEX incident_occurred_at_idx ON incident (occurred_at);

CREATE TABLE incident_nominal (
    incident_ref  text NOT NULL REFERENCES incident (incident_ref),
    nominal_ref   text NOT NULL REFERENCES nominal (nominal_ref),
    role          text NOT NULL CHECK (role IN ('victim', 'suspect', 'witness')),
    PRIMARY KEY (incident_ref, nominal_ref)
);
CREATE INDEX incident_nominal_nominal_idx ON incident_nominal (nominal_ref);

CREATE TABLE nominal_marker (
    nominal_ref  text NOT NULL REFERENCES nominal (nominal_ref),
    marker_code  text NOT NULL CHECK (marker_code IN (
        'DOMESTIC_ABUSE', 'ASB', 'VIOLENCE', 'MENTAL_HEALTH', 'MISSING_PERSON', 'DRUGS')),
    added_on     date NOT NULL,
    PRIMARY KEY (nominal_ref, marker_code)
);

CREATE VIEW mesh_identity AS
SELECT nominal_ref AS local_id, NULL::text AS nhs_number, given_name, family_name, date_of_birth, sex,
       address_line, postcode, uprn
FROM nominal;
