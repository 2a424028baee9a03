"""The composed supergraph: which subgraph resolves each field, and the client's contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from graphql import (
    DirectiveNode,
    FieldNode,
    GraphQLSchema,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    TypeNode,
    build_ast_schema,
    parse,
)


def parse_field_set(field_set: str) -> SelectionSetNode:
    """A federation field set (``"id"``, ``"id org { code }"``) as a selection set."""
    operation = parse("{" + field_set + "}").definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation.selection_set


def field_set_names(selection_set: SelectionSetNode) -> list[str]:
    """Top-level field names of a field set."""
    return [s.name.value for s in selection_set.selections if isinstance(s, FieldNode)]


@dataclass
class Resolution:
    """How one subgraph resolves a field: what it @requires first and what it @provides."""

    requires: SelectionSetNode | None = None
    provides: SelectionSetNode | None = None


@dataclass
class FieldDef:
    parent: str
    name: str
    type: TypeNode
    named_type: str
    resolvers: dict[str, Resolution] = field(default_factory=dict)
    external_in: set[str] = field(default_factory=set)
    inaccessible: bool = False
    client_directives: list[DirectiveNode] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    definition: Node | None = None  # the first subgraph's field definition (for arguments)

    @property
    def coordinate(self) -> str:
        return f"{self.parent}.{self.name}"

    def directive_args(self, name: str) -> list[dict[str, str]]:
        """Arguments of each application of a kept (composed) directive, e.g. ``sensitive``."""
        found = []
        for d in self.client_directives:
            if d.name.value == name:
                found.append(
                    {a.name.value: getattr(a.value, "value", "") for a in d.arguments or ()}
                )
        return found


@dataclass
class TypeDef:
    name: str
    kind: str  # object | interface | union | enum | input | scalar
    subgraphs: set[str] = field(default_factory=set)
    fields: dict[str, FieldDef] = field(default_factory=dict)
    # subgraph -> resolvable @key field sets
    keys: dict[str, list[SelectionSetNode]] = field(default_factory=dict)
    key_strings: dict[str, list[str]] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    inaccessible: bool = False
    # enum values and input fields as first defined (printed into the client schema)
    value_nodes: dict[str, Node] = field(default_factory=dict)
    description: StringValueNode | None = None

    @property
    def is_entity(self) -> bool:
        return bool(self.keys)


@dataclass
class Supergraph:
    subgraphs: dict[str, str]  # name -> url
    types: dict[str, TypeDef]
    client_sdl: str
    root_types: dict[str, str]  # operation -> type name

    @cached_property
    def client_schema(self) -> GraphQLSchema:
        return build_ast_schema(parse(self.client_sdl))

    def field(self, type_name: str, field_name: str) -> FieldDef | None:
        type_def = self.types.get(type_name)
        return type_def.fields.get(field_name) if type_def else None

    def possible_types(self, type_name: str) -> list[str]:
        type_def = self.types[type_name]
        if type_def.kind == "object":
            return [type_name]
        if type_def.kind == "union":
            return list(type_def.members)
        return [t.name for t in self.types.values() if type_name in t.interfaces]
