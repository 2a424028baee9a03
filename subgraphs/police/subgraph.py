"""Police's subgraph: ``Person.police``."""

from typing import Any

from strawberry.types import Info

from subgraphs.kit import AgencySubgraph, PersonSection, one
from subgraphs.kit import SensitiveCategory as C
from subgraphs.police import queries
from subgraphs.police.types import PoliceRecord


async def load_police_record(info: Info[Any, Any], mesh_id: str) -> PoliceRecord | None:
    row = await one(info, queries.NOMINAL_BY_MESH_ID, mesh_id)
    if row is None:
        return None
    return PoliceRecord(**{k: v for k, v in row.items() if k != "key"})


SUBGRAPH = AgencySubgraph(
    name="police",
    person=PersonSection(
        field_name="police",
        type=PoliceRecord,
        load=load_police_record,
        category=C.CRIMINAL,
        description="The person's record with Greater Manchester Police; null when the police "
        "do not know the person.",
    ),
)
