"""Children's services' SQL.

Each statement takes an array of keys as $1 and returns a ``key`` column.
"""

from subgraphs.kit.crosswalk_sql import by_mesh_id

CHILD_BY_MESH_ID = by_mesh_id(
    "child",
    "child_id",
    "p.child_id, p.nhs_number, p.given_name, p.family_name, p.date_of_birth, p.sex, "
    "p.address_line, p.postcode",
    local_id_type="bigint",
)

CHILD_IN_NEED_EPISODES = """
SELECT child_id AS key, referral_date, start_date, end_date, primary_need_code
FROM cin_episode WHERE child_id = ANY($1::bigint[])
ORDER BY start_date DESC, episode_id
"""

CHILD_PROTECTION_PLANS = """
SELECT child_id AS key, category, start_date, end_date
FROM cp_plan WHERE child_id = ANY($1::bigint[])
ORDER BY start_date DESC, plan_id
"""

LOOKED_AFTER_EPISODES = """
SELECT child_id AS key, legal_status, placement_type, start_date, end_date
FROM looked_after_episode WHERE child_id = ANY($1::bigint[])
ORDER BY start_date DESC, episode_id
"""
