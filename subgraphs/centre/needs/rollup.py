"""A household's ten headline outcomes from the indicators the caller may see: a pure function.

Per outcome: IDENTIFIED when a visible indicator evidences it; otherwise UNAVAILABLE when an
agency that could evidence it did not answer, NOT_VISIBLE when an agency the caller may not see
could evidence it, and NOT_IDENTIFIED only when every agency that could evidence it answered.
Hidden agencies are decided by the caller's rights alone, so the answer for two households
that differ only in a hidden agency's data is the same, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from subgraphs.kit.needs.catalogue import IndicatorCatalogue
from subgraphs.kit.needs.outcomes import HeadlineOutcome


class NeedStatus(StrEnum):
    IDENTIFIED = "IDENTIFIED"
    NOT_IDENTIFIED = "NOT_IDENTIFIED"
    NOT_VISIBLE = "NOT_VISIBLE"
    UNAVAILABLE = "UNAVAILABLE"


@dataclass(frozen=True)
class Evidence:
    """One visible indicator of one member."""

    agency: str
    code: str
    member_id: str
    as_of: date


@dataclass(frozen=True)
class OutcomeNeed:
    outcome: HeadlineOutcome
    status: NeedStatus
    evidence: tuple[Evidence, ...]

    @property
    def agencies(self) -> tuple[str, ...]:
        return tuple(sorted({e.agency for e in self.evidence}))

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(sorted({e.member_id for e in self.evidence}))

    @property
    def as_of(self) -> date | None:
        return max((e.as_of for e in self.evidence), default=None)


@dataclass(frozen=True)
class HouseholdNeedsView:
    outcomes: tuple[OutcomeNeed, ...]
    not_visible_from: tuple[str, ...]
    unavailable: tuple[str, ...]

    @property
    def identified(self) -> int:
        return sum(1 for o in self.outcomes if o.status is NeedStatus.IDENTIFIED)


def could_evidence(catalogues: Mapping[str, IndicatorCatalogue]) -> dict[HeadlineOutcome, set[str]]:
    """Which agencies' catalogues can evidence each outcome."""
    found: dict[HeadlineOutcome, set[str]] = {o: set() for o in HeadlineOutcome}
    for agency, catalogue in catalogues.items():
        for outcome in catalogue.outcomes:
            found[outcome].add(agency)
    return found


def roll_up(
    evidence: Iterable[Evidence],
    *,
    catalogues: Mapping[str, IndicatorCatalogue],
    hidden: Iterable[str],
    unavailable: Iterable[str] = (),
) -> HouseholdNeedsView:
    """The ten outcomes for one household. ``evidence`` must come from visible agencies only."""
    hidden_set, unavailable_set = set(hidden), set(unavailable)
    by_outcome: dict[HeadlineOutcome, list[Evidence]] = {o: [] for o in HeadlineOutcome}
    for item in evidence:
        if item.agency in hidden_set:
            raise ValueError(f"evidence from {item.agency}, which the caller may not see")
        definition = catalogues[item.agency].indicator(item.code)
        if definition is None:
            continue
        by_outcome[definition.outcome].append(item)
    sources = could_evidence(catalogues)
    outcomes = []
    for outcome in HeadlineOutcome:
        found = tuple(sorted(by_outcome[outcome], key=lambda e: (e.agency, e.member_id, e.code)))
        if found:
            status = NeedStatus.IDENTIFIED
        elif sources[outcome] & unavailable_set:
            status = NeedStatus.UNAVAILABLE
        elif sources[outcome] & hidden_set:
            status = NeedStatus.NOT_VISIBLE
        else:
            status = NeedStatus.NOT_IDENTIFIED
        outcomes.append(OutcomeNeed(outcome, status, found))
    return HouseholdNeedsView(
        tuple(outcomes),
        tuple(sorted(hidden_set & set(catalogues))),
        tuple(sorted(unavailable_set)),
    )
