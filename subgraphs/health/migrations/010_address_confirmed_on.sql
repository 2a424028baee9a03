-- When the practice last confirmed each patient's address (the record's as-of date for it), so that
-- linkage can prefer the most recently confirmed address when agencies disagree. NULL: unknown.
ALTER TABLE patient ADD COLUMN address_confirmed_on date;

CREATE OR REPLACE VIEW mesh_identity AS
SELECT patient_id::text AS local_id, nhs_number, given_name, family_name, date_of_birth, sex,
       address_line, postcode, uprn, address_confirmed_on
FROM patient;
