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
from subgraphs.kit.directives import Sensitive
from subgraphs.kit.entities import MeshSubgraphSchema
from subgraphs.kit.ids import HOUSEHOLD_PREFIX, PERSON_PREFIX, checked_id
from subgraphs.kit.needs.catalogue import agency_catalogue
from subgraphs.kit.needs.fields import (
    NeedsIndicator,
    NeedsScan,
    household_indicators_field,
    scan_field,
)
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


def _entity(name: str, prefix: str, fields: dict[str, Any]) -> type:
    def resolve_reference(cls: type, id: strawberry.ID) -> Any:
        return cls(id=strawberry.ID(checked_id(id, prefix)))

    namespace: dict[str, Any] = {
        "__annotations__": {"id": strawberry.ID},
        "__module__": __name__,
        "resolve_reference": classmethod(resolve_reference),
        **fields,
    }
    cls = type(name, (), namespace)
    return strawberry.federation.type(keys=["id"])(cls)


def _camel(agency: str) -> str:
    head, *rest = agency.split("_")
    return head + "".join(part.title() for part in rest)


def build_agency_schema(subgraph: AgencySubgraph) -> MeshSubgraphSchema:
    prefix = _camel(subgraph.name)
    person = _entity(
        "Person", PERSON_PREFIX, {subgraph.person.field_name: _section_field(subgraph.person)}
    )
    types: list[type] = [person, *subgraph.extra_types]
    household_fields: dict[str, Any] = {}
    if subgraph.household is not None:
        household_fields[subgraph.household.field_name] = _section_field(subgraph.household)
    catalogue = agency_catalogue(subgraph.name)
    root: dict[str, Any] = {}
    if catalogue is not None:
        household_fields["needs_indicators"] = household_indicators_field(catalogue, prefix)
        root["needs_scan"] = scan_field(catalogue, prefix)
        types.extend([NeedsIndicator, NeedsScan])
    if household_fields:
        types.append(_entity("Household", HOUSEHOLD_PREFIX, household_fields))

    search_field = strawberry.federation.field(
        resolver=search_people,
        name=f"{prefix}PeopleSearch",
        inaccessible=True,
        description=f"Find people in {subgraph.name}'s own records (for the gateway's search).",
    )
    query = strawberry.type(
        type("Query", (), {"__annotations__": {}, "search": search_field, **root})
    )
    return MeshSubgraphSchema(query=query, types=[*types, PersonMatch])
