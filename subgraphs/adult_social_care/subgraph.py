"""Adult social care's subgraph: ``Person.adultSocialCare``."""

from typing import Any

from strawberry.types import Info

from subgraphs.adult_social_care import queries
from subgraphs.adult_social_care.types import SocialCareRecord
from subgraphs.kit import AgencySubgraph, PersonSection, one
from subgraphs.kit import SensitiveCategory as C


async def load_social_care_record(info: Info[Any, Any], mesh_id: str) -> SocialCareRecord | None:
    row = await one(info, queries.CLIENT_BY_MESH_ID, mesh_id)
    if row is None:
        return None
    return SocialCareRecord(**{k: v for k, v in row.items() if k != "key"})


SUBGRAPH = AgencySubgraph(
    name="adult_social_care",
    person=PersonSection(
        field_name="adultSocialCare",
        type=SocialCareRecord,
        load=load_social_care_record,
        category=C.SOCIAL_CARE,
        description="The person's adult social care record; null when adult social care does "
        "not know the person.",
    ),
)
