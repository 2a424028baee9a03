-- adult_social_care: the facts its needs indicators are made of (indicators.yaml).
CREATE VIEW mesh_needs_fact AS
SELECT c.client_id::text AS local_id, 'open_care_package'::text AS fact,
       coalesce(k.weekly_hours, 0)::numeric AS value, k.start_date AS as_of, c.postcode,
       c.date_of_birth
FROM client c JOIN care_package k ON k.client_id = c.client_id AND k.end_date IS NULL;
