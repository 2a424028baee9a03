"""What each agency's own tables say about a person, written here in SQL against the agency's
schema (``subgraphs/<agency>/migrations``) and never through the code under test: the oracle
the gateway's person and household views are checked against.

Each statement takes one mesh id as ``$1`` and returns one ``jsonb`` per local record the
agency's crosswalk links to it (lowest local id first), shaped as the GraphQL section is, so a
test can compare the gateway's answer with it field by field.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import orjson

# The identity and contact fields every agency section shares (``p`` is the person's table).
_IDENTITY = """
'givenName', p.given_name, 'familyName', p.family_name, 'dateOfBirth', p.date_of_birth,
'sex', p.sex, 'addressLine', p.address_line, 'postcode', p.postcode
"""


def _section(table: str, local_id: str, cast: str, fields: str) -> str:
    return f"""
SELECT jsonb_build_object({_IDENTITY}, {fields}) AS section
FROM mesh_crosswalk c JOIN {table} p ON p.{local_id}::text = c.local_id
WHERE c.entity = 'Person' AND c.mesh_id = $1
ORDER BY p.{local_id}{cast}
"""


def _list(select: str, order: str) -> str:
    """A nested list: ``select`` is a FROM … WHERE clause yielding ``x`` (jsonb) per row."""
    return f"(SELECT coalesce(jsonb_agg(x ORDER BY {order}), '[]') FROM {select})"


_SCHOOL = """jsonb_build_object('urn', s.urn, 'name', s.name, 'phase', s.phase,
    'localAuthority', s.local_authority, 'postcode', s.postcode)"""

SECTIONS: dict[str, str] = {
    "health": _section(
        "patient",
        "patient_id",
        "",
        "'nhsNumber', p.nhs_number, 'gpPracticeCode', p.gp_practice_code, "
        "'registeredOn', p.registered_on, 'nationalDataOptOut', p.national_data_opt_out, "
        "'longTermConditions', "
        + _list(
            "(SELECT jsonb_build_object('snomedCode', snomed_code, 'description', description,"
            " 'diagnosedOn', diagnosed_on) AS x, condition_id AS o FROM long_term_condition"
            " WHERE patient_id = p.patient_id) t",
            "o",
        )
        + ", 'aeAttendances', "
        + _list(
            "(SELECT jsonb_build_object('arrivedAt', arrived_at, 'presentingComplaint',"
            " presenting_complaint, 'disposal', disposal) AS x, attendance_id AS o"
            " FROM ae_attendance WHERE patient_id = p.patient_id) t",
            "o",
        )
        + ", 'mentalHealthContacts', "
        + _list(
            "(SELECT jsonb_build_object('contactDate', contact_date, 'service', service,"
            " 'team', team) AS x, contact_id AS o FROM mental_health_contact"
            " WHERE patient_id = p.patient_id) t",
            "o",
        ),
    ),
    "adultSocialCare": _section(
        "client",
        "client_id",
        "",
        "'nhsNumber', p.nhs_number, 'primarySupportReason', p.primary_support_reason, "
        "'assessments', "
        + _list(
            "(SELECT jsonb_build_object('assessmentType', assessment_type, 'assessedOn',"
            " assessed_on, 'outcome', outcome) AS x, assessment_id AS o FROM assessment"
            " WHERE client_id = p.client_id) t",
            "o",
        )
        + ", 'carePackages', "
        + _list(
            "(SELECT jsonb_build_object('serviceType', service_type, 'weeklyHours',"
            " weekly_hours, 'weeklyCost', weekly_cost, 'startDate', start_date, 'endDate',"
            " end_date) AS x, package_id AS o FROM care_package"
            " WHERE client_id = p.client_id) t",
            "o",
        ),
    ),
    "childrensServices": _section(
        "child",
        "child_id",
        "",
        "'nhsNumber', p.nhs_number, 'childInNeedEpisodes', "
        + _list(
            "(SELECT jsonb_build_object('referralDate', referral_date, 'startDate', start_date,"
            " 'endDate', end_date, 'primaryNeedCode', primary_need_code) AS x,"
            " episode_id AS o FROM cin_episode WHERE child_id = p.child_id) t",
            "o",
        )
        + ", 'childProtectionPlans', "
        + _list(
            "(SELECT jsonb_build_object('category', category, 'startDate', start_date,"
            " 'endDate', end_date) AS x, plan_id AS o FROM cp_plan"
            " WHERE child_id = p.child_id) t",
            "o",
        )
        + ", 'lookedAfterEpisodes', "
        + _list(
            "(SELECT jsonb_build_object('legalStatus', legal_status, 'placementType',"
            " placement_type, 'startDate', start_date, 'endDate', end_date) AS x,"
            " episode_id AS o FROM looked_after_episode WHERE child_id = p.child_id) t",
            "o",
        ),
    ),
    "education": _section(
        "pupil",
        "upn",
        "",
        "'nhsNumber', p.nhs_number, 'sendStatus', p.send_status, 'enrolments', "
        + _list(
            f"(SELECT jsonb_build_object('school', {_SCHOOL}, 'yearGroup', e.year_group,"
            " 'startDate', e.start_date, 'endDate', e.end_date) AS x, e.enrolment_id AS o"
            " FROM enrolment e JOIN school s USING (urn) WHERE e.upn = p.upn) t",
            "o",
        )
        # Documented: "Termly attendance, most recent term first."
        + ", 'attendance', "
        + _list(
            f"(SELECT jsonb_build_object('academicYear', a.academic_year, 'term', a.term,"
            f" 'school', {_SCHOOL}, 'sessionsPossible', a.sessions_possible,"
            " 'sessionsAttended', a.sessions_attended, 'attendancePercent',"
            " a.attendance_pct) AS x, a.academic_year AS y,"
            " CASE a.term WHEN 'autumn' THEN 1 WHEN 'spring' THEN 2 ELSE 3 END AS n"
            " FROM attendance a JOIN school s USING (urn) WHERE a.upn = p.upn) t",
            "y DESC, n DESC",
        )
        + ", 'exclusions', "
        + _list(
            f"(SELECT jsonb_build_object('exclusionType', x.exclusion_type, 'school',"
            f" {_SCHOOL}, 'startDate', x.start_date, 'days', x.days, 'reason', x.reason) AS x,"
            " x.exclusion_id AS o FROM exclusion x JOIN school s USING (urn)"
            " WHERE x.upn = p.upn) t",
            "o",
        ),
    ),
    "police": _section(
        "nominal",
        "nominal_ref",
        "",
        "'incidents', "
        + _list(
            "(SELECT jsonb_build_object('role', n.role, 'incidentType', i.incident_type,"
            " 'occurredAt', i.occurred_at, 'postcode', i.postcode) AS x, i.incident_ref AS o"
            " FROM incident_nominal n JOIN incident i USING (incident_ref)"
            " WHERE n.nominal_ref = p.nominal_ref) t",
            "o",
        )
        + ", 'warningMarkers', "
        + _list(
            "(SELECT jsonb_build_object('code', marker_code, 'addedOn', added_on) AS x,"
            " marker_code AS o FROM nominal_marker WHERE nominal_ref = p.nominal_ref"
            " AND marker_code NOT IN ('DOMESTIC_ABUSE', 'MENTAL_HEALTH')) t",
            "o",
        )
        + ", 'domesticAbuseMarker', (SELECT jsonb_build_object('addedOn', added_on)"
        " FROM nominal_marker WHERE nominal_ref = p.nominal_ref"
        " AND marker_code = 'DOMESTIC_ABUSE')"
        ", 'mentalHealthMarker', (SELECT jsonb_build_object('addedOn', added_on)"
        " FROM nominal_marker WHERE nominal_ref = p.nominal_ref"
        " AND marker_code = 'MENTAL_HEALTH')",
    ),
    "welfare": _section(
        "claimant",
        "claimant_id",
        "",
        "'nationalInsuranceNumber', p.national_insurance_number, 'universalCreditClaims', "
        + _list(
            "(SELECT jsonb_build_object('role', CASE WHEN u.claimant_id = p.claimant_id"
            " THEN 'claimant' ELSE 'partner' END, 'jointClaim',"
            " u.partner_claimant_id IS NOT NULL, 'startDate', u.start_date, 'endDate',"
            " u.end_date, 'monthlyAward', u.monthly_award, 'housingElement', u.housing_element,"
            " 'childElement', u.child_element, 'childcareElement', u.childcare_element,"
            " 'limitedCapabilityForWorkElement', u.lcwra_element, 'carerElement',"
            " u.carer_element) AS x, u.claim_id AS o FROM uc_claim u"
            " WHERE p.claimant_id IN (u.claimant_id, u.partner_claimant_id)) t",
            "o",
        )
        + ", 'employmentStatus', (SELECT jsonb_build_object('status', status,"
        " 'effectiveFrom', effective_from, 'weeklyHours', weekly_hours)"
        " FROM employment_status WHERE claimant_id = p.claimant_id)",
    ),
    "housing": _section(
        "household_member",
        "member_ref",
        "",
        # Documented: tenancies and homelessness cases "the latest first"; a tenancy's
        # members "the lead tenant first"; balances "the latest first"; a case's members
        # "the lead applicant first".
        "'tenancies', "
        + _list(
            "(SELECT jsonb_build_object('tenure', t.tenure, 'bedrooms', t.bedrooms,"
            " 'startDate', t.start_date, 'endDate', t.end_date, 'weeklyRent', t.weekly_rent,"
            " 'addressLine', t.address_line, 'postcode', t.postcode, 'relationship',"
            " tm.relationship, 'members', (SELECT coalesce(jsonb_agg(jsonb_build_object("
            " 'givenName', m.given_name, 'familyName', m.family_name, 'dateOfBirth',"
            " m.date_of_birth, 'sex', m.sex, 'relationship', o.relationship)"
            " ORDER BY o.relationship <> 'lead_tenant', m.member_ref), '[]')"
            " FROM tenancy_member o JOIN household_member m USING (member_ref)"
            " WHERE o.tenancy_ref = t.tenancy_ref), 'rentArrears', (SELECT"
            " coalesce(jsonb_agg(jsonb_build_object('asOf', r.as_of, 'balance', r.balance)"
            " ORDER BY r.as_of DESC), '[]') FROM rent_arrears r"
            " WHERE r.tenancy_ref = t.tenancy_ref)) AS x, t.start_date AS d,"
            " t.tenancy_ref AS o FROM tenancy_member tm JOIN tenancy t USING (tenancy_ref)"
            " WHERE tm.member_ref = p.member_ref) t",
            "d DESC, o",
        )
        + ", 'homelessnessCases', "
        + _list(
            "(SELECT jsonb_build_object('dutyType', h.duty_type, 'reason', h.reason,"
            " 'openedOn', h.opened_on, 'closedOn', h.closed_on, 'outcome', h.outcome,"
            " 'members', (SELECT jsonb_agg(jsonb_build_object('givenName', m.given_name,"
            " 'familyName', m.family_name, 'dateOfBirth', m.date_of_birth, 'sex', m.sex,"
            " 'relationship', w.relationship, 'leadApplicant', w.lead)"
            " ORDER BY NOT w.lead, m.member_ref) FROM (SELECT member_ref,"
            " relationship, member_ref = h.lead_member_ref AS lead"
            " FROM homelessness_case_member WHERE case_ref = h.case_ref UNION SELECT"
            " h.lead_member_ref, 'applicant', true WHERE NOT EXISTS (SELECT 1 FROM"
            " homelessness_case_member WHERE case_ref = h.case_ref AND member_ref ="
            " h.lead_member_ref)) w JOIN household_member m USING (member_ref))) AS x,"
            " h.opened_on AS d, h.case_ref AS o FROM homelessness_case h"
            " WHERE h.lead_member_ref = p.member_ref OR EXISTS (SELECT 1 FROM"
            " homelessness_case_member cm WHERE cm.case_ref = h.case_ref"
            " AND cm.member_ref = p.member_ref)) t",
            "d DESC, o",
        ),
    ),
}
# Where an agency's store is named after it, not after its GraphQL field.
STORE_OF = {
    "health": "health",
    "adultSocialCare": "adult_social_care",
    "childrensServices": "childrens_services",
    "education": "education",
    "police": "police",
    "welfare": "welfare",
    "housing": "housing",
}
# Nested lists whose order the schema documents; any other list is compared as a multiset.
ORDERED_LISTS = {
    ("education", "attendance"),
    ("housing", "tenancies"),
    ("housing", "homelessnessCases"),
}


async def sections(conn: asyncpg.Connection, field: str, mesh_id: str) -> list[dict[str, Any]]:
    """Every record of the agency linked to ``mesh_id``, as the section's JSON."""
    rows = await conn.fetch(SECTIONS[field], mesh_id)
    return [orjson.loads(r["section"]) for r in rows]


