"""Housing's SQL. Each statement takes an array of keys as $1 and returns a ``key`` column.

Housing knows people as household members (``member_ref``) and households as tenancies
(``tenancy_ref``): the household crosswalk maps a household's mesh id to its tenancy.
A homelessness case involves its lead applicant and the members listed on it.
"""

from subgraphs.kit.crosswalk_sql import by_mesh_id

MEMBER_BY_MESH_ID = by_mesh_id(
    "household_member",
    "member_ref",
    "p.member_ref, p.given_name, p.family_name, p.date_of_birth, p.sex, p.address_line, p.postcode",
)

# The current tenancy first when a household's mesh id was linked to more than one.
TENANCY_BY_MESH_ID = by_mesh_id(
    "tenancy",
    "tenancy_ref",
    "p.tenancy_ref, p.tenure, p.bedrooms, p.start_date, p.end_date, "
    "p.weekly_rent::float8 AS weekly_rent, p.address_line, p.postcode",
    entity="Household",
    order_by="p.end_date IS NULL DESC, p.start_date DESC, p.tenancy_ref",
)

TENANCIES = """
SELECT m.member_ref AS key, m.relationship, t.tenancy_ref, t.tenure, t.bedrooms, t.start_date,
       t.end_date, t.weekly_rent::float8 AS weekly_rent, t.address_line, t.postcode
FROM tenancy_member m
JOIN tenancy t ON t.tenancy_ref = m.tenancy_ref
WHERE m.member_ref = ANY($1::text[])
ORDER BY t.start_date DESC, t.tenancy_ref
"""

TENANCY_MEMBERS = """
SELECT tm.tenancy_ref AS key, tm.relationship, m.given_name, m.family_name, m.date_of_birth,
       m.sex
FROM tenancy_member tm
JOIN household_member m ON m.member_ref = tm.member_ref
WHERE tm.tenancy_ref = ANY($1::text[])
ORDER BY array_position(ARRAY['lead_tenant', 'joint_tenant', 'partner', 'child', 'other'],
                        tm.relationship),
         m.date_of_birth, m.member_ref
"""

RENT_ARREARS = """
SELECT tenancy_ref AS key, as_of, balance::float8 AS balance
FROM rent_arrears WHERE tenancy_ref = ANY($1::text[])
ORDER BY as_of DESC
"""

HOMELESSNESS_CASES = """
SELECT x.member_ref AS key, h.case_ref, h.duty_type, h.reason, h.opened_on, h.closed_on,
       h.outcome
FROM (
    SELECT case_ref, member_ref FROM homelessness_case_member
    WHERE member_ref = ANY($1::text[])
    UNION
    SELECT case_ref, lead_member_ref FROM homelessness_case
    WHERE lead_member_ref = ANY($1::text[])
) x
JOIN homelessness_case h ON h.case_ref = x.case_ref
ORDER BY h.opened_on DESC, h.case_ref
"""

HOUSEHOLD_HOMELESSNESS_CASES = """
SELECT DISTINCT tm.tenancy_ref AS key, h.case_ref, h.duty_type, h.reason, h.opened_on,
       h.closed_on, h.outcome
FROM tenancy_member tm
JOIN (
    SELECT case_ref, member_ref FROM homelessness_case_member
    UNION ALL
    SELECT case_ref, lead_member_ref FROM homelessness_case
) x ON x.member_ref = tm.member_ref
JOIN homelessness_case h ON h.case_ref = x.case_ref
WHERE tm.tenancy_ref = ANY($1::text[])
ORDER BY h.opened_on DESC, h.case_ref
"""

# The lead applicant is listed even when the case's member list leaves them out.
HOMELESSNESS_CASE_MEMBERS = """
SELECT h.case_ref AS key, x.relationship, x.member_ref = h.lead_member_ref AS lead_applicant,
       m.given_name, m.family_name, m.date_of_birth, m.sex
FROM homelessness_case h
CROSS JOIN LATERAL (
    SELECT cm.member_ref, cm.relationship FROM homelessness_case_member cm
    WHERE cm.case_ref = h.case_ref
    UNION ALL
    SELECT h.lead_member_ref, 'applicant'
    WHERE NOT EXISTS (
        SELECT 1 FROM homelessness_case_member cm
        WHERE cm.case_ref = h.case_ref AND cm.member_ref = h.lead_member_ref
    )
) x
JOIN household_member m ON m.member_ref = x.member_ref
WHERE h.case_ref = ANY($1::text[])
ORDER BY x.member_ref = h.lead_member_ref DESC,
         array_position(ARRAY['applicant', 'partner', 'child', 'other'], x.relationship),
         m.date_of_birth, m.member_ref
"""

# Housing's households are its tenancies, current and past: each is linked to the mesh
# household at the tenancy's property (read by `mesh link`, not by resolvers).
TENANCIES_FOR_LINKAGE = "SELECT tenancy_ref::text AS local_id, uprn FROM tenancy"
