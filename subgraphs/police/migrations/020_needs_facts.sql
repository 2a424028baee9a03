-- police: the facts its needs indicators are made of (indicators.yaml).
CREATE VIEW mesh_needs_fact AS
SELECT n.nominal_ref AS local_id, lower(k.marker_code) || '_marker' AS fact, 1::numeric AS value,
       k.added_on AS as_of, n.postcode, n.date_of_birth
FROM nominal n JOIN nominal_marker k ON k.nominal_ref = n.nominal_ref
UNION ALL
SELECT n.nominal_ref, 'suspect_in_incident', 1, i.occurred_at::date, n.postcode, n.date_of_birth
FROM nominal n
JOIN incident_nominal r ON r.nominal_ref = n.nominal_ref AND r.role = 'suspect'
JOIN incident i ON i.incident_ref = r.incident_ref;
