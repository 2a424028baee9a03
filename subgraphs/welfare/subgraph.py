"""Welfare's subgraph: ``Person.welfare``."""

from subgraphs.kit import AgencySubgraph, PersonSection, section_loader
from subgraphs.kit import SensitiveCategory as C
from subgraphs.welfare import queries
from subgraphs.welfare.types import WelfareRecord

SUBGRAPH = AgencySubgraph(
    name="welfare",
    person=PersonSection(
        field_name="welfare",
        type=WelfareRecord,
        load=section_loader(queries.CLAIMANT_BY_MESH_ID, WelfareRecord),
        category=C.FINANCIAL,
        description="The person's Universal Credit record; null when welfare does not know "
        "the person.",
    ),
)
