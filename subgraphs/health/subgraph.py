"""Health's subgraph: ``Person.health``."""

from typing import Any

from strawberry.types import Info

from subgraphs.health import queries
from subgraphs.health.types import HealthRecord
from subgraphs.kit import AgencySubgraph, PersonSection, one
from subgraphs.kit import SensitiveCategory as C


async def load_health_record(info: Info[Any, Any], mesh_id: str) -> HealthRecord | None:
    row = await one(info, queries.PATIENT_BY_MESH_ID, mesh_id)
    if row is None:
        return None
    return HealthRecord(**{k: v for k, v in row.items() if k != "key"})


SUBGRAPH = AgencySubgraph(
    name="health",
    person=PersonSection(
        field_name="health",
        type=HealthRecord,
        load=load_health_record,
        category=C.HEALTH,
        description="The person's NHS record; null when health does not know the person.",
    ),
)
