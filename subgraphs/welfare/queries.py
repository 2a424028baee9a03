"""Welfare's SQL. Each statement takes an array of keys as $1 and returns a ``key`` column."""

from subgraphs.kit.crosswalk_sql import by_mesh_id

CLAIMANT_BY_MESH_ID = by_mesh_id(
    "claimant",
    "claimant_id",
    "p.claimant_id, p.national_insurance_number, p.given_name, p.family_name, "
    "p.date_of_birth, p.sex, p.address_line, p.postcode",
    local_id_type="bigint",
)

# A joint claim is the claimant's and the partner's: each sees it, with their role on it.
UNIVERSAL_CREDIT_CLAIMS = """
SELECT k.key, CASE WHEN u.claimant_id = k.key THEN 'claimant' ELSE 'partner' END AS role,
       u.partner_claimant_id IS NOT NULL AS joint_claim, u.start_date, u.end_date,
       u.monthly_award::float8 AS monthly_award, u.housing_element, u.child_element,
       u.childcare_element, u.lcwra_element AS limited_capability_for_work_element,
       u.carer_element
FROM unnest($1::bigint[]) AS k (key)
JOIN uc_claim u ON k.key = u.claimant_id OR k.key = u.partner_claimant_id
ORDER BY u.start_date DESC, u.claim_id
"""

EMPLOYMENT_STATUS = """
SELECT claimant_id AS key, status, effective_from, weekly_hours
FROM employment_status WHERE claimant_id = ANY($1::bigint[])
"""
