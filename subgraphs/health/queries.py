"""Health's SQL. Each statement takes an array of keys as $1 and returns a ``key`` column."""

from subgraphs.kit.crosswalk_sql import by_mesh_id

PATIENT_BY_MESH_ID = by_mesh_id(
    "patient",
    "patient_id",
    "p.patient_id, p.nhs_number, p.given_name, p.family_name, p.date_of_birth, p.sex, "
    "p.address_line, p.postcode, p.gp_practice_code, p.registered_on, p.national_data_opt_out",
    local_id_type="bigint",
)

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
