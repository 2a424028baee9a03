"""What a supergraph says, in the shape the planner and the gateway ask about it.

Per type: its kind and, per subgraph, whether it is there, its keys and whether it is an
``@interfaceObject`` there. Per field: which subgraphs resolve it and how (``@requires``,
``@provides``, ``@external``, ``@override`` and its label, the type as that subgraph declares
it), plus the directives an operator composed onto it (``@sensitive(category: "health")``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from graphql import GraphQLSchema, SelectionSetNode


class TypeKind(enum.Enum):
    OBJECT = "object"
    INTERFACE = "interface"
    UNION = "union"
    ENUM = "enum"
    SCALAR = "scalar"
    INPUT = "input"


@dataclass(frozen=True, slots=True)
class DirectiveUse:
    """One application of a directive that is not federation machinery, with its arguments."""

    name: str
    arguments: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class FieldSet:
    """A federation field set (``"id org { id }"``): its text and its parsed selection."""

    text: str
    selection: SelectionSetNode


@dataclass(frozen=True, slots=True)
class Key:
    fields: FieldSet
    resolvable: bool = True


@dataclass(frozen=True, slots=True)
class TypeInSubgraph:
    """A type as one subgraph has it."""

    subgraph: str
    keys: tuple[Key, ...] = ()
    extension: bool = False
    interface_object: bool = False

    @property
    def resolvable_keys(self) -> tuple[Key, ...]:
        return tuple(k for k in self.keys if k.resolvable)


@dataclass(frozen=True, slots=True)
class FieldInSubgraph:
    """How one subgraph resolves one field."""

    subgraph: str
    type: str  # as that subgraph declares it, e.g. "[Book!]" where the supergraph says "[Product]"
    requires: FieldSet | None = None
    provides: FieldSet | None = None
    external: bool = False
    override_from: str | None = None
    override_label: str | None = None
    used_overridden: bool = False

    def active(self, labels: frozenset[str]) -> bool:
        """Whether this subgraph answers the field for a plan with these override labels on.

        With a progressive override the overriding subgraph carries ``override`` and the
        label, the overridden one only the label: exactly one of them is active. The caller
        decides which percentages are on for a request; ``percent(100)`` always is.
        """
        if self.external or self.used_overridden:
            return False
        if self.override_label is None:
            return True
        enabled = self.override_label in labels or self.override_label == "percent(100)"
        return enabled if self.override_from is not None else not enabled


@dataclass(frozen=True, slots=True)
class Authorization:
    """``@authenticated`` / ``@requiresScopes`` / ``@policy``, carried for the gateway to apply."""

    authenticated: bool = False
    scopes: tuple[tuple[str, ...], ...] = ()
    policies: tuple[tuple[str, ...], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.authenticated or self.scopes or self.policies)


@dataclass(eq=False)
class FieldInfo:
    parent: str
    name: str
    type: str  # supergraph type, e.g. "[Product!]!"
    named_type: str
    subgraphs: dict[str, FieldInSubgraph] = field(default_factory=dict)
    directives: tuple[DirectiveUse, ...] = ()
    tags: tuple[str, ...] = ()
    authorization: Authorization = Authorization()
    inaccessible: bool = False

    @property
    def coordinate(self) -> str:
        return f"{self.parent}.{self.name}"

    def resolvers(self, labels: frozenset[str] = frozenset()) -> dict[str, FieldInSubgraph]:
        """The subgraphs that answer this field for a query, with these override labels on."""
        return {s: f for s, f in self.subgraphs.items() if f.active(labels)}

    def directive_args(self, name: str) -> list[Mapping[str, Any]]:
        """Arguments of each application of the composed directive ``name``."""
        return [d.arguments for d in self.directives if d.name == name]


@dataclass(eq=False)
class TypeInfo:
    name: str
    kind: TypeKind
    subgraphs: dict[str, TypeInSubgraph] = field(default_factory=dict)
    fields: dict[str, FieldInfo] = field(default_factory=dict)
    interfaces: tuple[str, ...] = ()  # in the supergraph
    interfaces_in: dict[str, frozenset[str]] = field(default_factory=dict)  # per subgraph
    members: tuple[str, ...] = ()  # union members in the supergraph
    members_in: dict[str, frozenset[str]] = field(default_factory=dict)  # per subgraph
    enum_values_in: dict[str, frozenset[str]] = field(default_factory=dict)
    directives: tuple[DirectiveUse, ...] = ()
    tags: tuple[str, ...] = ()
    authorization: Authorization = Authorization()
    inaccessible: bool = False

    @property
    def is_abstract(self) -> bool:
        return self.kind in (TypeKind.INTERFACE, TypeKind.UNION)

    @property
    def is_composite(self) -> bool:
        return self.kind in (TypeKind.OBJECT, TypeKind.INTERFACE, TypeKind.UNION)

    def keys_in(self, subgraph: str) -> tuple[Key, ...]:
        presence = self.subgraphs.get(subgraph)
        return presence.keys if presence else ()

    def is_entity_in(self, subgraph: str) -> bool:
        return bool(self.keys_in(subgraph))


@dataclass(frozen=True, slots=True)
class Subgraph:
    name: str
    url: str
    enum_value: str  # its join__Graph value, e.g. "PRODUCTS"


@dataclass(frozen=True, slots=True)
class SubgraphView:
    """One subgraph's own schema as the supergraph records it: its types (with keys) and,
    per type, its fields as it declares them (``@external`` ones included)."""

    name: str
    types: Mapping[str, TypeInSubgraph]
    fields: Mapping[str, Mapping[str, FieldInSubgraph]]

    def resolves(
        self, type_name: str, field_name: str, labels: frozenset[str] = frozenset()
    ) -> bool:
        found = self.fields.get(type_name, {}).get(field_name)
        return found is not None and found.active(labels)


@dataclass(eq=False)
class Supergraph:
    """A loaded supergraph: the model, the full schema and the client's API schema."""

    sdl: str
    schema: GraphQLSchema
    api_schema: GraphQLSchema
    subgraphs: dict[str, Subgraph]
    types: dict[str, TypeInfo]
    root_types: dict[str, str]  # "query" | "mutation" | "subscription" -> type name
    join_version: str

    def type(self, name: str) -> TypeInfo:
        return self.types[name]

    def field(self, type_name: str, field_name: str) -> FieldInfo | None:
        info = self.types.get(type_name)
        return info.fields.get(field_name) if info else None

    def field_subgraphs(
        self, type_name: str, field_name: str, labels: frozenset[str] = frozenset()
    ) -> frozenset[str]:
        """The subgraphs that resolve ``type_name.field_name`` (empty when none or unknown)."""
        info = self.field(type_name, field_name)
        return frozenset(info.resolvers(labels)) if info else frozenset()

    def field_directives(self, type_name: str, field_name: str) -> tuple[DirectiveUse, ...]:
        """Composed (non-federation) directives applied to ``type_name.field_name``."""
        info = self.field(type_name, field_name)
        return info.directives if info else ()

    def subgraph_view(self, name: str) -> SubgraphView:
        """``name``'s own view of the schema (KeyError for an unknown subgraph)."""
        if name not in self.subgraphs:
            raise KeyError(name)
        return SubgraphView(
            name=name,
            types={t.name: t.subgraphs[name] for t in self.types.values() if name in t.subgraphs},
            fields={
                t.name: {
                    f.name: f.subgraphs[name] for f in t.fields.values() if name in f.subgraphs
                }
                for t in self.types.values()
                if name in t.subgraphs and t.fields
            },
        )

    def possible_types(self, type_name: str) -> frozenset[str]:
        """Object types a value of ``type_name`` can be, in the supergraph."""
        return self._possible_types.get(type_name, frozenset())

    def possible_types_in(self, type_name: str, subgraph: str) -> frozenset[str]:
        """Object types a value of ``type_name`` returned by ``subgraph`` can be."""
        return self._possible_types_in.get((type_name, subgraph), frozenset())

    @cached_property
    def _possible_types(self) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for info in self.types.values():
            if info.kind is TypeKind.OBJECT:
                found.setdefault(info.name, set()).add(info.name)
                for interface in info.interfaces:
                    found.setdefault(interface, set()).add(info.name)
            elif info.kind is TypeKind.UNION:
                found.setdefault(info.name, set()).update(info.members)
        return {name: frozenset(types) for name, types in found.items()}

    @cached_property
    def _possible_types_in(self) -> dict[tuple[str, str], frozenset[str]]:
        found: dict[tuple[str, str], set[str]] = {}
        for info in self.types.values():
            if info.kind is TypeKind.OBJECT:
                for subgraph, presence in info.subgraphs.items():
                    if presence.interface_object:
                        continue
                    found.setdefault((info.name, subgraph), set()).add(info.name)
                    for interface in info.interfaces_in.get(subgraph, ()):
                        found.setdefault((interface, subgraph), set()).add(info.name)
            elif info.kind is TypeKind.UNION:
                for subgraph, members in info.members_in.items():
                    found.setdefault((info.name, subgraph), set()).update(members)
        return {key: frozenset(types) for key, types in found.items()}
