"""``Household.needs``: the roll-up of the indicators the caller may see, per household.

One request per allowed agency for every household in the answer (a DataLoader per request);
agencies the gateway did not allow are never asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional

import strawberry
from aiodataloader import DataLoader
from strawberry.types import Info

from subgraphs.centre.context import CentreContext
from subgraphs.centre.needs.agencies import household_evidence, needs_agencies, split_by_reads
from subgraphs.centre.needs.rollup import roll_up
from subgraphs.centre.needs.types import NI, HouseholdNeeds, household_needs
from subgraphs.kit.directives import sensitive
from subgraphs.kit.ids import HOUSEHOLD_PREFIX, checked_id
from subgraphs.kit.needs.catalogue import all_catalogues


def _loader(context: CentreContext) -> DataLoader:
    loader = context.loaders.get("household_needs")
    if loader is not None:
        return loader

    async def batch(keys: Sequence[str]) -> list[HouseholdNeeds]:
        allowed, hidden = split_by_reads(
            context.mesh_context, needs_agencies().values(), statistics=False
        )
        evidence, failures = await household_evidence(context, allowed, list(keys))
        unavailable = [f.agency for f in failures]
        catalogues = all_catalogues()
        return [
            household_needs(
                roll_up(
                    evidence[key],
                    catalogues=catalogues,
                    hidden=hidden,
                    unavailable=unavailable,
                )
            )
            for key in keys
        ]

    loader = context.loaders["household_needs"] = DataLoader(batch, max_batch_size=1000)
    return loader


@strawberry.federation.type(keys=["id"], description="A household: people at one address.")
class Household:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Household:
        return cls(id=strawberry.ID(checked_id(id, HOUSEHOLD_PREFIX)))

    @sensitive(
        NI,
        description="The household's ten Supporting Families headline outcomes, rolled up from "
        "the needs indicators of the agencies you may see.",
    )
    async def needs(self, info: Info[CentreContext, Any]) -> Optional[HouseholdNeeds]:  # noqa: UP045
        loaded: HouseholdNeeds = await _loader(info.context).load(str(self.id))
        return loaded
