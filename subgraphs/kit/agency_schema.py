"""Build an agency's federation schema from its :class:`AgencySubgraph` description.

Each agency contributes one field to ``Person`` (and optionally one to ``Household``) and a
search capability; the entity types, keys, reference resolvers and root field are the same
for every agency, so they are made here rather than written out seven times.
"""

from typing import Any, Optional

import strawberry
from strawberry.types import Info

from subgraphs.kit.context import SubgraphContext
from subgraphs.kit.definition import AgencySubgraph, HouseholdSection, PersonSection
from subgraphs.kit.directives import Sensitive, public
from subgraphs.kit.entities import MeshSubgraphSchema
from subgraphs.kit.ids import HOUSEHOLD_PREFIX, PERSON_PREFIX, checked_id
from subgraphs.kit.search import PersonMatch, search_people


def _section_field(section: PersonSection | HouseholdSection) -> Any:
    async def resolve(root: Any, info: Info[SubgraphContext, Any]) -> Any:
        return await section.load(info, str(root.id))

    resolve.__annotations__["return"] = Optional[section.type]  # noqa: UP045 - runtime annotation
    return strawberry.field(
        resolver=resolve,
        name=section.field_name,
        description=section.description,
        directives=[Sensitive(category=section.category.value)],
    )


def _entity(name: str, prefix: str, section: PersonSection | HouseholdSection) -> type:
    def resolve_reference(cls: type, id: strawberry.ID) -> Any:
        return cls(id=strawberry.ID(checked_id(id, prefix)))

    namespace: dict[str, Any] = {
        "__annotations__": {"id": strawberry.ID},
        "id": public(),
        "__module__": __name__,
        "resolve_reference": classmethod(resolve_reference),
        section.field_name: _section_field(section),
    }
    cls = type(name, (), namespace)
    return strawberry.federation.type(keys=["id"])(cls)


def _camel(agency: str) -> str:
    head, *rest = agency.split("_")
    return head + "".join(part.title() for part in rest)


def build_agency_schema(subgraph: AgencySubgraph) -> MeshSubgraphSchema:
    person = _entity("Person", PERSON_PREFIX, subgraph.person)
    types: list[type] = [person, *subgraph.extra_types]
    if subgraph.household is not None:
        types.append(_entity("Household", HOUSEHOLD_PREFIX, subgraph.household))

    search_field = strawberry.federation.field(
        resolver=search_people,
        name=f"{_camel(subgraph.name)}PeopleSearch",
        inaccessible=True,
        description=f"Find people in {subgraph.name}'s own records (for the gateway's search).",
    )
    query = strawberry.type(type("Query", (), {"__annotations__": {}, "search": search_field}))
    return MeshSubgraphSchema(query=query, types=[*types, PersonMatch])