# Each agency's person table, its local id and its NHS number column (None: it holds none).
PERSON_TABLES: dict[str, tuple[str, str, str | None]] = {
    "health": ("patient", "patient_id", "nhs_number"),
    "adult_social_care": ("client", "client_id", "nhs_number"),
    "childrens_services": ("child", "child_id", "nhs_number"),
    "education": ("pupil", "upn", "nhs_number"),
    "housing": ("household_member", "member_ref", None),
    "police": ("nominal", "nominal_ref", None),
    "welfare": ("claimant", "claimant_id", None),
}


async def people_matching(
    conn: asyncpg.Connection,
    store: str,
    *,
    nhs_number: str | None = None,
    family_name: str | None = None,
    date_of_birth: Any = None,
    postcode: str | None = None,
) -> set[str]:
    """The mesh ids of the agency's linked records with that NHS number, that family name
    (any case) and date of birth, or that postcode."""
    table, local_id, nhs = PERSON_TABLES[store]
    nhs_test = f"p.{nhs} = $1" if nhs else "false AND $1::text IS NULL"
    rows = await conn.fetch(
        f"SELECT DISTINCT c.mesh_id FROM {table} p JOIN mesh_crosswalk c"
        f" ON c.entity = 'Person' AND c.local_id = p.{local_id}::text"
        f" WHERE {nhs_test}"
        " OR (lower(p.family_name) = lower($2) AND p.date_of_birth = $3)"
        " OR ($2::text IS NULL AND $3::date IS NULL AND p.postcode = $4)",
        nhs_number,
        family_name,
        date_of_birth,
        postcode,
    )
    return {r["mesh_id"] for r in rows}
