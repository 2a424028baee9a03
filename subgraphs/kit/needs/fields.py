"""The needs fields every agency with a catalogue serves, built by the kit.

- ``Household.<agency>NeedsIndicators``: the agency's indicators for the household's members,
  a governed field like any other (``@sensitive(category: "needs_indicator")``).
- ``Query.<agency>NeedsScan`` (``@inaccessible``): the agency evaluates its catalogue over its
  own population (optionally one local authority) and answers pseudonymous household and
  person ids with indicator codes, in columns. Only the centre calls it, with the gateway's
  signed context, and the agency serves it only when that context says the gateway allowed
  this read: its indicators for a cohort, or its contribution to statistics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from datetime import date
from typing import Any

import strawberry
from aiodataloader import DataLoader
from graphql import GraphQLError
from strawberry.types import Info

from subgraphs.kit.context import SubgraphContext
from subgraphs.kit.directives import SensitiveCategory as C
from subgraphs.kit.directives import sensitive
from subgraphs.kit.needs import evaluate
from subgraphs.kit.needs.catalogue import IndicatorCatalogue
from subgraphs.kit.needs.geography import LOCAL_AUTHORITIES, known_local_authority
from subgraphs.kit.needs.outcomes import HeadlineOutcome

Outcome = strawberry.enum(HeadlineOutcome, description="A Supporting Families headline outcome.")


@strawberry.federation.type(shareable=True, description="One need an agency's facts evidence.")
class NeedsIndicator:
    code: str = sensitive(C.NEEDS_INDICATOR, description="The indicator's code in the catalogue.")
    title: str = sensitive(C.NEEDS_INDICATOR)
    outcome: Outcome = sensitive(C.NEEDS_INDICATOR)  # type: ignore[valid-type]
    agency: str = sensitive(C.NEEDS_INDICATOR)
    member_id: strawberry.ID = sensitive(
        C.NEEDS_INDICATOR, description="The household member the indicator is about."
    )
    as_of: date = sensitive(C.NEEDS_INDICATOR, description="The date of the latest fact behind it.")


@strawberry.federation.type(
    shareable=True,
    description="An agency's indicators over its own population as tab-separated rows "
    "(household, empty for someone in no household; person, indicator index, local authority "
    "index, age band index, days before asOf; -1 where not known), made by PostgreSQL in one "
    "string: a million GraphQL list items would cost seconds. Pseudonymous ids only.",
)
class NeedsScan:
    agency: str
    catalogue: str = strawberry.field(description="The catalogue evaluated, id@version.")
    as_of: date = strawberry.field(description="The agency's extract date.")
    rows: int
    indicators: list[str]
    local_authorities: list[str]
    age_bands: list[str]
    tsv: str


def field_prefix(agency: str) -> str:
    """The agency's name as a field prefix: ``adult_social_care`` → ``adultSocialCare``."""
    head, *rest = agency.split("_")
    return head + "".join(part.title() for part in rest)


def household_field_name(prefix: str) -> str:
    return f"{prefix}NeedsIndicators"


def scan_field_name(prefix: str) -> str:
    return f"{prefix}NeedsScan"


def _indicator_loader(context: SubgraphContext, catalogue: IndicatorCatalogue) -> DataLoader:
    def make() -> DataLoader:
        async def batch(keys: Sequence[Hashable]) -> list[list[NeedsIndicator]]:
            found: dict[Hashable, list[NeedsIndicator]] = defaultdict(list)
            for row in await context.database.fetch(evaluate.OF_HOUSEHOLDS, list(keys)):
                definition = catalogue.indicator(row["code"])
                if definition is None:  # kept by an older catalogue: no longer an indicator
                    continue
                found[row["household_id"]].append(
                    NeedsIndicator(
                        code=row["code"],
                        title=definition.title,
                        outcome=definition.outcome,
                        agency=catalogue.agency,
                        member_id=strawberry.ID(row["person_id"]),
                        as_of=row["as_of"],
                    )
                )
            return [found.get(key, []) for key in keys]

        return DataLoader(batch, max_batch_size=context.max_batch)

    return context.loaders.get(("needs", catalogue.agency), make)


def household_indicators_field(catalogue: IndicatorCatalogue, prefix: str) -> Any:
    async def resolve(root: Any, info: Info[SubgraphContext, Any]) -> list[NeedsIndicator]:
        loaded: list[NeedsIndicator] = await _indicator_loader(info.context, catalogue).load(
            str(root.id)
        )
        return loaded

    return strawberry.field(
        resolver=resolve,
        name=household_field_name(prefix),
        description=f"{catalogue.agency}'s needs indicators for the household's members "
        f"(catalogue {catalogue.ref}).",
        directives=sensitive(C.NEEDS_INDICATOR).directives,
    )


def _require_read(info: Info[SubgraphContext, Any], allowed: set[str]) -> None:
    context = info.context.mesh_context
    if context is None or not context.reads & allowed:
        raise GraphQLError(
            f"{info.context.agency} shares its needs indicators only when the gateway allowed "
            f"one of {', '.join(sorted(allowed))} for this request",
            extensions={"code": "FORBIDDEN_BY_POLICY"},
        )


def scan_field(catalogue: IndicatorCatalogue, prefix: str) -> Any:
    household_coordinate = f"Household.{household_field_name(prefix)}"
    scan_coordinate = f"Query.{scan_field_name(prefix)}"

    async def resolve(
        info: Info[SubgraphContext, Any],
        local_authority: str | None = None,
        indicators: list[str] | None = None,
    ) -> NeedsScan:
        _require_read(info, {household_coordinate, scan_coordinate})
        codes = [i.code for i in catalogue.indicators]
        if indicators is not None:
            unknown = sorted(set(indicators) - set(codes))
            if unknown:
                raise GraphQLError(
                    f"unknown indicator(s) {', '.join(unknown)} in {catalogue.ref}",
                    extensions={"code": "BAD_USER_INPUT"},
                )
        wanted = sorted(set(indicators)) if indicators is not None else codes
        database = info.context.database
        evaluated = await database.fetch(evaluate.EVALUATED)
        if not evaluated:
            raise GraphQLError(
                f"{catalogue.agency} has not evaluated its needs indicators yet "
                "(`mesh needs refresh`)",
                extensions={"code": "NEEDS_NOT_EVALUATED"},
            )
        as_of = evaluated[0]["as_of"]
        authorities = list(LOCAL_AUTHORITIES)
        common = (wanted, codes, authorities, as_of)
        if local_authority is None:
            rows = await database.fetch(evaluate.SCAN_ALL, *common)
        else:
            try:
                local_authority = known_local_authority(local_authority)
            except ValueError as error:
                raise GraphQLError(str(error), extensions={"code": "BAD_USER_INPUT"}) from None
            rows = await database.fetch(evaluate.SCAN_AUTHORITY, *common, local_authority)
        return NeedsScan(
            agency=catalogue.agency,
            catalogue=evaluated[0]["catalogue"],
            as_of=as_of,
            rows=rows[0]["rows"],
            indicators=codes,
            local_authorities=authorities,
            age_bands=list(evaluate.AGE_BANDS),
            tsv=rows[0]["tsv"],
        )

    return strawberry.federation.field(
        resolver=resolve,
        name=scan_field_name(prefix),
        inaccessible=True,
        description=f"{catalogue.agency}'s indicators over its own population, as pseudonymous "
        "ids (for the centre's cohorts and statistics).",
        directives=sensitive(C.NEEDS_STATISTICS).directives,
    )
