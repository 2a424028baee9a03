"""Housing's subgraph: ``Person.housing`` and ``Household.housing``."""

from typing import Any

from strawberry.types import Info

from subgraphs.housing import queries
from subgraphs.housing.types import HouseholdHousing, HousingRecord
from subgraphs.kit import AgencySubgraph, HouseholdSection, PersonSection, one
from subgraphs.kit import SensitiveCategory as C


async def load_housing_record(info: Info[Any, Any], mesh_id: str) -> HousingRecord | None:
    row = await one(info, queries.MEMBER_BY_MESH_ID, mesh_id)
    if row is None:
        return None
    return HousingRecord(**{k: v for k, v in row.items() if k != "key"})


async def load_household_housing(info: Info[Any, Any], mesh_id: str) -> HouseholdHousing | None:
    row = await one(info, queries.TENANCY_BY_MESH_ID, mesh_id)
    if row is None:
        return None
    return HouseholdHousing(**{k: v for k, v in row.items() if k != "key"})


SUBGRAPH = AgencySubgraph(
    name="housing",
    person=PersonSection(
        field_name="housing",
        type=HousingRecord,
        load=load_housing_record,
        category=C.HOUSING,
        description="The person's housing record; null when housing does not know the person.",
    ),
    household=HouseholdSection(
        field_name="housing",
        type=HouseholdHousing,
        load=load_household_housing,
        category=C.HOUSING,
        description="The household's tenancy; null when housing holds no tenancy for it.",
    ),
)
