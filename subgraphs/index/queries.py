"""The index's SQL. Each statement takes an array of keys as $1 and returns a ``key`` column."""

PERSONS = """
SELECT mesh_id AS key, household_id, national_data_opt_out
FROM mesh_person WHERE mesh_id = ANY($1::text[])
"""

HOUSEHOLDS = """
SELECT mesh_id AS key FROM mesh_household WHERE mesh_id = ANY($1::text[])
"""

MEMBERS = """
SELECT household_id AS key, mesh_id FROM mesh_person
WHERE household_id = ANY($1::text[]) ORDER BY mesh_id
"""

AGENCY_LINKS = """
SELECT mesh_id AS key, agency, count(*)::int AS records
FROM linked_record WHERE entity = 'Person' AND mesh_id = ANY($1::text[])
GROUP BY mesh_id, agency ORDER BY agency
"""

PLANNING_PROFILE = """
SELECT
  (SELECT coalesce(string_agg(mesh_id || E'\t' || members, E'\n'), '')
   FROM mesh_household WHERE members IS NOT NULL) AS sizes,
  (SELECT coalesce(string_agg(mesh_id, E'\n'), '') FROM mesh_person
   WHERE national_data_opt_out IS NOT FALSE) AS not_countable,
  (SELECT coalesce(string_agg(mesh_id, E'\n'), '') FROM mesh_person
   WHERE household_id IS NULL) AS without_household
"""
