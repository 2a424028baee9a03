-- education: the facts its needs indicators are made of (subgraphs/education/indicators.yaml).
-- One row per fact per pupil: (local_id, fact, value, as_of, postcode, date_of_birth).
CREATE VIEW mesh_needs_fact AS
SELECT p.upn AS local_id, 'attendance_pct'::text AS fact, a.pct AS value, a.as_of,
       p.postcode, p.date_of_birth
FROM pupil p
CROSS JOIN LATERAL (
    SELECT round(100.0 * sum(t.sessions_attended) / sum(t.sessions_possible), 2) AS pct,
           max(CASE t.term
                   WHEN 'autumn' THEN make_date(left(t.academic_year, 4)::int, 12, 20)
                   WHEN 'spring' THEN make_date(left(t.academic_year, 4)::int + 1, 3, 28)
                   ELSE make_date(left(t.academic_year, 4)::int + 1, 7, 19)
               END) AS as_of
    FROM attendance t WHERE t.upn = p.upn
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
