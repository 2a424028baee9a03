-- When DWP last confirmed each claimant's address (the record's as-of date for it), so that
-- linkage can prefer the most recently confirmed address when agencies disagree. NULL: unknown.
ALTER TABLE claimant ADD COLUMN address_confirmed_on date;

CREATE OR REPLACE VIEW mesh_identity AS
SELECT claimant_id::text AS local_id, NULL::text AS nhs_number, given_name, family_name, date_of_birth, sex,
       address_line, postcode, uprn, address_confirmed_on
FROM claimant;
