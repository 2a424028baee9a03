"""Police's subgraph: ``Person.police``."""

from authz.model import PurposeOfUse
from subgraphs.kit import AgencySubgraph, PersonSection, section_loader
from subgraphs.kit import SensitiveCategory as C
from subgraphs.police import queries
from subgraphs.police.types import PoliceRecord

SUBGRAPH = AgencySubgraph(
    name="police",
    person=PersonSection(
        field_name="police",
        type=PoliceRecord,
        load=section_loader(queries.NOMINAL_BY_MESH_ID, PoliceRecord),
        category=C.CRIMINAL,
        description="The person's record with Greater Manchester Police; null when the police "
        "do not know the person.",
    ),
    # Police's own rule: person-level police data is never shared for planning.
    refused_purposes=frozenset({PurposeOfUse.PLANNING}),
)
