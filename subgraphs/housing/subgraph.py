"""Housing's subgraph: ``Person.housing`` and ``Household.housing``."""

from subgraphs.housing import queries
from subgraphs.housing.types import HouseholdHousing, HousingRecord
from subgraphs.kit import AgencySubgraph, HouseholdSection, PersonSection, section_loader
from subgraphs.kit import SensitiveCategory as C

SUBGRAPH = AgencySubgraph(
    name="housing",
    person=PersonSection(
        field_name="housing",
        type=HousingRecord,
        load=section_loader(queries.MEMBER_BY_MESH_ID, HousingRecord),
        category=C.HOUSING,
        description="The person's housing record; null when housing does not know the person.",
    ),
    household=HouseholdSection(
        field_name="housing",
        type=HouseholdHousing,
        load=section_loader(queries.TENANCY_BY_MESH_ID, HouseholdHousing),
        category=C.HOUSING,
        description="The household's tenancy; null when housing holds no tenancy for it.",
        linkage_records=queries.TENANCIES_FOR_LINKAGE,
    ),
)
