"""Education's SQL. Each statement takes an array of keys as $1 and returns a ``key`` column.

Statements that name a school carry its columns as ``school_*``.
"""

from subgraphs.kit.crosswalk_sql import by_mesh_id

PUPIL_BY_MESH_ID = by_mesh_id(
    "pupil",
    "upn",
    "p.upn, p.nhs_number, p.given_name, p.family_name, p.date_of_birth, p.sex, "
    "p.address_line, p.postcode, p.send_status",
)

ENROLMENTS = """
SELECT e.upn AS key, e.year_group, e.start_date, e.end_date,
       s.urn AS school_urn, s.name AS school_name, s.phase AS school_phase,
       s.local_authority AS school_local_authority, s.postcode AS school_postcode
FROM enrolment e
JOIN school s ON s.urn = e.urn
WHERE e.upn = ANY($1::text[])
ORDER BY e.start_date DESC, e.enrolment_id
"""

ATTENDANCE = """
SELECT a.upn AS key, a.academic_year, a.term, a.sessions_possible, a.sessions_attended,
       a.attendance_pct::float8 AS attendance_percent,
       s.urn AS school_urn, s.name AS school_name, s.phase AS school_phase,
       s.local_authority AS school_local_authority, s.postcode AS school_postcode
FROM attendance a
JOIN school s ON s.urn = a.urn
WHERE a.upn = ANY($1::text[])
ORDER BY a.academic_year DESC, array_position(ARRAY['autumn', 'spring', 'summer'], a.term) DESC
"""

EXCLUSIONS = """
SELECT x.upn AS key, x.exclusion_type, x.start_date, x.days::float8 AS days, x.reason,
       s.urn AS school_urn, s.name AS school_name, s.phase AS school_phase,
       s.local_authority AS school_local_authority, s.postcode AS school_postcode
FROM exclusion x
JOIN school s ON s.urn = x.urn
WHERE x.upn = ANY($1::text[])
ORDER BY x.start_date DESC, x.exclusion_id
"""
