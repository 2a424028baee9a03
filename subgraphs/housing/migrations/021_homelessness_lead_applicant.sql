-- housing: a homelessness case's facts hold for its lead applicant too, whether or not the
-- case lists them among its members (the schema allows a case whose members omit the lead,
-- and the view counted only listed members: the person owed the duty could lack the flag).
CREATE OR REPLACE VIEW mesh_needs_fact AS
SELECT m.member_ref AS local_id, 'rent_arrears_balance'::text AS fact, r.balance AS value,
       r.as_of, m.postcode, m.date_of_birth
FROM household_member m
JOIN tenancy_member tm ON tm.member_ref = m.member_ref
JOIN tenancy t ON t.tenancy_ref = tm.tenancy_ref AND t.end_date IS NULL
CROSS JOIN LATERAL (
    SELECT a.balance, a.as_of FROM rent_arrears a
    WHERE a.tenancy_ref = t.tenancy_ref ORDER BY a.as_of DESC LIMIT 1
) r
UNION ALL
SELECT m.member_ref, f.fact, 1, h.opened_on, m.postcode, m.date_of_birth
FROM homelessness_case h
JOIN (SELECT case_ref, member_ref FROM homelessness_case_member
      UNION SELECT case_ref, lead_member_ref FROM homelessness_case) w ON w.case_ref = h.case_ref
JOIN household_member m ON m.member_ref = w.member_ref
CROSS JOIN LATERAL (
    SELECT 'homelessness_duty'::text AS fact
    UNION ALL SELECT 'homeless_fleeing_domestic_abuse' WHERE h.reason = 'domestic_abuse'
) f;
