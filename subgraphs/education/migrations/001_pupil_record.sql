-- education: schools, pupils (UPN), enrolments, termly attendance, suspensions/exclusions and SEND status.

CREATE TABLE school (
    urn              integer PRIMARY KEY,
    name             text    NOT NULL,
    phase            text    NOT NULL CHECK (phase IN ('primary', 'secondary')),
    local_authority  text    NOT NULL,
    postcode         text    NOT NULL
);

CREATE TABLE pupil (
    upn            text   PRIMARY KEY CHECK (upn ~ '^[A-Z][0-9]{12}$'),
    nhs_number     text   CHECK (nhs_number ~ '^[0-9]{10}$'),
    given_name     text   NOT NULL,
    family_name    text   NOT NULL,
    date_of_birth  date   NOT NULL,
    sex            text   NOT NULL CHECK (sex IN ('F', 'M', 'U')),
    address_line   text   NOT NULL,
    postcode       text,
    uprn           bigint,
    send_status    text   NOT NULL DEFAULT 'NONE' CHECK (send_status IN ('NONE', 'SEN_SUPPORT', 'EHCP'))
);
CREATE INDEX pupil_nhs_number_idx ON pupil (nhs_number);
CREATE INDEX pupil_family_name_dob_idx ON pupil (family_name, date_of_birth);
CREATE INDEX pupil_postcode_idx ON pupil (postcode);
CREATE INDEX pupil_uprn_idx ON pupil (uprn);

CREATE TABLE enrolment (
    enrolment_id  bigint   PRIMARY KEY,
    upn           text     NOT NULL REFERENCES pupil (upn),
    urn           integer  NOT NULL REFERENCES school (urn),
    year_group    text     NOT NULL CHECK (year_group IN ('R', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13')),
    start_date    date     NOT NULL,
    end_date      date,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX enrolment_upn_idx ON enrolment (upn);
CREATE INDEX enrolment_urn_idx ON enrolment (urn);

-- One row per pupil per term; a session is a half day.
CREATE TABLE attendance (
    upn                text         NOT NULL REFERENCES pupil (upn),
    academic_year      text         NOT NULL CHECK (academic_year ~ '^[0-9]{4}/[0-9]{2}$'),
    term               text         NOT NULL CHECK (term IN ('autumn', 'spring', 'summer')),
    urn                integer      NOT NULL REFERENCES school (urn),
    sessions_possible  smallint     NOT NULL CHECK (sessions_possible > 0),
    sessions_attended  smallint     NOT NULL CHECK (sessions_attended >= 0),
    attendance_pct     numeric(5, 2) NOT NULL CHECK (attendance_pct BETWEEN 0 AND 100),
    PRIMARY KEY (upn, academic_year, term),
    CHECK (sessions_attended <= sessions_possible)
);

CREATE TABLE exclusion (
    exclusion_id    bigint       PRIMARY KEY,
    upn             text         NOT NULL REFERENCES pupil (upn),
    urn             integer      NOT NULL REFERENCES school (urn),
    exclusion_type  text         NOT NULL CHECK (exclusion_type IN ('suspension', 'permanent')),
    start_date      date         NOT NULL,
    days            numeric(4, 1),
    reason          text         NOT NULL,
    CHECK ((exclusion_type = 'permanent') = (days IS NULL))
);
CREATE INDEX exclusion_upn_idx ON exclusion (upn);

CREATE VIEW mesh_identity AS
SELECT upn AS local_id, nhs_number, given_name, family_name, date_of_birth, sex,
       address_line, postcode, uprn
FROM pupil;
