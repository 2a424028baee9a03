-- education: persistent absence is "under 90 % of sessions in the last three terms"; the view
-- counted every term the school holds, so older good attendance hid recent absence. Now the
-- latest three terms the school holds (an extract holds the terms ended by its date).
CREATE OR REPLACE VIEW mesh_needs_fact AS
SELECT p.upn AS local_id, 'attendance_pct'::text AS fact, a.pct AS value, a.as_of,
       p.postcode, p.date_of_birth
FROM pupil p
CROSS JOIN LATERAL (
    SELECT round(100.0 * sum(t.sessions_attended) / sum(t.sessions_possible), 2) AS pct,
           max(t.ends) AS as_of
    FROM (
        SELECT s.sessions_attended, s.sessions_possible, s.ends
        FROM (
            SELECT a.sessions_attended, a.sessions_possible,
                   CASE a.term
                       WHEN 'autumn' THEN make_date(left(a.academic_year, 4)::int, 12, 20)
                       WHEN 'spring' THEN make_date(left(a.academic_year, 4)::int + 1, 3, 28)
                       ELSE make_date(left(a.academic_year, 4)::int + 1, 7, 19)
                   END AS ends
            FROM attendance a WHERE a.upn = p.upn
        ) s
        ORDER BY s.ends DESC LIMIT 3
    ) t
    HAVING count(*) > 0
) a
UNION ALL
SELECT p.upn, 'suspension', e.days, e.start_date, p.postcode, p.date_of_birth
FROM pupil p JOIN exclusion e ON e.upn = p.upn AND e.exclusion_type = 'suspension'
UNION ALL
SELECT p.upn, 'permanent_exclusion', 1, e.start_date, p.postcode, p.date_of_birth
FROM pupil p JOIN exclusion e ON e.upn = p.upn AND e.exclusion_type = 'permanent'
UNION ALL
SELECT p.upn, 'ehc_plan', 1, NULL::date, p.postcode, p.date_of_birth
FROM pupil p WHERE p.send_status = 'EHCP';
