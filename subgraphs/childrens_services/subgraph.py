"""Children's services' subgraph: ``Person.childrensServices``."""

from typing import Any

from strawberry.types import Info

from subgraphs.childrens_services import queries
from subgraphs.childrens_services.types import ChildrensServicesRecord
from subgraphs.kit import AgencySubgraph, PersonSection, one
from subgraphs.kit import SensitiveCategory as C


async def load_childrens_services_record(
    info: Info[Any, Any], mesh_id: str
) -> ChildrensServicesRecord | None:
    row = await one(info, queries.CHILD_BY_MESH_ID, mesh_id)
    if row is None:
        return None
    return ChildrensServicesRecord(**{k: v for k, v in row.items() if k != "key"})


SUBGRAPH = AgencySubgraph(
    name="childrens_services",
    person=PersonSection(
        field_name="childrensServices",
        type=ChildrensServicesRecord,
        load=load_childrens_services_record,
        category=C.CHILD,
        description="The child's children's services record; null when children's services "
        "do not know the person.",
    ),
)
