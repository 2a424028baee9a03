"""Adult social care's subgraph: ``Person.adultSocialCare``."""

from subgraphs.adult_social_care import queries
from subgraphs.adult_social_care.types import SocialCareRecord
from subgraphs.kit import AgencySubgraph, PersonSection, section_loader
from subgraphs.kit import SensitiveCategory as C

SUBGRAPH = AgencySubgraph(
    name="adult_social_care",
    person=PersonSection(
        field_name="adultSocialCare",
        type=SocialCareRecord,
        load=section_loader(queries.CLIENT_BY_MESH_ID, SocialCareRecord),
        category=C.SOCIAL_CARE,
        description="The person's adult social care record; null when adult social care does "
        "not know the person.",
    ),
)
