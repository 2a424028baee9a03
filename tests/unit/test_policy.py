"""The sharing rules: the shipped agreements, the decision engine and the IG reports."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from graphql import GraphQLObjectType, build_ast_schema, parse

from authz.agreements import ROLES, AgreementError, load_agreements, parse_agreement
from authz.explain import Parties, check, contract_fields, explain, transparency_page
from authz.model import AccessRequest, Effect, FieldFacts, MaskRule, Principal, PurposeOfUse
from authz.policy import NATIONAL_OPT_OUT_RULE, RowRule, SharingRules, apply_mask
from subgraphs.registry import AGENCIES, INDEX

CONTRACT = (Path(__file__).resolve().parents[2] / "schema" / "supergraph.graphql").read_text()
TODAY = date(2026, 11, 24)
PARTIES = Parties(AGENCIES, INDEX)
ICB = "QOP"  # NHS Greater Manchester ICB: the only organisation planning agreements name

# One representative field per (agency, category) the contract serves, in the matrix's order.
COLUMNS: list[tuple[str, list[tuple[str, str]]]] = [
    ("health", [
        ("identity", "HealthRecord.dateOfBirth"), ("contact", "HealthRecord.postcode"),
        ("health", "LongTermCondition.diagnosedOn"),
        ("mental_health", "MentalHealthContact.contactDate"),
        ("needs_indicator", "Household.healthNeedsIndicators"),
    ]),
    ("adult_social_care", [
        ("identity", "SocialCareRecord.dateOfBirth"), ("contact", "SocialCareRecord.postcode"),
        ("social_care", "CareAssessment.assessedOn"), ("financial", "CarePackage.weeklyCost"),
        ("needs_indicator", "Household.adultSocialCareNeedsIndicators"),
    ]),
    ("childrens_services", [
        ("identity", "ChildrensServicesRecord.dateOfBirth"),
        ("contact", "ChildrensServicesRecord.postcode"), ("child", "ChildProtectionPlan.startDate"),
        ("needs_indicator", "Household.childrensServicesNeedsIndicators"),
    ]),
    ("housing", [
        ("identity", "HousingRecord.dateOfBirth"), ("contact", "HousingRecord.postcode"),
        ("housing", "PersonTenancy.tenure"), ("financial", "RentArrearsBalance.balance"),
        ("needs_indicator", "Household.housingNeedsIndicators"),
    ]),
    ("police", [
        ("identity", "PoliceRecord.dateOfBirth"), ("contact", "PoliceRecord.postcode"),
        ("criminal", "PoliceIncident.incidentType"),
        ("domestic_abuse", "DomesticAbuseMarker.addedOn"),
        ("mental_health", "MentalHealthMarker.addedOn"),
        ("needs_indicator", "Household.policeNeedsIndicators"),
    ]),
    ("education", [
        ("identity", "EducationRecord.dateOfBirth"), ("contact", "EducationRecord.postcode"),
        ("education", "TermAttendance.attendancePercent"),
        ("needs_indicator", "Household.educationNeedsIndicators"),
    ]),
    ("welfare", [
        ("identity", "WelfareRecord.dateOfBirth"), ("contact", "WelfareRecord.postcode"),
        ("financial", "UniversalCreditClaim.monthlyAward"),
        ("health", "UniversalCreditClaim.limitedCapabilityForWorkElement"),
        ("needs_indicator", "Household.welfareNeedsIndicators"),
    ]),
    ("index", [
        ("identity", "Household.size"), ("linkage", "AgencyLink.agency"),
        ("needs_indicator", "Household.needs"), ("needs_statistics", "Query.demand"),
    ]),
]  # fmt: skip

# Expected decisions, written out by hand from the agreements (with a case reference and a
# justification given; organisation QOP). A = ALLOW, . = DENY; MASK by its rule: Y = year
# only, P = postcode district, W = withheld, I = initial only. One group per agency above.
MATRIX = """
role                          purpose       health asc   cs   housing police edu  welfare index
gp                            DIRECT_CARE   AAAA.  AAA.. .... .....   ...... .... .....   A...
gp                            SAFEGUARDING  .....  ..... A.A. .....   ...... .... .....   ....
gp                            EARLY_HELP    .....  ..... .... .....   ...... .... .....   ....
gp                            PLANNING      .....  ..... .... .....   ...... .... .....   ....
gp                            EMERGENCY     AAAA.  AAA.. .... .....   ...... .... .....   ....
nurse                         DIRECT_CARE   AAAA.  AAA.. .... AAA..   ...... .... .....   A...
nurse                         SAFEGUARDING  .....  ..... A.A. .....   ...... .... .....   ....
nurse                         EARLY_HELP    .....  ..... .... .....   ...... .... .....   ....
nurse                         PLANNING      .....  ..... .... .....   ...... .... .....   ....
nurse                         EMERGENCY     AAAA.  AAA.. .... .....   ...... .... .....   ....
hospital_clinician            DIRECT_CARE   AAAA.  AAA.. .... AAA..   ...... .... .....   A...
hospital_clinician            SAFEGUARDING  .....  ..... A.A. .....   ...... .... .....   ....
hospital_clinician            EARLY_HELP    .....  ..... .... .....   ...... .... .....   ....
hospital_clinician            PLANNING      .....  ..... .... .....   ...... .... .....   ....
hospital_clinician            EMERGENCY     AAAA.  AAA.. .... .....   ...... .... .....   ....
paramedic                     DIRECT_CARE   AAAA.  ..... .... .....   ...... .... .....   A...
paramedic                     SAFEGUARDING  .....  ..... .... .....   ...... .... .....   ....
paramedic                     EARLY_HELP    .....  ..... .... .....   ...... .... .....   ....
paramedic                     PLANNING      .....  ..... .... .....   ...... .... .....   ....
paramedic                     EMERGENCY     AAAA.  AAA.. .... .....   ...... .... .....   ....
social_worker                 DIRECT_CARE   AAAA.  AAAA. .... AAA..   ...... .... .....   A...
social_worker                 SAFEGUARDING  AAAA.  AAA.. .... AAAA.   AAAAAA .... AAAA.   AAA.
social_worker                 EARLY_HELP    .....  ..... .... .....   ...... .... .....   ....
social_worker                 PLANNING      .....  ..... .... .....   ...... .... .....   ....
social_worker                 EMERGENCY     .....  ..... .... .....   ...... .... .....   ....
childrens_social_worker       DIRECT_CARE   .....  ..... .... .....   ...... .... .....   ....
childrens_social_worker       SAFEGUARDING  AAAA.  ..... AAAA AAAA.   AAAAAA AAA. AAAA.   AAA.
childrens_social_worker       EARLY_HELP    .....  ..... .... .....   ...... .... .....   ....
childrens_social_worker       PLANNING      .....  ..... .... .....   ...... .... .....   ....
childrens_social_worker       EMERGENCY     .....  ..... .... .....   ...... .... .....   ....
safeguarding_lead             DIRECT_CARE   .....  ..... .... .....   ...... .... .....   ....
safeguarding_lead             SAFEGUARDING  AAAA.  AAA.. AAAA AAAA.   AAAAAA AAA. AAAA.   AAA.
safeguarding_lead             EARLY_HELP    .....  ..... .... .....   ...... .... .....   ....
safeguarding_lead             PLANNING      .....  ..... .... .....   ...... .... .....   ....
safeguarding_lead             EMERGENCY     .....  ..... .... .....   ...... .... .....   ....
designated_safeguarding_lead  DIRECT_CARE   .....  ..... .... .....   ...... .... .....   ....
designated_safeguarding_lead  SAFEGUARDING  .....  ..... AAA. .....   A..A.. .... .....   ....
designated_safeguarding_lead  EARLY_HELP    .....  ..... .... .....   ...... .... .....   ....
designated_safeguarding_lead  PLANNING      .....  ..... .... .....   ...... .... .....   ....
designated_safeguarding_lead  EMERGENCY     .....  ..... .... .....   ...... .... .....   ....
early_help_worker             DIRECT_CARE   .....  ..... .... .....   ...... .... .....   ....
early_help_worker             SAFEGUARDING  .....  ..... .... .....   ...... .... .....   ....
early_help_worker             EARLY_HELP    ....A  ....A YP.A YPAAA   ...... YPAA YPW.A   AAA.
early_help_worker             PLANNING      .....  ..... .... .....   ...... .... .....   ....
early_help_worker             EMERGENCY     .....  ..... .... .....   ...... .... .....   ....
housing_officer               DIRECT_CARE   .....  ..... .... .....   ...... .... .....   ....
housing_officer               SAFEGUARDING  .....  ..... .... .....   ...... .... .....   ....
housing_officer               EARLY_HELP    .....  ..... .... .....   ...... .... A....   ....
housing_officer               PLANNING      .....  ..... .... .....   ...... .... .....   ....
housing_officer               EMERGENCY     .....  ..... .... .....   ...... .... .....   ....
police_officer                DIRECT_CARE   .....  ..... .... .....   ...... .... .....   ....
police_officer                SAFEGUARDING  .....  AAA.. .... AAAA.   AAAAAA .... .....   AA..
police_officer                EARLY_HELP    .....  ..... .... .....   ...... .... .....   ....
police_officer                PLANNING      .....  ..... .... .....   ...... .... .....   ....
police_officer                EMERGENCY     .....  ..... .... .....   ...... .... .....   ....
analyst                       DIRECT_CARE   .....  ..... .... .....   ...... .... .....   ....
analyst                       SAFEGUARDING  .....  ..... .... .....   ...... .... .....   ....
analyst                       EARLY_HELP    .....  ..... .... .....   ...... .... .....   ....
analyst                       PLANNING      YPYY.  YPYA. .... .....   ...... .... .....   AA.A
analyst                       EMERGENCY     .....  ..... .... .....   ...... .... .....   ....
ig_lead                       DIRECT_CARE   .....  ..... .... .....   ...... .... .....   ....
ig_lead                       SAFEGUARDING  .....  ..... .... .....   ...... .... .....   ....
ig_lead                       EARLY_HELP    .....  ..... .... .....   ...... .... .....   ....
ig_lead                       PLANNING      .....  ..... .... .....   ...... .... .....   ....
ig_lead                       EMERGENCY     .....  ..... .... .....   ...... .... .....   ....
"""
MASK_LETTERS = {
    MaskRule.YEAR_ONLY: "Y",
    MaskRule.POSTCODE_DISTRICT: "P",
    MaskRule.WITHHELD: "W",
    MaskRule.INITIAL_ONLY: "I",
}


def matrix_rows() -> list[tuple[str, PurposeOfUse, str]]:
    rows = []
    for line in MATRIX.strip().splitlines()[1:]:
        role, purpose, *groups = line.split()
        rows.append((role, PurposeOfUse(purpose), "".join(groups)))
    return rows


@pytest.fixture(scope="module")
def rules() -> SharingRules:
    return SharingRules.load(clock=lambda: TODAY)


def request(
    role: str,
    purpose: PurposeOfUse,
    org: str = ICB,
    case: str | None = "CASE-1",
    why: str | None = "unconscious in A&E",
) -> AccessRequest:
    return AccessRequest(Principal("u-1", org, (role,)), purpose, case, why)


def facts(coordinate: str, category: str | None, *agencies: str) -> FieldFacts:
    return FieldFacts(coordinate, category, agencies)


def letter(rules: SharingRules, req: AccessRequest, agency: str, cat: str, coord: str) -> str:
    decision = rules.decide(req, facts(coord, cat, agency))
    if decision.effect is Effect.ALLOW:
        return "A"
    if decision.effect is Effect.MASK:
        assert decision.mask is not None
        return MASK_LETTERS[decision.mask]
    return "."


@pytest.mark.parametrize(("role", "purpose", "expected"), matrix_rows())
def test_decision_matrix(
    rules: SharingRules, role: str, purpose: PurposeOfUse, expected: str
) -> None:
    req = request(role, purpose)
    got = "".join(
        letter(rules, req, agency, category, coordinate)
        for agency, cells in COLUMNS
        for category, coordinate in cells
    )
    assert got == expected, f"{role} {purpose.value}"


def test_matrix_spans_every_role_purpose_and_served_category() -> None:
    assert {(r, p) for r, p, _ in matrix_rows()} == {(r, p) for r in ROLES for p in PurposeOfUse}
    served = {
        (a, f.category)
        for f in contract_fields(CONTRACT, parties=PARTIES)
        for a in f.agencies
        if f.category
    }
    columns = {(agency, category) for agency, cells in COLUMNS for category, _ in cells}
    in_matrix = {agency for agency, _ in COLUMNS}  # agencies added later get their own tests
    assert columns == {(agency, category) for agency, category in served if agency in in_matrix}
    by_coordinate = {f.coordinate: f for f in contract_fields(CONTRACT, parties=PARTIES)}
    for agency, cells in COLUMNS:
        for category, coordinate in cells:
            assert by_coordinate[coordinate].category == category
            assert by_coordinate[coordinate].agencies == (agency,)


def test_fields_without_a_category_are_allowed_to_anyone(rules: SharingRules) -> None:
    nobody = AccessRequest(Principal("u-9", "NOWHERE", ()), PurposeOfUse.PLANNING)
    decision = rules.decide(nobody, facts("Person.id", None, "health", "index"))
    assert decision.effect is Effect.ALLOW
    assert decision.agreement_id is None


def test_deny_by_default_for_an_unknown_role(rules: SharingRules) -> None:
    rows = explain(rules, CONTRACT, ICB, "caretaker", PurposeOfUse.DIRECT_CARE, parties=PARTIES)
    sensitive = [r for r in rows if r.category]
    assert sensitive and all(r.effect is Effect.DENY for r in sensitive)
    assert all("caretaker" in r.reason for r in sensitive if "LongTermCondition" in r.coordinate)


def test_deny_by_default_for_an_organisation_outside_the_agreement(rules: SharingRules) -> None:
    field = facts("HealthRecord.dateOfBirth", "identity", "health")
    assert rules.decide(request("analyst", PurposeOfUse.PLANNING), field).effect is Effect.MASK
    outside = rules.decide(request("analyst", PurposeOfUse.PLANNING, org="MANCHESTER-CC"), field)
    assert outside.effect is Effect.DENY
    assert "MANCHESTER-CC" in outside.reason and "analyst" in outside.reason


def test_denial_names_what_is_missing(rules: SharingRules) -> None:
    gp = request("gp", PurposeOfUse.DIRECT_CARE)
    no_agreement = rules.decide(gp, facts("PoliceIncident.role", "criminal", "police"))
    assert no_agreement.reason == (
        "no agreement shares criminal data (PoliceIncident.role) from police for DIRECT_CARE"
    )
    unknown = rules.decide(gp, facts("Thing.x", "sexual_health", "health"))
    assert unknown.reason == "no agreement shares sexual_health data (Thing.x) from health"


def test_break_glass_needs_a_justification_and_is_flagged(rules: SharingRules) -> None:
    field = facts("LongTermCondition.snomedCode", "health", "health")
    for why in (None, "", "   "):
        denied = rules.decide(request("paramedic", PurposeOfUse.EMERGENCY, why=why), field)
        assert denied.effect is Effect.DENY
        assert denied.reason == "break-glass-health@1.0 requires a justification"
    allowed = rules.decide(request("paramedic", PurposeOfUse.EMERGENCY), field)
    assert allowed.effect is Effect.ALLOW
    assert allowed.flags == ("break_glass",)
    assert (allowed.agreement_id, allowed.agreement_version) == ("break-glass-health", "1.0")
    care = rules.decide(request("paramedic", PurposeOfUse.DIRECT_CARE), field)
    assert care.flags == ()
    assert care.agreement_id == "gm-care-record-health"


def test_case_reference_condition(rules: SharingRules) -> None:
    field = facts("PoliceIncident.incidentType", "criminal", "police")
    without = rules.decide(request("social_worker", PurposeOfUse.SAFEGUARDING, case=None), field)
    assert without.effect is Effect.DENY
    assert without.reason == "police-mash-safeguarding@2.0 requires a case reference"
    with_case = rules.decide(request("social_worker", PurposeOfUse.SAFEGUARDING), field)
    assert with_case.effect is Effect.ALLOW
    assert with_case.agreement_id == "police-mash-safeguarding"
    # CP-IS (no condition) still answers a clinician who has no case reference.
    plan = facts("ChildProtectionPlan.startDate", "child", "childrens_services")
    assert rules.decide(request("gp", PurposeOfUse.SAFEGUARDING, case=None), plan).effect is (
        Effect.ALLOW
    )


def test_planning_masks_identity_and_withholds_free_text(rules: SharingRules) -> None:
    analyst = request("analyst", PurposeOfUse.PLANNING)
    expected = {
        "HealthRecord.dateOfBirth": ("identity", Effect.MASK, MaskRule.YEAR_ONLY),
        "HealthRecord.postcode": ("contact", Effect.MASK, MaskRule.POSTCODE_DISTRICT),
        "HealthRecord.givenName": ("identity", Effect.DENY, None),
        "HealthRecord.nhsNumber": ("identity", Effect.DENY, None),
        "HealthRecord.addressLine": ("contact", Effect.DENY, None),
        "AEAttendance.presentingComplaint": ("health", Effect.MASK, MaskRule.WITHHELD),
        "AEAttendance.disposal": ("health", Effect.ALLOW, None),
        "Person.health": ("health", Effect.ALLOW, None),
    }
    for coordinate, (category, effect, mask) in expected.items():
        decision = rules.decide(analyst, facts(coordinate, category, "health"))
        assert (decision.effect, decision.mask) == (effect, mask), coordinate
        if effect is not Effect.DENY:
            assert decision.agreement_id == "planning-population-health"


def test_decisions_are_memoised(rules: SharingRules) -> None:
    req, field = (
        request("gp", PurposeOfUse.DIRECT_CARE),
        facts("HealthRecord.sex", "identity", "health"),
    )
    assert rules.decide(req, field) is rules.decide(req, field)
    same_shape = request("gp", PurposeOfUse.DIRECT_CARE)
    assert rules.decide(same_shape, field) is rules.decide(req, field)


def test_a_field_several_agencies_resolve_needs_an_agreement_from_one_of_them(
    rules: SharingRules,
) -> None:
    gp = request("gp", PurposeOfUse.DIRECT_CARE)
    shared = rules.decide(gp, facts("Household.size", "identity", "housing", "index"))
    assert shared.effect is Effect.ALLOW and shared.agreement_id == "index-household-care"
    elsewhere = rules.decide(gp, facts("Household.size", "identity", "police", "welfare"))
    assert elsewhere.effect is Effect.DENY
    assert "police or welfare" in elsewhere.reason


def test_national_data_opt_out_applies_to_planning_only(rules: SharingRules) -> None:
    planning = rules.row_rules(request("analyst", PurposeOfUse.PLANNING))
    assert planning == [NATIONAL_OPT_OUT_RULE]
    assert planning[0].agencies == ("health", "adult_social_care")
    assert planning[0].flag_coordinate == "Person.nationalDataOptOut"  # the index's flag
    assert rules.row_rules(request("gp", PurposeOfUse.PLANNING)) == [NATIONAL_OPT_OUT_RULE]
    for purpose in PurposeOfUse:
        if purpose is not PurposeOfUse.PLANNING:
            for role in ROLES:
                assert rules.row_rules(request(role, purpose)) == [], (role, purpose)


def test_apply_mask() -> None:
    assert apply_mask(MaskRule.YEAR_ONLY, date(1973, 5, 2)) == "1973"
    assert apply_mask(MaskRule.YEAR_ONLY, "1973-05-02") == "1973"
    assert apply_mask(MaskRule.YEAR_ONLY, "2024-01-03T10:15:00+00:00") == "2024"
    assert apply_mask(MaskRule.YEAR_ONLY, "last Tuesday") is None
    assert apply_mask(MaskRule.POSTCODE_DISTRICT, "M14 5RT") == "M14"
    assert apply_mask(MaskRule.POSTCODE_DISTRICT, "ol11 1aa") == "OL11"
    assert apply_mask(MaskRule.POSTCODE_DISTRICT, "SK43BB") == "SK4"
    assert apply_mask(MaskRule.POSTCODE_DISTRICT, "WN1") == "WN1"
    assert apply_mask(MaskRule.POSTCODE_DISTRICT, "not a postcode") is None
    assert apply_mask(MaskRule.WITHHELD, "anything") is None
    assert apply_mask(MaskRule.INITIAL_ONLY, "  aisha") == "A."
    assert apply_mask(MaskRule.INITIAL_ONLY, "") is None
    assert apply_mask(MaskRule.INITIAL_ONLY, 42) is None
    assert apply_mask(MaskRule.YEAR_ONLY, None) is None
    assert apply_mask(MaskRule.YEAR_ONLY, ["1990-01-01", None]) == ["1990", None]


def test_check_passes_on_the_shipped_agreements(rules: SharingRules) -> None:
    assert check(rules, CONTRACT, TODAY, parties=PARTIES) == []


def test_shipped_agreements_keep_the_governance_rules(rules: SharingRules) -> None:
    for agreement in rules.agreements:
        assert agreement.active
        assert agreement.review_date.year == 2027
        purposes = set(agreement.purposes)
        if agreement.providing_agency == "police":
            assert purposes == {PurposeOfUse.SAFEGUARDING}
            assert agreement.lawful_basis.dpa_2018_part_3
            assert all(ROLES[r].safeguarding for r in agreement.receiving.roles)
        statistics_only = set(agreement.covers.categories) == {"needs_statistics"}
        if agreement.providing_agency in ("childrens_services", "education"):
            if statistics_only:  # only disclosure-controlled counts, for planners
                assert purposes == {PurposeOfUse.PLANNING}
                assert set(agreement.receiving.roles) == {"analyst"}
                assert not agreement.covers.coordinates
                continue
            assert purposes <= {PurposeOfUse.SAFEGUARDING, PurposeOfUse.EARLY_HELP}
            assert all(ROLES[r].works_with_children for r in agreement.receiving.roles)
        if PurposeOfUse.EMERGENCY in purposes:
            assert agreement.conditions.requires_justification


def test_every_grant_is_reachable_from_the_query_root(rules: SharingRules) -> None:
    """A field granted under a type no granted path leads to is an agreement mistake."""
    fields = {f.coordinate: f for f in contract_fields(CONTRACT, parties=PARTIES)}
    for role in ROLES:
        for purpose in PurposeOfUse:
            rows = explain(rules, CONTRACT, ICB, role, purpose, parties=PARTIES)
            usable = {
                r.coordinate
                for r in rows
                if r.category  # a grant: fields that are not personal need none
                and (
                    r.effect is Effect.ALLOW
                    or (r.effect is Effect.MASK and r.mask is not MaskRule.WITHHELD)
                )
            }
            reached, grew = {"Query", "Mutation"}, True
            passable = usable | {
                r.coordinate for r in rows if not r.category and r.effect is Effect.ALLOW
            }
            while grew:
                found = {fields[c].type_name for c in passable if c.split(".")[0] in reached}
                grew = not found <= reached
                reached |= found
            dead = sorted(c for c in usable if c.split(".")[0] not in reached)
            assert dead == [], (role, purpose.value, dead)


def test_explain_covers_every_coordinate_of_the_contract(rules: SharingRules) -> None:
    schema = build_ast_schema(parse(CONTRACT))
    coordinates = {
        f"{name}.{field}"
        for name, graphql_type in schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType) and not name.startswith("__")
        for field in graphql_type.fields
    }
    rows = explain(rules, CONTRACT, "RW6", "gp", PurposeOfUse.DIRECT_CARE, parties=PARTIES)
    assert {r.coordinate for r in rows} == coordinates
    assert len(rows) == len(coordinates)
    for row in rows:
        if row.effect is Effect.DENY:
            assert row.reason and row.agreement is None
        else:
            assert row.category is None or row.agreement is not None
    by_coordinate = {r.coordinate: r for r in rows}
    assert by_coordinate["LongTermCondition.snomedCode"].agreement == "gm-care-record-health@3.0"
    assert by_coordinate["PoliceIncident.role"].effect is Effect.DENY
    assert by_coordinate["Query.person"].effect is Effect.ALLOW


def test_explain_without_a_case_reference_shows_the_condition(rules: SharingRules) -> None:
    rows = explain(
        rules,
        CONTRACT,
        "X",
        "police_officer",
        PurposeOfUse.SAFEGUARDING,
        case_reference=False,
        parties=PARTIES,
    )
    incident = next(r for r in rows if r.coordinate == "PoliceIncident.incidentType")
    assert incident.effect is Effect.DENY and "case reference" in incident.reason


def test_contract_agencies_agree_with_composition() -> None:
    from mesh.enforce import schema_field_facts
    from mesh.schema_contract import composed_supergraph

    # The gateway's own facts: fields of the centre's subgraph are governed as the index's.
    facts = schema_field_facts(composed_supergraph()[1])
    for item in contract_fields(CONTRACT, parties=PARTIES):
        if item.category:
            type_name, field_name = item.coordinate.split(".")
            assert set(item.agencies) == set(facts[(type_name, field_name)].agencies), (
                item.coordinate
            )


def test_transparency_page_mentions_every_agreement(rules: SharingRules) -> None:
    page = transparency_page(rules, parties=PARTIES)
    for agreement in rules.agreements:
        assert f"`{agreement.id}`, version {agreement.version}" in page
        assert agreement.title in page
        assert f"{agreement.review_date:%d %B %Y}" in page
    assert "national data opt-out" in page
    assert "Article 15" in page
    assert "dpa_2018" not in page and "_worker" not in page  # plain words, not field names


BASE: dict[str, Any] = {
    "id": "test-housing",
    "version": "1.0",
    "title": "A test agreement",
    "summary": "For tests.",
    "status": "active",
    "providing_agency": "housing",
    "receiving": {"organisations": ["*"], "roles": ["social_worker"]},
    "purposes": ["DIRECT_CARE"],
    "lawful_basis": {"uk_gdpr_article_6": "6(1)(e)"},
    "covers": {"categories": ["housing"]},
    "retention": "Viewed in place.",
    "review_date": date(2027, 6, 30),
}


def variant(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value
    return document


def write(directory: Path, *documents: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for number, document in enumerate(documents):
        (directory / f"{number:02d}-{document['id']}.yaml").write_text(yaml.safe_dump(document))
    return directory


def kinds(problems: list[Any]) -> set[str]:
    return {p.kind for p in problems}


def test_check_catches_each_kind_of_problem(tmp_path: Path) -> None:
    shipped = [a.model_dump(mode="json") for a in load_agreements()]
    broken = [
        variant(id="dup", covers={"categories": ["housing"]}),
        variant(id="dup", version="2.0"),
        variant(id="bad-coordinate", covers={"coordinates": ["HousingRecord.shoeSize"]}),
        variant(id="bad-agency-field", covers={"coordinates": ["PoliceRecord.givenName"]}),
        variant(id="bad-category", covers={"categories": ["astrology"]}),
        variant(id="unused-category", covers={"categories": ["education"]}),
        variant(id="bad-agency", providing_agency="parks"),
        variant(id="bad-role", receiving={"roles": ["caretaker"]}),
        variant(id="overdue", review_date=date(2026, 1, 31)),
        variant(id="mask-uncovered", masks={"HousingRecord.postcode": "postcode_district"}),
        variant(
            id="bad-row-rule",
            row_rules=[{"kind": "astrology_opt_out", "description": "?"}],
        ),
        variant(
            id="no-art9",
            providing_agency="welfare",
            covers={"coordinates": ["UniversalCreditClaim.limitedCapabilityForWorkElement"]},
        ),
    ]
    rules = SharingRules.load(write(tmp_path / "a", *shipped, *broken))
    problems = check(rules, CONTRACT, TODAY, parties=PARTIES)
    assert kinds(problems) == {
        "duplicate_id",
        "unknown_coordinate",
        "wrong_agency",
        "unknown_category",
        "unused_category",
        "unknown_agency",
        "unknown_role",
        "review_overdue",
        "mask_not_covered",
        "unknown_row_rule",
        "lawful_basis",
    }
    by_kind = {p.kind: p for p in problems}
    assert by_kind["duplicate_id"].subject == "dup"
    assert by_kind["unknown_coordinate"].subject == "HousingRecord.shoeSize"
    assert by_kind["unknown_role"].agreement == "bad-role@1.0"
    assert by_kind["review_overdue"].agreement == "overdue@1.0"


def test_check_reports_fields_no_agreement_covers(tmp_path: Path) -> None:
    rules = SharingRules.load(write(tmp_path, variant()))
    uncovered = {
        p.subject
        for p in check(rules, CONTRACT, TODAY, parties=PARTIES)
        if p.kind == "uncovered_field"
    }
    assert "HealthRecord.givenName" in uncovered
    assert "PersonTenancy.tenure" not in uncovered  # housing data the one agreement covers
    assert "Person.id" not in uncovered  # not personal data


def test_an_overdue_agreement_still_applies_but_is_flagged() -> None:
    later = SharingRules.load(clock=lambda: date(2027, 12, 1))
    field = facts("LongTermCondition.snomedCode", "health", "health")
    decision = later.decide(request("gp", PurposeOfUse.DIRECT_CARE), field)
    assert decision.effect is Effect.ALLOW
    assert decision.flags == ("review_overdue",)
    assert "review_overdue" in kinds(check(later, CONTRACT, date(2027, 12, 1), parties=PARTIES))


def test_the_least_restrictive_agreement_wins(tmp_path: Path) -> None:
    field = facts("HousingRecord.dateOfBirth", "identity", "housing")
    year = variant(
        id="a-year", covers={"categories": ["identity"]}, masks={"identity": "year_only"}
    )
    withheld = variant(
        id="b-withheld", covers={"categories": ["identity"]}, masks={"identity": "withheld"}
    )
    plain = variant(id="c-plain", covers={"coordinates": ["HousingRecord.dateOfBirth"]})
    two = SharingRules.load(write(tmp_path / "two", withheld, year))
    decision = two.decide(request("social_worker", PurposeOfUse.DIRECT_CARE), field)
    assert (decision.effect, decision.mask, decision.agreement_id) == (
        Effect.MASK,
        MaskRule.YEAR_ONLY,
        "a-year",
    )
    three = SharingRules.load(write(tmp_path / "three", withheld, year, plain))
    decision = three.decide(request("social_worker", PurposeOfUse.DIRECT_CARE), field)
    assert (decision.effect, decision.mask, decision.agreement_id) == (
        Effect.ALLOW,
        None,
        "c-plain",
    )
    assert decision.agreement_version == "1.0"


def test_drafts_and_withdrawn_agreements_are_not_applied(tmp_path: Path) -> None:
    rules = SharingRules.load(write(tmp_path, variant(status="draft")))
    field = facts("PersonTenancy.tenure", "housing", "housing")
    assert rules.decide(request("social_worker", PurposeOfUse.DIRECT_CARE), field).effect is (
        Effect.DENY
    )


def test_agreements_can_add_row_rules(tmp_path: Path) -> None:
    rule = {
        "kind": "national_data_opt_out",
        "description": "Opt-outs, as recorded by health.",
        "flag_coordinate": "HealthRecord.nationalDataOptOut",
    }
    planning = variant(purposes=["PLANNING"], receiving={"roles": ["analyst"]}, row_rules=[rule])
    rules = SharingRules.load(write(tmp_path, planning))
    found = rules.row_rules(request("analyst", PurposeOfUse.PLANNING))
    assert found[0] == NATIONAL_OPT_OUT_RULE
    assert found[1] == RowRule(
        agencies=("housing",),
        kind="national_data_opt_out",
        flag_coordinate="HealthRecord.nationalDataOptOut",
        source="test-housing@1.0",
        description="Opt-outs, as recorded by health.",
    )
    assert rules.row_rules(request("gp", PurposeOfUse.PLANNING)) == [NATIONAL_OPT_OUT_RULE]


POLICE = {
    "providing_agency": "police",
    "purposes": ["SAFEGUARDING"],
    "covers": {"categories": ["criminal"]},
}
PART_3 = {"dpa_2018_part_3": "Part 3, Schedule 8 paragraph 4"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"colour": "blue"}, "Extra inputs are not permitted"),
        ({"version": 1.0}, "version"),
        ({"purposes": ["GOSSIP"]}, "purposes"),
        ({"masks": {"housing": "blurred"}}, "masks"),
        ({"review_date": "soon"}, "review_date"),
        ({"receiving": {"organisations": ["*", "RW6"], "roles": ["gp"]}}, "cannot be combined"),
        ({"receiving": {"roles": []}}, "roles"),
        ({"covers": {}}, "at least one category or coordinate"),
        ({"covers": {"coordinates": ["not a coordinate"]}}, "not a schema coordinate"),
        ({"lawful_basis": {"legal_gateway": "x"}}, "Art 6 condition is required"),
        ({"lawful_basis": {"uk_gdpr_article_6": "6(1)(z)"}}, "uk_gdpr_article_6"),
        ({**POLICE, "lawful_basis": {"uk_gdpr_article_6": "6(1)(e)"}}, "Part 3"),
        (
            {**POLICE, "lawful_basis": PART_3, "receiving": {"roles": ["housing_officer"]}},
            "safeguarding roles only, not housing_officer",
        ),
        (
            {**POLICE, "lawful_basis": PART_3, "purposes": ["EARLY_HELP"],
             "receiving": {"roles": ["safeguarding_lead"]}},
            "SAFEGUARDING only",
        ),
        ({"providing_agency": "childrens_services"}, "SAFEGUARDING or EARLY_HELP"),
        (
            {"providing_agency": "education", "purposes": ["EARLY_HELP"],
             "receiving": {"roles": ["housing_officer"]}},
            "child-facing roles, not housing_officer",
        ),
        ({"covers": {"categories": ["child"]}, "purposes": ["PLANNING"]}, "SAFEGUARDING or"),
        ({"covers": {"categories": ["health"]}}, "Art 9 condition"),
        (
            {"covers": {"categories": ["health"]},
             "lawful_basis": {"uk_gdpr_article_6": "6(1)(e)", "uk_gdpr_article_9": "9(2)(h)"}},
            "Schedule 1",
        ),
        ({"purposes": ["EMERGENCY"]}, "requires_justification"),
        ({"masks": {"identity": "withheld"}}, "does not cover"),
        (
            {"purposes": ["DIRECT_CARE"],
             "row_rules": [{"kind": "national_data_opt_out", "description": "x"}]},
            "never applies to direct care",
        ),
    ],
)  # fmt: skip
def test_invalid_agreements_fail_to_load(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(AgreementError, match=r"test\.yaml") as caught:
        parse_agreement(yaml.safe_dump(variant(**changes)), "test.yaml")
    assert message in str(caught.value)


def test_a_key_given_twice_fails_to_load() -> None:
    text = yaml.safe_dump(BASE) + "title: Another title\n"
    with pytest.raises(AgreementError, match="duplicate key 'title'"):
        parse_agreement(text, "twice.yaml")


def test_purposes_for(rules: SharingRules) -> None:
    assert rules.purposes_for("RW6", ["gp"]) == (
        PurposeOfUse.DIRECT_CARE,
        PurposeOfUse.SAFEGUARDING,
        PurposeOfUse.EMERGENCY,
    )
    assert rules.purposes_for("RW6", ["analyst"]) == ()
    assert rules.purposes_for(ICB, ["analyst"]) == (PurposeOfUse.PLANNING,)


def test_childrens_agencies_share_for_planning_only_statistics() -> None:
    statistics = {
        "id": "x", "version": "1.0", "title": "t", "summary": "s", "status": "active",
        "providing_agency": "education", "receiving": {"organisations": ["QOP"],
        "roles": ["analyst"]}, "purposes": ["PLANNING"],
        "lawful_basis": {"uk_gdpr_article_6": "6(1)(e)"},
        "covers": {"categories": ["needs_statistics"]}, "retention": "r",
        "review_date": "2027-01-01",
    }  # fmt: skip
    parse_agreement(yaml.safe_dump(statistics))
    for covers in (
        {"categories": ["needs_statistics", "education"]},
        {"categories": ["needs_statistics"], "coordinates": ["Household.size"]},
    ):
        with pytest.raises(AgreementError, match="only for SAFEGUARDING or EARLY_HELP"):
            parse_agreement(yaml.safe_dump({**statistics, "covers": covers}))
