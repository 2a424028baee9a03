"""Education's subgraph: ``Person.education``."""

from subgraphs.education import queries
from subgraphs.education.types import EducationRecord
from subgraphs.kit import AgencySubgraph, PersonSection, section_loader
from subgraphs.kit import SensitiveCategory as C

SUBGRAPH = AgencySubgraph(
    name="education",
    person=PersonSection(
        field_name="education",
        type=EducationRecord,
        load=section_loader(queries.PUPIL_BY_MESH_ID, EducationRecord),
        category=C.EDUCATION,
        description="The person's pupil record; null when education does not know the person.",
    ),
)
