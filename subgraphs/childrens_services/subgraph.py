"""Children's services' subgraph: ``Person.childrensServices``."""

from subgraphs.childrens_services import queries
from subgraphs.childrens_services.types import ChildrensServicesRecord
from subgraphs.kit import AgencySubgraph, PersonSection, section_loader
from subgraphs.kit import SensitiveCategory as C

SUBGRAPH = AgencySubgraph(
    name="childrens_services",
    person=PersonSection(
        field_name="childrensServices",
        type=ChildrensServicesRecord,
        load=section_loader(queries.CHILD_BY_MESH_ID, ChildrensServicesRecord),
        category=C.CHILD,
        description="The child's children's services record; null when children's services "
        "do not know the person.",
    ),
)
