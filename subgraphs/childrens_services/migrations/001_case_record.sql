-- childrens_services: children known to social care, CIN episodes, CP plans and looked-after episodes.

CREATE TABLE child (
    child_id       bigint PRIMARY KEY,
    nhs_number     text   CHECK (nhs_number ~ '^[0-9]{10}$'),
    given_name     text   NOT NULL,
    family_name    text   NOT NULL,
    date_of_birth  date   NOT NULL,
    sex            text   NOT NULL CHECK (sex IN ('F', 'M', 'U')),
    address_line   text   NOT NULL,
    postcode       text,
    uprn           bigint
);
CREATE INDEX child_local_id_idx ON child ((child_id::text));
CREATE INDEX child_nhs_number_idx ON child (nhs_number);
CREATE INDEX child_family_name_dob_idx ON child (family_name, date_of_birth);
CREATE INDEX child_postcode_idx ON child (postcode);
CREATE INDEX child_uprn_idx ON child (uprn);

-- Primary need codes follow the DfE CIN census: N1 abuse or neglect … N9 cases other than children in need.
CREATE TABLE cin_episode (
    episode_id         bigint PRIMARY KEY,
    child_id           bigint NOT NULL REFERENCES child (child_id),
    referral_date      date   NOT NULL,
    start_date         date   NOT NULL,
    end_date           date,
    primary_need_code  text   NOT NULL CHECK (primary_need_code ~ '^N[1-9]$'),
    CHECK (start_date >= referral_date),
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX cin_episode_child_idx ON cin_episode (child_id);

CREATE TABLE cp_plan (
    plan_id     bigint PRIMARY KEY,
    child_id    bigint NOT NULL REFERENCES child (child_id),
    category    text   NOT NULL CHECK (category IN ('neglect', 'emotional', 'physical', 'sexual', 'multiple')),
    start_date  date   NOT NULL,
    end_date    date,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX cp_plan_child_idx ON cp_plan (child_id);

-- Legal status codes follow the SSDA903 return (C1 interim care order, C2 full care order, V2 s20, E1 placement order …).
CREATE TABLE looked_after_episode (
    episode_id      bigint PRIMARY KEY,
    child_id        bigint NOT NULL REFERENCES child (child_id),
    legal_status    text   NOT NULL CHECK (legal_status IN ('C1', 'C2', 'V2', 'E1', 'L1', 'J2')),
    placement_type  text   NOT NULL CHECK (placement_type IN (
        'foster_care', 'kinship_care', 'placed_with_parents', 'residential',
        'semi_independent', 'placed_for_adoption')),
    start_date      date   NOT NULL,
    end_date        date,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX looked_after_episode_child_idx ON looked_after_episode (child_id);

CREATE VIEW mesh_identity AS
SELECT child_id::text AS local_id, nhs_number, given_name, family_name, date_of_birth, sex,
       address_line, postcode, uprn
FROM child;
