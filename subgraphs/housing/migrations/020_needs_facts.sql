-- housing: the facts its needs indicators are made of (indicators.yaml). Tenancy and case
-- facts hold for every member of the tenancy or case.
CREATE VIEW mesh_needs_fact AS
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
SELECT m.member_ref, 'homelessness_duty', 1, h.opened_on, m.postcode, m.date_of_birth
FROM household_member m
JOIN homelessness_case_member hm ON hm.member_ref = m.member_ref
JOIN homelessness_case h ON h.case_ref = hm.case_ref
UNION ALL
SELECT m.member_ref, 'homeless_fleeing_domestic_abuse', 1, h.opened_on, m.postcode,
       m.date_of_birth
FROM household_member m
JOIN homelessness_case_member hm ON hm.member_ref = m.member_ref
JOIN homelessness_case h ON h.case_ref = hm.case_ref AND h.reason = 'domestic_abuse';
