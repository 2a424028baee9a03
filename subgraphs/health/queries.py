"""Health's SQL. Each statement takes an array of keys as $1 and returns a ``key`` column."""

PATIENT_BY_MESH_ID = """
SELECT c.mesh_id AS key, p.patient_id, p.nhs_number, p.given_name, p.family_name,
       p.date_of_birth, p.sex, p.address_line, p.postcode, p.gp_practice_code,
       p.registered_on, p.national_data_opt_out
FROM mesh_crosswalk c
JOIN patient p ON p.patient_id = c.local_id::bigint
WHERE c.entity = 'Person' AND c.mesh_id = ANY($1::text[])
ORDER BY p.patient_id
"""

CONDITIONS = """
SELECT patient_id AS key, snomed_code, description, diagnosed_on
FROM long_term_condition WHERE patient_id = ANY($1::bigint[])
ORDER BY diagnosed_on, condition_id
"""

AE_ATTENDANCES = """
SELECT patient_id AS key, arrived_at, presenting_complaint, disposal
FROM ae_attendance WHERE patient_id = ANY($1::bigint[])
ORDER BY arrived_at DESC, attendance_id
"""

MENTAL_HEALTH_CONTACTS = """
SELECT patient_id AS key, contact_date, service, team
FROM mental_health_contact WHERE patient_id = ANY($1::bigint[])
ORDER BY contact_date DESC, contact_id
"""
