"""Children's social care: children in need, child protection plans and looked-after episodes.

Involvement is decided per family, so siblings usually appear together; child protection and care
happen only in families already known as in need.
"""

from __future__ import annotations

from devtools.synth.context import ChunkContext
from devtools.synth.dates import REFERENCE_DAY, day, years
from devtools.synth.draws import Weighted
from devtools.synth.identifiers import LocalIds
from devtools.synth.people import Household
from devtools.synth.rows import TableSpec

AGENCY = "childrens_services"
CHILD = TableSpec(
    AGENCY,
    "child",
    (
        "child_id",
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "address_line",
        "postcode",
        "uprn",
    ),
)
CIN_EPISODE = TableSpec(
    AGENCY,
    "cin_episode",
    (
        "episode_id",
        "child_id",
        "referral_date",
        "start_date",
        "end_date",
        "primary_need_code",
    ),
)
CP_PLAN = TableSpec(
    AGENCY, "cp_plan", ("plan_id", "child_id", "category", "start_date", "end_date")
)
LOOKED_AFTER_EPISODE = TableSpec(
    AGENCY,
    "looked_after_episode",
    (
        "episode_id",
        "child_id",
        "legal_status",
        "placement_type",
        "start_date",
        "end_date",
    ),
)
TABLES = (CHILD, CIN_EPISODE, CP_PLAN, LOOKED_AFTER_EPISODE)

_CHILD_ID_BASE = 20_000_000
_CHILD_INCLUDED = 0.85
_FAMILY_CP = 0.13  # of families in need: ~0.4 % of children
_FAMILY_LOOKED_AFTER = 0.3  # of families in need: ~1 % of children (GM)

_NEED_CODES = Weighted(
    [
        ("N1", 55),
        ("N2", 10),
        ("N3", 4),
        ("N4", 8),
        ("N5", 14),
        ("N6", 2),
        ("N7", 1),
        ("N8", 3),
        ("N9", 3),
    ]
)
_CP_CATEGORIES = Weighted(
    [
        ("neglect", 48),
        ("emotional", 38),
        ("physical", 7),
        ("sexual", 4),
        ("multiple", 3),
    ]
)
_LEGAL_STATUSES = Weighted([("C2", 55), ("C1", 12), ("V2", 20), ("E1", 8), ("L1", 2), ("J2", 3)])
_PLACEMENTS = Weighted(
    [
        ("foster_care", 68),
        ("kinship_care", 10),
        ("placed_with_parents", 7),
        ("residential", 9),
        ("semi_independent", 4),
        ("placed_for_adoption", 2),
    ]
)


def _closed(start: int, u: float, least: int, spread: int) -> int | None:
    end = start + least + int(u * spread)
    return end if end < REFERENCE_DAY else None


class ChildrensServicesRecords:
    """Writes the children of families known to children's social care."""

    def __init__(self, ctx: ChunkContext) -> None:
        self._ctx = ctx
        self._ids = LocalIds(AGENCY, ctx.seed)
        self._children = ctx.rows.table(CHILD)
        self._cin = ctx.rows.table(CIN_EPISODE)
        self._cp = ctx.rows.table(CP_PLAN)
        self._looked_after = ctx.rows.table(LOOKED_AFTER_EPISODE)

    def add(self, household: Household) -> None:
        ctx = self._ctx
        r = ctx.rng.random
        if not household.family.child_in_need:
            return
        children = household.children
        if not children:
            return
        referral = REFERENCE_DAY - int(r() * years(3))
        need_code = "N1" if household.family.domestic_abuse and r() < 0.7 else _NEED_CODES.pick(r())
        start = min(referral + int(r() * 30), REFERENCE_DAY)
        cin_end = _closed(start, r(), 30, 500)
        cp_category = _CP_CATEGORIES.pick(r()) if r() < _FAMILY_CP else None
        looked_after = r() < _FAMILY_LOOKED_AFTER
        for person in children:
            if r() >= _CHILD_INCLUDED:
                continue
            child_id = _CHILD_ID_BASE + self._ids.of(person.person_id - 1)
            nhs = (
                person.nhs_number
                if ctx.identity.holds(ctx.faults.nhs_held_childrens_services)
                else None
            )
            self._children.append((child_id, nhs, *ctx.identity.copy(person, household)))
            ctx.link(AGENCY, str(child_id), person)
            born = person.date_of_birth.toordinal()
            child_start = max(start, born)
            j = 0
            if r() < 0.2 and child_start - born > 800:  # an earlier, closed episode
                earlier = child_start - 400 - int(r() * (child_start - born - 400))
                self._cin.append(
                    (
                        child_id * 10,
                        child_id,
                        day(earlier),
                        day(earlier + 10),
                        day(earlier + 10 + 60 + int(r() * 200)),
                        _NEED_CODES.pick(r()),
                    )
                )
                j = 1
            self._cin.append(
                (
                    child_id * 10 + j,
                    child_id,
                    day(max(referral, born)),
                    day(child_start),
                    None if cin_end is None else day(max(cin_end, child_start)),
                    need_code,
                )
            )
            if cp_category is not None:
                cp_start = min(child_start + int(r() * 60), REFERENCE_DAY)
                cp_end = _closed(cp_start, r(), 90, 450)
                self._cp.append(
                    (
                        child_id * 10,
                        child_id,
                        cp_category,
                        day(cp_start),
                        None if cp_end is None else day(cp_end),
                    )
                )
            if looked_after and r() < 0.9:
                la_start = min(child_start + int(r() * 200), REFERENCE_DAY)
                la_end = _closed(la_start, r(), 60, 900)
                self._looked_after.append(
                    (
                        child_id * 10,
                        child_id,
                        _LEGAL_STATUSES.pick(r()),
                        _PLACEMENTS.pick(r()),
                        day(la_start),
                        None if la_end is None else day(la_end),
                    )
                )
