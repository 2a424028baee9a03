-- When the council last confirmed each client's address (the record's as-of date for it), so that
-- linkage can prefer the most recently confirmed address when agencies disagree. NULL: unknown.
ALTER TABLE client ADD COLUMN address_confirmed_on date;

CREATE OR REPLACE VIEW mesh_identity AS
SELECT client_id::text AS local_id, nhs_number, given_name, family_name, date_of_birth, sex,
       address_line, postcode, uprn, address_confirmed_on
FROM client;
