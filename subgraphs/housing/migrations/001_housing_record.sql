-- housing: council/ALMO tenancies, household members, rent arrears and homelessness cases.

CREATE TABLE household_member (
    member_ref     text   PRIMARY KEY,
    given_name     text   NOT NULL,
    family_name    text   NOT NULL,
    date_of_birth  date   NOT NULL,
    sex            text   NOT NULL CHECK (sex IN ('F', 'M', 'U')),
    address_line   text   NOT NULL,
    postcode       text,
    uprn           bigint
);
CREATE INDEX household_member_family_name_dob_idx ON household_member (family_name, date_of_birth);
CREATE INDEX household_member_postcode_idx ON household_member (postcode);
CREATE INDEX household_member_uprn_idx ON household_member (uprn);

CREATE TABLE tenancy (
    tenancy_ref   text          PRIMARY KEY,
    uprn          bigint        NOT NULL,
    address_line  text          NOT NULL,
    postcode      text          NOT NULL,
    tenure        text          NOT NULL CHECK (tenure IN ('secure', 'assured', 'introductory', 'starter', 'flexible')),
    bedrooms      smallint      NOT NULL CHECK (bedrooms BETWEEN 0 AND 6),
    start_date    date          NOT NULL,
    end_date      date,
    weekly_rent   numeric(7, 2) NOT NULL CHECK (weekly_rent > 0)
);
CREATE INDEX tenancy_uprn_idx ON tenancy (uprn);
CREATE INDEX tenancy_postcode_idx ON tenancy (postcode);

CREATE TABLE tenancy_member (
    tenancy_ref   text NOT NULL REFERENCES tenancy (tenancy_ref),
    member_ref    text NOT NULL REFERENCES household_member (member_ref),
    relationship  text NOT NULL CHECK (relationship IN ('lead_tenant', 'joint_tenant', 'partner', 'child', 'other')),
    PRIMARY KEY (tenancy_ref, member_ref)
);
CREATE INDEX tenancy_member_member_idx ON tenancy_member (member_ref);

CREATE TABLE rent_arrears (
    tenancy_ref  text          NOT NULL REFERENCES tenancy (tenancy_ref),
    as_of        date          NOT NULL,
    balance      numeric(9, 2) NOT NULL,
    PRIMARY KEY (tenancy_ref, as_of)
);

CREATE TABLE homelessness_case (
    case_ref         text PRIMARY KEY,
    lead_member_ref  text NOT NULL REFERENCES household_member (member_ref),
    duty_type        text NOT NULL CHECK (duty_type IN ('prevention', 'relief', 'main')),
    reason           text NOT NULL,
    opened_on        date NOT NULL,
    closed_on        date,
    outcome          text,
    CHECK (closed_on IS NULL OR closed_on >= opened_on),
    CHECK ((closed_on IS NULL) = (outcome IS NULL))
);
CREATE INDEX homelessness_case_lead_member_idx ON homelessness_case (lead_member_ref);

CREATE TABLE homelessness_case_member (
    case_ref      text NOT NULL REFERENCES homelessness_case (case_ref),
    member_ref    text NOT NULL REFERENCES household_member (member_ref),
    relationship  text NOT NULL CHECK (relationship IN ('applicant', 'partner', 'child', 'other')),
    PRIMARY KEY (case_ref, member_ref)
);
CREATE INDEX homelessness_case_member_member_idx ON homelessness_case_member (member_ref);

CREATE VIEW mesh_identity AS
SELECT member_ref AS local_id, NULL::text AS nhs_number, given_name, family_name, date_of_birth, sex,
       address_line, postcode, uprn
FROM household_member;
