"""Welfare's subgraph: ``Person.welfare``."""

from typing import Any

from strawberry.types import Info

from subgraphs.kit import AgencySubgraph, PersonSection, one
from subgraphs.kit import SensitiveCategory as C
from subgraphs.welfare import queries
from subgraphs.welfare.types import WelfareRecord


async def load_welfare_record(info: Info[Any, Any], mesh_id: str) -> WelfareRecord | None:
    row = await one(info, queries.CLAIMANT_BY_MESH_ID, mesh_id)
    if row is None:
        return None
    return WelfareRecord(**{k: v for k, v in row.items() if k != "key"})


SUBGRAPH = AgencySubgraph(
    name="welfare",
    person=PersonSection(
        field_name="welfare",
        type=WelfareRecord,
        load=load_welfare_record,
        category=C.FINANCIAL,
        description="The person's Universal Credit record; null when welfare does not know "
        "the person.",
    ),
)
