"""Adult social care's SQL.

Each statement takes an array of keys as $1 and returns a ``key`` column.
"""

from subgraphs.kit.crosswalk_sql import by_mesh_id

CLIENT_BY_MESH_ID = by_mesh_id(
    "client",
    "client_id",
    "p.client_id, p.nhs_number, p.given_name, p.family_name, p.date_of_birth, p.sex, "
    "p.address_line, p.postcode, p.primary_support_reason",
    local_id_type="bigint",
)

ASSESSMENTS = """
SELECT client_id AS key, assessment_type, assessed_on, outcome
FROM assessment WHERE client_id = ANY($1::bigint[])
ORDER BY assessed_on DESC, assessment_id
"""

CARE_PACKAGES = """
SELECT client_id AS key, service_type, weekly_hours::float8 AS weekly_hours,
       weekly_cost::float8 AS weekly_cost, start_date, end_date
FROM care_package WHERE client_id = ANY($1::bigint[])
ORDER BY start_date DESC, package_id
"""
