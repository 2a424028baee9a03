-- health: GP-registered patient index, long-term conditions, A&E attendances and mental-health contacts.

CREATE TABLE patient (
    patient_id             bigint PRIMARY KEY,
    nhs_number             text   NOT NULL UNIQUE CHECK (nhs_number ~ '^[0-9]{10}$'),
    given_name             text   NOT NULL,
    family_name            text   NOT NULL,
    date_of_birth          date   NOT NULL,
    sex                    text   NOT NULL CHECK (sex IN ('F', 'M', 'U')),
    address_line           text   NOT NULL,
    postcode               text,
    uprn                   bigint,
    gp_practice_code       text   NOT NULL,
    registered_on          date   NOT NULL,
    national_data_opt_out  boolean NOT NULL DEFAULT false
);
CREATE INDEX patient_local_id_idx ON patient ((patient_id::text));
CREATE INDEX patient_family_name_dob_idx ON patient (family_name, date_of_birth);
CREATE INDEX patient_postcode_idx ON patient (postcode);
CREATE INDEX patient_uprn_idx ON patient (uprn);

CREATE TABLE long_term_condition (
    condition_id  bigint PRIMARY KEY,
    patient_id    bigint NOT NULL REFERENCES patient (patient_id),
    snomed_code   text   NOT NULL,
    description   text   NOT NULL,
    diagnosed_on  date   NOT NULL
);
CREATE INDEX long_term_condition_patient_idx ON long_term_condition (patient_id);

CREATE TABLE ae_attendance (
    attendance_id         bigint      PRIMARY KEY,
    patient_id            bigint      NOT NULL REFERENCES patient (patient_id),
    arrived_at            timestamptz NOT NULL,
    presenting_complaint  text        NOT NULL,
    disposal              text        NOT NULL CHECK (disposal IN (
        'discharged', 'admitted', 'referred_to_gp', 'referred_to_clinic',
        'transferred', 'left_before_treatment'))
);
CREATE INDEX ae_attendance_patient_idx ON ae_attendance (patient_id);

CREATE TABLE mental_health_contact (
    contact_id    bigint PRIMARY KEY,
    patient_id    bigint NOT NULL REFERENCES patient (patient_id),
    contact_date  date   NOT NULL,
    service       text   NOT NULL,
    team          text   NOT NULL
);
CREATE INDEX mental_health_contact_patient_idx ON mental_health_contact (patient_id);

CREATE VIEW mesh_identity AS
SELECT patient_id::text AS local_id, nhs_number, given_name, family_name, date_of_birth, sex,
       address_line, postcode, uprn
FROM patient;
