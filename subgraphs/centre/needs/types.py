"""The families view's types, as the centre serves them.

Every field is ``@sensitive``: the roll-ups are governed by the index's agreements for the
needs categories, and what they carry was already limited to the agencies the caller may see.
"""

from __future__ import annotations

from datetime import date

import strawberry

from subgraphs.centre.needs import rollup
from subgraphs.centre.search import Person
from subgraphs.kit.directives import SensitiveCategory as C
from subgraphs.kit.directives import sensitive
from subgraphs.kit.needs.catalogue import all_catalogues
from subgraphs.kit.needs.fields import Outcome
from subgraphs.kit.needs.outcomes import HeadlineOutcome

NI = C.NEEDS_INDICATOR
NS = C.NEEDS_STATISTICS

NeedStatus = strawberry.enum(
    rollup.NeedStatus,
    description="IDENTIFIED; NOT_IDENTIFIED (every agency that could evidence it answered); "
    "NOT_VISIBLE (an agency you may not see could evidence it); UNAVAILABLE (one that could "
    "did not answer).",
)


@strawberry.type(description="One visible indicator behind an identified need.")
class NeedEvidence:
    agency: str = sensitive(NI)
    indicator: str = sensitive(NI, description="The indicator's code in the agency's catalogue.")
    title: str = sensitive(NI)
    member: Person = sensitive(NI, description="The household member it is about.")
    as_of: date = sensitive(NI)


@strawberry.type(description="One Supporting Families headline outcome for a household.")
class NeedOutcome:
    outcome: Outcome = sensitive(NI)  # type: ignore[valid-type]
    title: str = sensitive(NI)
    status: NeedStatus = sensitive(NI)  # type: ignore[valid-type]
    agencies: list[str] = sensitive(NI, description="The agencies whose indicators evidence it.")
    members: list[Person] = sensitive(NI, description="The members whose indicators evidence it.")
    as_of: date | None = sensitive(NI, description="The latest indicator behind it.")
    evidence: list[NeedEvidence] = sensitive(NI)


@strawberry.type(description="A household's ten headline outcomes, as far as you may see.")
class HouseholdNeeds:
    identified: int = sensitive(NI, description="How many of the ten outcomes are identified.")
    outcomes: list[NeedOutcome] = sensitive(NI)
    not_visible_from: list[str] = sensitive(
        NI, description="Agencies whose indicators you may not see (the same for every household)."
    )
    unavailable_agencies: list[str] = sensitive(NI, description="Agencies that did not answer.")


def household_needs(view: rollup.HouseholdNeedsView) -> HouseholdNeeds:
    catalogues = all_catalogues()

    def title(agency: str, code: str) -> str:
        definition = catalogues[agency].indicator(code)
        return definition.title if definition is not None else code

    return HouseholdNeeds(
        identified=view.identified,
        outcomes=[
            NeedOutcome(
                outcome=o.outcome,
                title=HeadlineOutcome(o.outcome).words,
                status=o.status,
                agencies=list(o.agencies),
                members=[Person(id=strawberry.ID(m)) for m in o.members],
                as_of=o.as_of,
                evidence=[
                    NeedEvidence(
                        agency=e.agency,
                        indicator=e.code,
                        title=title(e.agency, e.code),
                        member=Person(id=strawberry.ID(e.member_id)),
                        as_of=e.as_of,
                    )
                    for e in o.evidence
                ],
            )
            for o in view.outcomes
        ],
        not_visible_from=list(view.not_visible_from),
        unavailable_agencies=list(view.unavailable),
    )
