"""Housing: social-rented tenancies and their members, rent arrears, and homelessness cases.

Decides ``Household.social_rented`` and ``Household.in_arrears``, which welfare reads after it.
"""

from __future__ import annotations

from datetime import date

from devtools.synth.context import ChunkContext
from devtools.synth.dates import REFERENCE_DAY, day
from devtools.synth.draws import Weighted, money
from devtools.synth.identifiers import LocalIds
from devtools.synth.people import Household, Person
from devtools.synth.rows import TableSpec

AGENCY = "housing"
HOUSEHOLD_MEMBER = TableSpec(
    AGENCY,
    "household_member",
    (
        "member_ref",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "address_line",
        "postcode",
        "uprn",
    ),
)
TENANCY = TableSpec(
    AGENCY,
    "tenancy",
    (
        "tenancy_ref",
        "uprn",
        "address_line",
        "postcode",
        "tenure",
        "bedrooms",
        "start_date",
        "end_date",
        "weekly_rent",
    ),
)
TENANCY_MEMBER = TableSpec(AGENCY, "tenancy_member", ("tenancy_ref", "member_ref", "relationship"))
RENT_ARREARS = TableSpec(AGENCY, "rent_arrears", ("tenancy_ref", "as_of", "balance"))
HOMELESSNESS_CASE = TableSpec(
    AGENCY,
    "homelessness_case",
    (
        "case_ref",
        "lead_member_ref",
        "duty_type",
        "reason",
        "opened_on",
        "closed_on",
        "outcome",
    ),
)
HOMELESSNESS_CASE_MEMBER = TableSpec(
    AGENCY,
    "homelessness_case_member",
    (
        "case_ref",
        "member_ref",
        "relationship",
    ),
)
TABLES = (
    HOUSEHOLD_MEMBER,
    TENANCY,
    TENANCY_MEMBER,
    RENT_ARREARS,
    HOMELESSNESS_CASE,
    HOMELESSNESS_CASE_MEMBER,
)

_SOCIAL_RENTED = 0.2  # times the household's need; GM about 20 % of households
_ARREARS = 0.17  # of social tenancies, times need
_HOMELESS = 0.005  # households a year, times need
_ARREARS_DATES = (date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31))

_LONG_TENURES = Weighted([("secure", 55), ("assured", 38), ("flexible", 7)])
_DUTIES = Weighted([("prevention", 50), ("relief", 35), ("main", 15)])
_REASONS = Weighted(
    [
        ("end_of_private_tenancy", 30),
        ("family_or_friends_no_longer_willing", 25),
        ("domestic_abuse", 12),
        ("relationship_breakdown", 10),
        ("rent_arrears", 8),
        ("leaving_institution", 5),
        ("eviction_from_supported_housing", 4),
        ("other", 6),
    ]
)
_OUTCOMES = Weighted(
    [
        ("accommodation_secured", 55),
        ("contact_lost", 15),
        ("withdrew_or_declined", 12),
        ("no_longer_eligible", 10),
        ("intentionally_homeless", 8),
    ]
)
_TENANCY_ROLE = {"head": "lead_tenant", "partner": "partner", "child": "child", "other": "other"}
_CASE_ROLE = {"head": "applicant", "partner": "partner", "child": "child", "other": "other"}


class HousingRecords:
    """Writes council tenancies and homelessness cases, and the people in them."""

    def __init__(self, ctx: ChunkContext) -> None:
        self._ctx = ctx
        self._member_ids = LocalIds(AGENCY, ctx.seed)
        self._tenancy_ids = LocalIds("housing-tenancy", ctx.seed)
        self._case_ids = LocalIds("housing-case", ctx.seed)
        self._members = ctx.rows.table(HOUSEHOLD_MEMBER)
        self._tenancies = ctx.rows.table(TENANCY)
        self._tenancy_members = ctx.rows.table(TENANCY_MEMBER)
        self._arrears = ctx.rows.table(RENT_ARREARS)
        self._cases = ctx.rows.table(HOMELESSNESS_CASE)
        self._case_members = ctx.rows.table(HOMELESSNESS_CASE_MEMBER)

    def add(self, household: Household) -> None:
        r = self._ctx.rng.random
        need = household.need
        social = r() < min(0.92, _SOCIAL_RENTED * need)
        homeless = r() < _HOMELESS * need * (4.0 if household.family.domestic_abuse else 1.0)
        if not social and not homeless:
            return
        refs = [self._add_member(person, household) for person in household.members]
        if social:
            household.social_rented = True
            household.in_arrears = r() < min(0.8, _ARREARS * need * household.family.arrears_factor)
            self._add_tenancy(household, refs)
        if homeless:
            self._add_case(household, refs)

    def _add_member(self, person: Person, household: Household) -> str:
        ctx = self._ctx
        ref = f"HM{self._member_ids.of(person.person_id - 1):07d}"
        self._members.append((ref, *ctx.identity.copy(person, household, current_address=True)))
        ctx.link(AGENCY, ref, person)
        return ref

    def _add_tenancy(self, household: Household, refs: list[str]) -> None:
        r = self._ctx.rng.random
        ref = f"TEN{self._tenancy_ids.of(household.household_id - 1):07d}"
        home = household.address
        size = len(household.members)
        bedrooms = 0 if size == 1 and r() < 0.2 else min(5, max(1, (size + 1) // 2))
        recent = REFERENCE_DAY - household.moved_in < 365
        tenure = ("introductory" if r() < 0.6 else "starter") if recent else _LONG_TENURES.pick(r())
        rent = 78.0 + 13.0 * bedrooms + r() * 18.0
        self._tenancies.append(
            (
                ref,
                home.uprn,
                home.line,
                home.postcode,
                tenure,
                bedrooms,
                day(household.moved_in),
                None,
                money(rent),
            )
        )
        partner_joint = r() < 0.6
        for person, member_ref in zip(household.members, refs, strict=True):
            role = _TENANCY_ROLE[person.relationship]
            if role == "partner" and partner_joint:
                role = "joint_tenant"
            self._tenancy_members.append((ref, member_ref, role))
        if household.in_arrears:
            balance = 60.0 + r() * r() * 2400.0
            for as_of in _ARREARS_DATES:
                self._arrears.append((ref, as_of, money(balance)))
                balance = max(5.0, balance + (r() - 0.45) * rent * 2)

    def _add_case(self, household: Household, refs: list[str]) -> None:
        r = self._ctx.rng.random
        ref = f"HPR{self._case_ids.of(household.household_id - 1):07d}"
        opened = REFERENCE_DAY - int(r() * 365)
        closed = opened + 14 + int(r() * 200)
        done = closed <= REFERENCE_DAY and r() < 0.8
        reason = (
            "domestic_abuse"
            if household.family.domestic_abuse and r() < 0.6
            else "rent_arrears"
            if household.in_arrears and r() < 0.5
            else _REASONS.pick(r())
        )
        self._cases.append(
            (
                ref,
                refs[0],
                _DUTIES.pick(r()),
                reason,
                day(opened),
                day(closed) if done else None,
                _OUTCOMES.pick(r()) if done else None,
            )
        )
        for person, member_ref in zip(household.members, refs, strict=True):
            self._case_members.append((ref, member_ref, _CASE_ROLE[person.relationship]))
