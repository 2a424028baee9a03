-- adult_social_care: clients, Care Act assessments and commissioned care packages.

CREATE TABLE client (
    client_id      bigint PRIMARY KEY,
    nhs_number     text   CHECK (nhs_number ~ '^[0-9]{10}$'),
    given_name     text   NOT NULL,
    family_name    text   NOT NULL,
    date_of_birth  date   NOT NULL,
    sex            text   NOT NULL CHECK (sex IN ('F', 'M', 'U')),
    address_line   text   NOT NULL,
    postcode       text,
    uprn           bigint,
    primary_support_reason text NOT NULL
);
CREATE INDEX client_local_id_idx ON client ((client_id::text));
CREATE INDEX client_nhs_number_idx ON client (nhs_number);
CREATE INDEX client_family_name_dob_idx ON client (family_name, date_of_birth);
CREATE INDEX client_postcode_idx ON client (postcode);
CREATE INDEX client_uprn_idx ON client (uprn);

CREATE TABLE assessment (
    assessment_id    bigint PRIMARY KEY,
    client_id        bigint NOT NULL REFERENCES client (client_id),
    assessment_type  text   NOT NULL CHECK (assessment_type IN (
        'needs_assessment', 'review', 'carers_assessment', 'financial_assessment')),
    assessed_on      date   NOT NULL,
    outcome          text   NOT NULL CHECK (outcome IN (
        'eligible_needs', 'no_eligible_needs', 'universal_services', 'ongoing'))
);
CREATE INDEX assessment_client_idx ON assessment (client_id);

CREATE TABLE care_package (
    package_id    bigint        PRIMARY KEY,
    client_id     bigint        NOT NULL REFERENCES client (client_id),
    service_type  text          NOT NULL CHECK (service_type IN (
        'home_care', 'residential_care', 'nursing_care', 'day_care',
        'direct_payment', 'supported_living', 'reablement')),
    weekly_hours  numeric(5, 1),
    weekly_cost   numeric(9, 2) NOT NULL CHECK (weekly_cost >= 0),
    start_date    date          NOT NULL,
    end_date      date,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX care_package_client_idx ON care_package (client_id);

CREATE VIEW mesh_identity AS
SELECT client_id::text AS local_id, nhs_number, given_name, family_name, date_of_birth, sex,
       address_line, postcode, uprn
FROM client;
