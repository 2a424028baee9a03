"""Education's subgraph: ``Person.education``."""

from typing import Any

from strawberry.types import Info

from subgraphs.education import queries
from subgraphs.education.types import EducationRecord
from subgraphs.kit import AgencySubgraph, PersonSection, one
from subgraphs.kit import SensitiveCategory as C


async def load_education_record(info: Info[Any, Any], mesh_id: str) -> EducationRecord | None:
    row = await one(info, queries.PUPIL_BY_MESH_ID, mesh_id)
    if row is None:
        return None
    return EducationRecord(**{k: v for k, v in row.items() if k != "key"})


SUBGRAPH = AgencySubgraph(
    name="education",
    person=PersonSection(
        field_name="education",
        type=EducationRecord,
        load=load_education_record,
        category=C.EDUCATION,
        description="The person's pupil record; null when education does not know the person.",
    ),
)
