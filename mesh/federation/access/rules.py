"""Which fields of the API schema the access directives guard, and which of them a caller
may not see.

A field is guarded by its own directives, by those of the type it returns and by those of
the type it is selected on (a directive on a type guards every field returning it and every
field of it). Within one ``@requiresScopes`` (or ``@policy``) the outer list is "any of",
each inner list "all of"; every directive that applies must hold.
"""

from __future__ import annotations

from collections.abc import Iterable

from cachetools import LRUCache
from graphql import GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema, get_named_type

from mesh.federation.access.claims import Claims
from mesh.federation.supergraph import Supergraph
from mesh.federation.supergraph.model import Authorization

Coordinate = tuple[str, str]  # (type name, field name)


def _holds(requirement: Authorization, claims: Claims) -> bool:
    if requirement.authenticated and not claims.authenticated:
        return False
    if requirement.scopes and not any(set(g) <= claims.scopes for g in requirement.scopes):
        return False
    return not requirement.policies or any(set(g) <= claims.policies for g in requirement.policies)


class AccessRules:
    """The guarded coordinates of one API schema (empty for most supergraphs)."""

    def __init__(self, guarded: dict[Coordinate, tuple[Authorization, ...]]) -> None:
        self.guarded = guarded
        self._denied: LRUCache[Claims, frozenset[Coordinate]] = LRUCache(256)

    @property
    def empty(self) -> bool:
        return not self.guarded

    @classmethod
    def of(cls, supergraph: Supergraph, api_schema: GraphQLSchema | None = None) -> AccessRules:
        schema = api_schema or supergraph.api_schema
        by_type = {
            name: info.authorization
            for name, info in supergraph.types.items()
            if not info.authorization.empty
        }
        guarded: dict[Coordinate, tuple[Authorization, ...]] = {}
        for type_ in schema.type_map.values():
            if type_.name.startswith("__") or not isinstance(
                type_, GraphQLObjectType | GraphQLInterfaceType
            ):
                continue
            info = supergraph.types.get(type_.name)
            for name, field in type_.fields.items():
                own = info.fields.get(name) if info else None
                found = [
                    a
                    for a in (
                        own.authorization if own else None,
                        by_type.get(type_.name),
                        by_type.get(get_named_type(field.type).name),
                    )
                    if a is not None and not a.empty
                ]
                if found:
                    guarded[(type_.name, name)] = tuple(found)
        return cls(guarded)

    def denied(self, claims: Claims) -> frozenset[Coordinate]:
        """The guarded coordinates whose directives do not all hold for ``claims``."""
        known = self._denied.get(claims)
        if known is None:
            known = self._denied[claims] = frozenset(
                c for c, rules in self.guarded.items() if not _all_hold(rules, claims)
            )
        return known


def _all_hold(rules: Iterable[Authorization], claims: Claims) -> bool:
    return all(_holds(rule, claims) for rule in rules)
