"""Welfare: Universal Credit claimants, claims (joint for couples) and labour-market status.

Claims are decided per benefit unit (a single adult or a couple, with the head's children), more
often where housing found rent arrears.
"""

from __future__ import annotations

from devtools.synth.context import ChunkContext
from devtools.synth.dates import REFERENCE_DAY, day, years
from devtools.synth.draws import Weighted, money
from devtools.synth.identifiers import LocalIds, national_insurance_number
from devtools.synth.people import Household, Person
from devtools.synth.rows import TableSpec

AGENCY = "welfare"
CLAIMANT = TableSpec(
    AGENCY,
    "claimant",
    (
        "claimant_id",
        "national_insurance_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "address_line",
        "postcode",
        "uprn",
    ),
)
UC_CLAIM = TableSpec(
    AGENCY,
    "uc_claim",
    (
        "claim_id",
        "claimant_id",
        "partner_claimant_id",
        "start_date",
        "end_date",
        "monthly_award",
        "housing_element",
        "child_element",
        "childcare_element",
        "lcwra_element",
        "carer_element",
    ),
)
EMPLOYMENT_STATUS = TableSpec(
    AGENCY,
    "employment_status",
    (
        "claimant_id",
        "status",
        "effective_from",
        "weekly_hours",
    ),
)
TABLES = (CLAIMANT, UC_CLAIM, EMPLOYMENT_STATUS)

_CLAIMANT_ID_BASE = 30_000_000
_CURRENT_CLAIM = 0.115  # per working-age benefit unit, times need: ~15 % of working-age adults
_ENDED_CLAIM = 0.04
_PENSION_AGE = 66

_STATUSES = Weighted(
    [
        ("employed", 38),
        ("self_employed", 6),
        ("unemployed", 42),
        ("inactive_caring", 8),
        ("student", 3),
        ("inactive_sick_or_disabled", 3),
    ]
)
# Universal Credit monthly amounts, 2024/25
_SINGLE_UNDER_25, _SINGLE, _COUPLE_UNDER_25, _COUPLE = 311.68, 393.45, 489.23, 617.60
_FIRST_CHILD, _OTHER_CHILD, _LCWRA, _CARER = 333.33, 287.92, 416.19, 198.31


class WelfareRecords:
    """Writes the Universal Credit claims of each household's benefit units."""

    def __init__(self, ctx: ChunkContext) -> None:
        self._ctx = ctx
        self._ids = LocalIds(AGENCY, ctx.seed)
        self._nino_ids = LocalIds("welfare-nino", ctx.seed)
        self._claimants = ctx.rows.table(CLAIMANT)
        self._claims = ctx.rows.table(UC_CLAIM)
        self._statuses = ctx.rows.table(EMPLOYMENT_STATUS)

    def add(self, household: Household) -> None:
        r = self._ctx.rng.random
        members = household.members
        working_age = [p for p in members if 18 <= p.age < _PENSION_AGE]
        if not working_age:
            return
        children = [p for p in members if p.relationship == "child"]
        head = members[0]
        partner = members[1] if len(members) > 1 and members[1].relationship == "partner" else None
        rate = (
            _CURRENT_CLAIM
            * household.need
            * (1.6 if household.in_arrears else 1.0)
            * (3.0 if household.family.workless else 1.0)
        )
        for person in working_age:
            if person is partner and head in working_age:
                continue  # claims jointly with the head
            joint = partner if person is head and partner in working_age else None
            own_children = children if person is head else []
            u = r()
            chance = min(0.9, rate * (1.3 if own_children else 1.0))
            if u < chance:
                self._add_claim(household, person, joint, len(own_children), current=True)
            elif u < chance + _ENDED_CLAIM:
                self._add_claim(household, person, joint, len(own_children), current=False)

    def _add_claimant(self, person: Person, household: Household) -> int:
        ctx = self._ctx
        claimant_id = _CLAIMANT_ID_BASE + self._ids.of(person.person_id - 1)
        nino = national_insurance_number(self._nino_ids.of(person.person_id - 1))
        self._claimants.append((claimant_id, nino, *ctx.identity.copy(person, household)))
        ctx.link(AGENCY, str(claimant_id), person)
        return claimant_id

    def _add_claim(
        self,
        household: Household,
        lead: Person,
        partner: Person | None,
        children: int,
        *,
        current: bool,
    ) -> None:
        r = self._ctx.rng.random
        lead_id = self._add_claimant(lead, household)
        partner_id = self._add_claimant(partner, household) if partner is not None else None
        if current:
            start = REFERENCE_DAY - int(r() ** 1.5 * years(6.5))
            end = None
        else:
            start = REFERENCE_DAY - years(1 + r() * 5)
            end = start + 60 + int(r() * (REFERENCE_DAY - start - 60))
        young = lead.age < 25 and (partner is None or partner.age < 25)
        award = (
            (_COUPLE_UNDER_25 if young else _COUPLE)
            if partner
            else (_SINGLE_UNDER_25 if young else _SINGLE)
        )
        if children:
            award += _FIRST_CHILD + _OTHER_CHILD * min(children - 1, 1 if r() < 0.6 else children)
        lcwra = r() < (0.35 if lead.age >= 45 else 0.2)
        carer = not lcwra and r() < 0.06
        award += _LCWRA if lcwra else _CARER if carer else 0.0
        housing = household.social_rented or r() < 0.45
        if housing:
            award += 440.0 + r() * 60.0 if household.social_rented else 550.0 + r() * 400.0
        workless = household.family.workless
        statuses = [self._status(lcwra, carer, workless)] + (
            [self._status(False, False, workless)] if partner else []
        )
        working = any(s in ("employed", "self_employed") for s in statuses)
        childcare = children > 0 and working and r() < 0.15
        if childcare:
            award += 200.0 + r() * 700.0
        if working:
            award -= 0.55 * max(0.0, 300.0 + r() * 1500.0 - (404.0 if housing else 673.0))
        self._claims.append(
            (
                lead_id * 10 + (1 if current else 0),
                lead_id,
                partner_id,
                day(start),
                None if end is None else day(end),
                money(max(0.0, award)),
                housing,
                children > 0,
                childcare,
                lcwra,
                carer,
            )
        )
        for claimant_id, status in zip((lead_id, partner_id), statuses, strict=False):
            assert claimant_id is not None
            hours = (
                (4 + int(r() * 34))
                if status == "employed"
                else (10 + int(r() * 30))
                if status == "self_employed"
                else None
            )
            since = start + int(r() * ((end or REFERENCE_DAY) - start))
            self._statuses.append((claimant_id, status, day(since), hours))

    def _status(self, lcwra: bool, carer: bool, workless: bool) -> str:
        if workless and not (lcwra or carer):
            return "unemployed"
        if lcwra:
            return "inactive_sick_or_disabled"
        if carer:
            return "inactive_caring"
        status = _STATUSES.pick(self._ctx.rng.random())
        return "employed" if status == "unemployed" and not workless else status
