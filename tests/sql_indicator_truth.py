"""Each agency's needs indicators as its own tables say, in SQL written here from each
indicator's title (``subgraphs/<agency>/indicators.yaml``), not from the agency's
``mesh_needs_fact`` view or the kit's evaluator: the oracle for the kept indicators.

Per agency: its person table (local id, postcode, date of birth) and one statement per
indicator giving ``(local_id, as_of)`` per qualifying fact, over ``person p`` (with the
record's ``local_authority`` by its postcode district) and ``today t`` (the extract's date).
A record's indicator is dated by its latest qualifying fact; its authority is its record's,
its age band the record's age on the extract date.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from store import ServerAddress
from store.server import connect

# (person table, its local id column)
PEOPLE = {
    "education": ("pupil", "upn"),
    "childrens_services": ("child", "child_id"),
    "health": ("patient", "patient_id"),
    "adult_social_care": ("client", "client_id"),
    "housing": ("household_member", "member_ref"),
    "police": ("nominal", "nominal_ref"),
    "welfare": ("claimant", "claimant_id"),
}


def _within(days: int, column: str) -> str:
    return f"{column} <= t.d AND {column} >= t.d - {days}"


# The latest three terms a pupil has attendance for, dated by the term's end.
_TERMS = """
SELECT a.upn, a.sessions_attended, a.sessions_possible,
       CASE a.term WHEN 'autumn' THEN make_date(left(a.academic_year, 4)::int, 12, 20)
                   WHEN 'spring' THEN make_date(left(a.academic_year, 4)::int + 1, 3, 28)
                   ELSE make_date(left(a.academic_year, 4)::int + 1, 7, 19) END AS ends
FROM attendance a
"""
_ONGOING_CLAIM = (
    "JOIN uc_claim u ON u.end_date IS NULL AND u.start_date <= t.d"
    " WHERE p.local_id IN (u.claimant_id::text, u.partner_claimant_id::text)"
)
INDICATORS: dict[str, dict[str, str]] = {
    "education": {
        # Attended under 90 % of sessions in the last three terms (Bolton: under 85 %), the
        # latest within 400 days.
        "EDU_PERSISTENT_ABSENCE": f"""
SELECT p.local_id, max(x.ends) FROM person p, today t,
  LATERAL (SELECT * FROM ({_TERMS}) s WHERE s.upn = p.local_id
           ORDER BY s.ends DESC LIMIT 3) x
GROUP BY p.local_id, p.local_authority, t.d
HAVING sum(x.sessions_attended) * 100 <
       sum(x.sessions_possible) * CASE WHEN p.local_authority = 'Bolton' THEN 85 ELSE 90 END
   AND max(x.ends) >= t.d - 400 AND max(x.ends) <= t.d""",
        "EDU_SUSPENSION": "SELECT p.local_id, e.start_date FROM person p, today t JOIN exclusion"
        f" e ON e.exclusion_type = 'suspension' WHERE e.upn = p.local_id AND"
        f" {_within(365, 'e.start_date')}",
        "EDU_PERMANENT_EXCLUSION": "SELECT p.local_id, e.start_date FROM person p, today t"
        " JOIN exclusion e ON e.exclusion_type = 'permanent' WHERE e.upn = p.local_id AND"
        f" {_within(730, 'e.start_date')}",
        "EDU_EHC_PLAN": "SELECT p.local_id, t.d FROM person p, today t JOIN pupil u"
        " ON u.send_status = 'EHCP' WHERE u.upn = p.local_id",
    },
    "childrens_services": {
        code: f"SELECT p.local_id, x.start_date FROM person p, today t JOIN {table} x"
        f" ON x.end_date IS NULL AND x.start_date <= t.d {extra}"
        " WHERE x.child_id::text = p.local_id"
        for code, table, extra in (
            ("CSC_CHILD_IN_NEED", "cin_episode", ""),
            ("CSC_CHILD_PROTECTION_PLAN", "cp_plan", ""),
            ("CSC_LOOKED_AFTER", "looked_after_episode", ""),
            ("CSC_FAMILY_STRESS", "cin_episode", "AND x.primary_need_code IN ('N4', 'N5')"),
        )
    },
    "health": {
        "HEALTH_MENTAL_HEALTH_CONTACT": "SELECT p.local_id, m.contact_date FROM person p, today"
        " t JOIN mental_health_contact m ON m.service <> 'Drug and Alcohol Service'"
        f" WHERE m.patient_id::text = p.local_id AND {_within(365, 'm.contact_date')}",
        "HEALTH_SUBSTANCE_MISUSE": "SELECT p.local_id, m.contact_date FROM person p, today t"
        " JOIN mental_health_contact m ON m.service = 'Drug and Alcohol Service'"
        f" WHERE m.patient_id::text = p.local_id AND {_within(365, 'm.contact_date')}",
        # A child under five seen at A&E in the last year (under five when seen).
        "HEALTH_EARLY_YEARS_AE": "SELECT p.local_id, a.arrived_at::date FROM person p, today t"
        " JOIN ae_attendance a ON true WHERE a.patient_id::text = p.local_id"
        " AND a.arrived_at < p.date_of_birth + interval '5 years'"
        f" AND {_within(365, 'a.arrived_at::date')}",
    },
    "adult_social_care": {
        "ASC_CARE_AND_SUPPORT": "SELECT p.local_id, k.start_date FROM person p, today t"
        " JOIN care_package k ON k.end_date IS NULL AND k.start_date <= t.d"
        " WHERE k.client_id::text = p.local_id",
    },
    "housing": {
        # The latest balance of a current tenancy, within 180 days, over £500 (Manchester £750).
        "HOUSING_RENT_ARREARS": """
