"""What the supergraph says about each field: how it is classified (``@sensitive`` category,
``@public``, or neither) and who serves it."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from graphql import (
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)

from authz.model import FieldFacts
from mesh.federation.supergraph import Supergraph

log = logging.getLogger("mesh.gateway")


def schema_field_facts(
    supergraph: Supergraph, centre: str = "mesh"
) -> dict[tuple[str, str], FieldFacts]:
    """Facts per (type, field). Fields the centre's own subgraph resolves (search, oversight)
    are governed by the index's agreements: the centre's data is the index's."""
    facts: dict[tuple[str, str], FieldFacts] = {}
    for type_info in supergraph.types.values():
        for field_info in type_info.fields.values():
            sensitive = field_info.directive_args("sensitive")
            category = sensitive[0].get("category") if sensitive else None
            providers = field_info.resolvers() or field_info.subgraphs
            facts[(type_info.name, field_info.name)] = FieldFacts(
                coordinate=field_info.coordinate,
                category=str(category) if category is not None else None,
                agencies=tuple("index" if s == centre else s for s in providers),
                public=bool(field_info.directive_args("public")),
            )
    return facts


def unclassified_coordinates(
    schema: GraphQLSchema, facts: Mapping[tuple[str, str], FieldFacts]
) -> list[FieldFacts]:
    """Fields clients can select (reached from a root) that carry neither ``@sensitive`` nor
    ``@public``: the gateway denies them (personal data of their agency until classified) and
    says so. Types only internal fields lead to (an agency's scans) are not the client's."""
    found = []
    for type_name in sorted(_reachable(schema)):
        graphql_type = schema.type_map[type_name]
        assert isinstance(graphql_type, GraphQLObjectType)
        for field_name in graphql_type.fields:
            known = facts.get((type_name, field_name))
            if known is None or known.unclassified:
                found.append(known or FieldFacts(f"{type_name}.{field_name}", None, ()))
    return found


def _reachable(schema: GraphQLSchema) -> set[str]:
    """Object types a client's operation can reach from the query and mutation roots."""
    roots = [t for t in (schema.query_type, schema.mutation_type) if t is not None]
    seen: set[str] = set()
    queue: list[GraphQLNamedType] = list(roots)
    while queue:
        named = queue.pop()
        if named.name in seen:
            continue
        seen.add(named.name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            queue.extend(get_named_type(f.type) for f in named.fields.values())
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            queue.extend(schema.get_possible_types(named))
    return {n for n in seen if isinstance(schema.type_map.get(n), GraphQLObjectType)}


def log_unclassified(schema: GraphQLSchema, facts: Mapping[tuple[str, str], FieldFacts]) -> int:
    """One warning per unclassified coordinate, at composition; returns how many."""
    found = unclassified_coordinates(schema, facts)
    for item in found:
        log.warning(
            "unclassified field %s (from %s) is denied to every caller: mark it "
            "@sensitive(category: ...) or @public in its subgraph",
            item.coordinate,
            ", ".join(item.agencies) or "no subgraph",
        )
    return len(found)
