-- childrens_services: the facts its needs indicators are made of (indicators.yaml).
CREATE VIEW mesh_needs_fact AS
SELECT c.child_id::text AS local_id, 'open_cin_episode'::text AS fact, 1::numeric AS value,
       e.start_date AS as_of, c.postcode, c.date_of_birth
FROM child c JOIN cin_episode e ON e.child_id = c.child_id AND e.end_date IS NULL
UNION ALL
-- DfE CIN census primary need N4 (family in acute stress) or N5 (family dysfunction).
SELECT c.child_id::text, 'open_cin_family_stress', 1, e.start_date, c.postcode, c.date_of_birth
FROM child c JOIN cin_episode e ON e.child_id = c.child_id AND e.end_date IS NULL
     AND e.primary_need_code IN ('N4', 'N5')
UNION ALL
SELECT c.child_id::text, 'open_cp_plan', 1, p.start_date, c.postcode, c.date_of_birth
FROM child c JOIN cp_plan p ON p.child_id = c.child_id AND p.end_date IS NULL
UNION ALL
SELECT c.child_id::text, 'looked_after', 1, l.start_date, c.postcode, c.date_of_birth
FROM child c JOIN looked_after_episode l ON l.child_id = c.child_id AND l.end_date IS NULL;