SELECT p.local_id, r.as_of FROM person p, today t
JOIN tenancy_member tm ON true JOIN tenancy y ON y.tenancy_ref = tm.tenancy_ref
 AND y.end_date IS NULL
JOIN LATERAL (SELECT * FROM rent_arrears a WHERE a.tenancy_ref = y.tenancy_ref
              ORDER BY a.as_of DESC LIMIT 1) r ON true
WHERE tm.member_ref = p.local_id AND r.as_of <= t.d AND r.as_of >= t.d - 180
  AND r.balance > CASE WHEN p.local_authority = 'Manchester' THEN 750 ELSE 500 END""",
        "HOUSING_HOMELESSNESS_DUTY": "SELECT p.local_id, h.opened_on FROM person p, today t"
        " JOIN homelessness_case h ON true WHERE p.local_id IN (h.lead_member_ref, (SELECT"
        " m.member_ref FROM homelessness_case_member m WHERE m.case_ref = h.case_ref AND"
        f" m.member_ref = p.local_id)) AND {_within(365, 'h.opened_on')}",
        "HOUSING_FLEEING_DOMESTIC_ABUSE": "SELECT p.local_id, h.opened_on FROM person p, today"
        " t JOIN homelessness_case h ON h.reason = 'domestic_abuse' WHERE p.local_id IN"
        " (h.lead_member_ref, (SELECT m.member_ref FROM homelessness_case_member m WHERE"
        f" m.case_ref = h.case_ref AND m.member_ref = p.local_id))"
        f" AND {_within(730, 'h.opened_on')}",
    },
    "police": {
        **{
            code: "SELECT p.local_id, k.added_on FROM person p, today t JOIN nominal_marker k"
            f" ON k.marker_code = '{marker}' WHERE k.nominal_ref = p.local_id"
            f" AND {_within(730, 'k.added_on')}"
            for code, marker in (
                ("POLICE_DOMESTIC_ABUSE", "DOMESTIC_ABUSE"),
                ("POLICE_ANTISOCIAL_BEHAVIOUR", "ASB"),
                ("POLICE_DRUGS", "DRUGS"),
                ("POLICE_MISSING_PERSON", "MISSING_PERSON"),
            )
        },
        "POLICE_OFFENDING": "SELECT p.local_id, i.occurred_at::date FROM person p, today t"
        " JOIN incident_nominal n ON n.role = 'suspect' JOIN incident i"
        " ON i.incident_ref = n.incident_ref WHERE n.nominal_ref = p.local_id"
        f" AND {_within(365, 'i.occurred_at::date')}",
    },
    "welfare": {
        "WELFARE_WORKLESS": "SELECT p.local_id, s.effective_from FROM person p, today t"
        " JOIN employment_status s ON s.status IN ('unemployed', 'inactive_sick_or_disabled',"
        " 'inactive_caring') AND s.effective_from <= t.d WHERE s.claimant_id::text = p.local_id",
        "WELFARE_UC_CLAIM": f"SELECT p.local_id, u.start_date FROM person p, today t"
        f" {_ONGOING_CLAIM}",
        "WELFARE_LIMITED_CAPABILITY_FOR_WORK": "SELECT p.local_id, u.start_date FROM person p,"
        f" today t {_ONGOING_CLAIM} AND u.lcwra_element",
    },
}


def indicators_sql(agency: str) -> str:
    """Every linked record's indicators: (person_id, code, as_of, local_authority, age_band),
    one row per local record and code (as many as the agency's records of the person)."""
    table, local_id = PEOPLE[agency]
    found = " UNION ALL ".join(
        f"SELECT '{code}' AS code, f.* FROM ({sql}) AS f(local_id, as_of)"
        for code, sql in INDICATORS[agency].items()
    )
    return f"""
WITH today AS (SELECT coalesce((SELECT taken_on FROM mesh_extract), current_date) AS d),
person AS (
    SELECT x.{local_id}::text AS local_id, x.postcode, x.date_of_birth, d.local_authority
    FROM {table} x
    LEFT JOIN mesh_postcode_district d ON d.district = split_part(x.postcode, ' ', 1)
),
found AS ({found})
SELECT c.mesh_id AS person_id, f.code, max(f.as_of) AS as_of, p.local_authority,
       CASE WHEN p.date_of_birth IS NULL THEN NULL
            ELSE (SELECT count(*) FROM unnest(ARRAY[5, 11, 16, 18, 25, 50, 65]) b
                  WHERE date_part('year', age(t.d, p.date_of_birth)) >= b) END AS age_band
FROM found f JOIN person p USING (local_id) CROSS JOIN today t
JOIN mesh_crosswalk c ON c.entity = 'Person' AND c.local_id = f.local_id
GROUP BY f.local_id, c.mesh_id, f.code, p.local_authority, p.date_of_birth, t.d
"""


async def indicator_rows(address: ServerAddress, agency: str) -> tuple[Counter[Any], Counter[Any]]:
    """(what the agency's tables say, what it keeps) as multisets of
    (person, code, as_of, local authority, age band)."""
    conn = await connect(address, agency)
    try:
        truth = await conn.fetch(indicators_sql(agency))
        kept = await conn.fetch(
            "SELECT person_id, code, as_of, local_authority, age_band FROM mesh_needs_indicator"
        )
    finally:
        await conn.close()
    return Counter(tuple(r) for r in truth), Counter(tuple(r) for r in kept)
