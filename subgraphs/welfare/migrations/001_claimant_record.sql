-- welfare: Universal Credit claimants, claims (joint where a couple) and labour-market status.

CREATE TABLE claimant (
    claimant_id                bigint PRIMARY KEY,
    national_insurance_number  text   NOT NULL CHECK (national_insurance_number ~ '^[A-Z]{2}[0-9]{6}[A-D]$'),
    given_name                 text   NOT NULL,
    family_name                text   NOT NULL,
    date_of_birth              date   NOT NULL,
    sex                        text   NOT NULL CHECK (sex IN ('F', 'M', 'U')),
    address_line               text   NOT NULL,
    postcode                   text,
    uprn                       bigint
);
CREATE INDEX claimant_local_id_idx ON claimant ((claimant_id::text));
CREATE INDEX claimant_nino_idx ON claimant (national_insurance_number);
CREATE INDEX claimant_family_name_dob_idx ON claimant (family_name, date_of_birth);
CREATE INDEX claimant_postcode_idx ON claimant (postcode);
CREATE INDEX claimant_uprn_idx ON claimant (uprn);

CREATE TABLE uc_claim (
    claim_id             bigint        PRIMARY KEY,
    claimant_id          bigint        NOT NULL REFERENCES claimant (claimant_id),
    partner_claimant_id  bigint        REFERENCES claimant (claimant_id),
    start_date           date          NOT NULL,
    end_date             date,
    monthly_award        numeric(8, 2) NOT NULL CHECK (monthly_award >= 0),
    housing_element      boolean       NOT NULL,
    child_element        boolean       NOT NULL,
    childcare_element    boolean       NOT NULL,
    lcwra_element        boolean       NOT NULL,
    carer_element        boolean       NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX uc_claim_claimant_idx ON uc_claim (claimant_id);
CREATE INDEX uc_claim_partner_idx ON uc_claim (partner_claimant_id);

CREATE TABLE employment_status (
    claimant_id     bigint   PRIMARY KEY REFERENCES claimant (claimant_id),
    status          text     NOT NULL CHECK (status IN (
        'employed', 'self_employed', 'unemployed', 'inactive_sick_or_disabled', 'inactive_caring', 'student')),
    effective_from  date     NOT NULL,
    weekly_hours    smallint CHECK (weekly_hours BETWEEN 0 AND 80)
);

CREATE VIEW mesh_identity AS
SELECT claimant_id::text AS local_id, NULL::text AS nhs_number, given_name, family_name, date_of_birth, sex,
       address_line, postcode, uprn
FROM claimant;
