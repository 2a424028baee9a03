"""Police's SQL. Each statement takes an array of keys as $1 and returns a ``key`` column.

Warning markers are read by three statements so that a field the gateway prunes is never read:
domestic-abuse and mental-health markers carry their own sharing categories.
"""

from subgraphs.kit.crosswalk_sql import by_mesh_id

NOMINAL_BY_MESH_ID = by_mesh_id(
    "nominal",
    "nominal_ref",
    "p.nominal_ref, p.given_name, p.family_name, p.date_of_birth, p.sex, p.address_line, "
    "p.postcode",
)

INCIDENTS = """
SELECT n.nominal_ref AS key, n.role, i.incident_type, i.occurred_at, i.postcode
FROM incident_nominal n
JOIN incident i ON i.incident_ref = n.incident_ref
WHERE n.nominal_ref = ANY($1::text[])
ORDER BY i.occurred_at DESC, i.incident_ref
"""

WARNING_MARKERS = """
SELECT nominal_ref AS key, marker_code AS code, added_on
FROM nominal_marker
WHERE nominal_ref = ANY($1::text[]) AND marker_code NOT IN ('DOMESTIC_ABUSE', 'MENTAL_HEALTH')
ORDER BY added_on DESC, marker_code
"""

DOMESTIC_ABUSE_MARKER = """
SELECT nominal_ref AS key, added_on
FROM nominal_marker
WHERE nominal_ref = ANY($1::text[]) AND marker_code = 'DOMESTIC_ABUSE'
"""

MENTAL_HEALTH_MARKER = """
SELECT nominal_ref AS key, added_on
FROM nominal_marker
WHERE nominal_ref = ANY($1::text[]) AND marker_code = 'MENTAL_HEALTH'
"""
