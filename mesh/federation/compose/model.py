"""A small, mutable schema model: what composition reads from subgraphs and writes out.

graphql-core's ``GraphQLSchema`` forgets which declaration (definition or which ``extend``) an
element came from, and federation needs exactly that: ``@shareable`` on ``extend type`` covers
only the fields of that extension, a ``@key`` on an extension marks ``extension: true``. So each
element keeps ``extension``: ``None`` for the definition, else the index of its extension block.

Type references are GraphQL strings (``"[ID!]!"``); values stay graphql-core ``ValueNode``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import ValueNode, print_ast, value_from_ast_untyped

BUILT_IN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})
ROOT_DEFAULT_NAMES = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}


@dataclass
class Directive:
    """One application, e.g. ``@key(fields: "id")``."""

    name: str
    args: dict[str, ValueNode] = field(default_factory=dict)
    extension: int | None = None

    def arg(self, name: str) -> Any:
        node = self.args.get(name)
        return None if node is None else value_from_ast_untyped(node)

    def printed(self) -> str:
        if not self.args:
            return f"@{self.name}"
        inner = ", ".join(f"{k}: {print_ast(v)}" for k, v in self.args.items())
        return f"@{self.name}({inner})"

    def same_as(self, other: Directive) -> bool:
        return self.name == other.name and value_key(self.args) == value_key(other.args)


def value_key(args: dict[str, ValueNode]) -> Any:
    """A hashable, order-insensitive form of directive arguments (for equality)."""
    return tuple(sorted((k, _freeze(value_from_ast_untyped(v))) for k, v in args.items()))


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def same_value(a: ValueNode | None, b: ValueNode | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(_freeze(value_from_ast_untyped(a)) == _freeze(value_from_ast_untyped(b)))


@dataclass
class InputValue:
    """An argument or an input object field."""

    name: str
    type: str
    parent: str  # coordinate of the owner: ``Type.field`` for arguments, ``Type`` for input fields
    default: ValueNode | None = None
    description: str | None = None
    directives: list[Directive] = field(default_factory=list)
    extension: int | None = None

    @property
    def coordinate(self) -> str:
        if "." in self.parent or self.parent.startswith("@"):
            return f"{self.parent}({self.name}:)"
        return f"{self.parent}.{self.name}"

    @property
    def required(self) -> bool:
        return self.type.endswith("!") and self.default is None


@dataclass
class Field:
    name: str
    type: str
    parent: str
    args: dict[str, InputValue] = field(default_factory=dict)
    description: str | None = None
    directives: list[Directive] = field(default_factory=list)
    extension: int | None = None

    @property
    def coordinate(self) -> str:
        return f"{self.parent}.{self.name}"


@dataclass
class EnumValue:
    name: str
    parent: str
    description: str | None = None
    directives: list[Directive] = field(default_factory=list)
    extension: int | None = None

    @property
    def coordinate(self) -> str:
        return f"{self.parent}.{self.name}"


KINDS = ("scalar", "object", "interface", "union", "enum", "input")


@dataclass
class NamedType:
    name: str
    kind: str  # one of KINDS
    description: str | None = None
    directives: list[Directive] = field(default_factory=list)
    fields: dict[str, Field] = field(default_factory=dict)
    input_fields: dict[str, InputValue] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    interface_extension: dict[str, int | None] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    values: dict[str, EnumValue] = field(default_factory=dict)
    has_definition: bool = False
    extensions: int = 0  # how many ``extend`` blocks

    @property
    def coordinate(self) -> str:
        return self.name

    @property
    def is_composite(self) -> bool:
        return self.kind in ("object", "interface", "union")

    def directives_named(self, name: str) -> list[Directive]:
        return [d for d in self.directives if d.name == name]


@dataclass
class DirectiveDefinition:
    name: str
    locations: list[str]
    repeatable: bool = False
    args: dict[str, InputValue] = field(default_factory=dict)
    description: str | None = None

    @property
    def coordinate(self) -> str:
        return f"@{self.name}"


@dataclass
class Schema:
    types: dict[str, NamedType] = field(default_factory=dict)
    directive_definitions: dict[str, DirectiveDefinition] = field(default_factory=dict)
    schema_directives: list[Directive] = field(default_factory=list)
    roots: dict[str, str] = field(default_factory=dict)  # operation -> type name
    description: str | None = None

    def type(self, name: str) -> NamedType | None:
        return self.types.get(name)

    def field(self, type_name: str, field_name: str) -> Field | None:
        t = self.types.get(type_name)
        return None if t is None else t.fields.get(field_name)

    def composite_types(self) -> Iterator[NamedType]:
        return (t for t in self.types.values() if t.kind in ("object", "interface"))

    def implementations(self, interface: str) -> list[NamedType]:
        """Object types implementing ``interface`` (directly or through another interface)."""
        return [
            t
            for t in self.types.values()
            if t.kind == "object" and interface in self.all_interfaces(t.name)
        ]

    def all_interfaces(self, type_name: str) -> set[str]:
        seen: set[str] = set()
        stack = list(self.types[type_name].interfaces) if type_name in self.types else []
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in self.types:
                stack.extend(self.types[name].interfaces)
        return seen

    def possible_runtime_types(self, type_name: str) -> list[str]:
        t = self.types.get(type_name)
        if t is None:
            return []
        if t.kind == "object":
            return [t.name]
        if t.kind == "union":
            return [m for m in t.members if m in self.types]
        if t.kind == "interface":
            return [o.name for o in self.implementations(t.name)]
        return []

    def root_kind(self, type_name: str) -> str | None:
        for kind, name in self.roots.items():
            if name == type_name:
                return kind
        return None


# -- type references ------------------------------------------------------------------------


def base_type(ref: str) -> str:
    return ref.strip("[]!")


def is_non_null(ref: str) -> bool:
    return ref.endswith("!")


def nullable(ref: str) -> str:
    return ref[:-1] if ref.endswith("!") else ref


def is_list(ref: str) -> bool:
    return nullable(ref).startswith("[")


def list_item(ref: str) -> str:
    inner = nullable(ref)
    assert inner.startswith("[") and inner.endswith("]")
    return inner[1:-1]
