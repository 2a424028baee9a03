-- health: the facts its needs indicators are made of (indicators.yaml).
CREATE VIEW mesh_needs_fact AS
SELECT p.patient_id::text AS local_id,
       CASE WHEN m.service = 'Drug and Alcohol Service' THEN 'substance_misuse_contact'
            ELSE 'mental_health_contact' END AS fact,
       1::numeric AS value, m.contact_date AS as_of, p.postcode, p.date_of_birth
FROM patient p JOIN mental_health_contact m ON m.patient_id = p.patient_id
UNION ALL
SELECT p.patient_id::text, 'ae_attendance_under_5', 1, a.arrived_at::date, p.postcode,
       p.date_of_birth
FROM patient p JOIN ae_attendance a ON a.patient_id = p.patient_id
WHERE a.arrived_at < p.date_of_birth + interval '5 years';
