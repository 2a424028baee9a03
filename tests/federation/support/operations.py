"""Random valid operations over an API schema, for differential testing (hypothesis).

Field arguments come from the case's own probes when they use the field (so they hit data
that exists), else from a plain literal per type; fields whose required arguments cannot be
made up (custom scalars) are left out. Abstract types get ``__typename`` and inline fragments
on some of their possible types; some fields get aliases and literal ``@skip``/``@include``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphql import (
    ArgumentNode,
    FieldNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    is_required_argument,
    parse,
    print_ast,
    visit,
)
from hypothesis import strategies as st

SCALAR_LITERALS = {"Int": "1", "Float": "1.5", "String": '"x"', "Boolean": "true", "ID": '"1"'}
MAX_FIELDS_PER_SELECTION = 3


class _ArgumentHarvester(Visitor):
    def __init__(self, type_info: TypeInfo, found: dict[str, list[str]]) -> None:
        super().__init__()
        self.type_info = type_info
        self.found = found

    def enter_field(self, node: FieldNode, *_: object) -> None:
        parent = self.type_info.get_parent_type()
        if parent is None or not node.arguments:
            return
        if any(_uses_variable(argument) for argument in node.arguments):
            return
        printed = ", ".join(print_ast(argument) for argument in node.arguments)
        self.found.setdefault(f"{parent.name}.{node.name.value}", []).append(printed)


def _uses_variable(argument: ArgumentNode) -> bool:
    return "$" in print_ast(argument.value)


def harvest_arguments(schema: GraphQLSchema, queries: Iterable[str]) -> dict[str, list[str]]:
    """Printed argument lists seen in the probes, by ``Type.field``."""
    found: dict[str, list[str]] = {}
    for query in queries:
        type_info = TypeInfo(schema)
        visit(parse(query), TypeInfoVisitor(type_info, _ArgumentHarvester(type_info, found)))
    return {coordinate: sorted(set(arguments)) for coordinate, arguments in found.items()}


def _literal(type_: GraphQLInputType) -> str | None:
    """A valid literal for a required input, or None when none can be made up."""
    if isinstance(type_, GraphQLNonNull):
        return _literal(type_.of_type)
    if isinstance(type_, GraphQLList):
        inner = _literal(type_.of_type)
        return None if inner is None else f"[{inner}]"
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values), None)
    if isinstance(type_, GraphQLScalarType):
        return SCALAR_LITERALS.get(type_.name)
    if isinstance(type_, GraphQLInputObjectType):
        parts = []
        for name, field in type_.fields.items():
            if isinstance(field.type, GraphQLNonNull) and field.default_value is None:
                value = _literal(field.type)
                if value is None:
                    return None
                parts.append(f"{name}: {value}")
        return "{" + ", ".join(parts) + "}"
    return None


@dataclass(frozen=True)
class OperationSpace:
    """What operations may be drawn from: the schema and known-good arguments."""

    schema: GraphQLSchema
    arguments: Mapping[str, list[str]]
    max_depth: int = 3

    def argument_choices(self, parent: str, name: str, field: GraphQLField) -> list[str] | None:
        known = self.arguments.get(f"{parent}.{name}")
        if known:
            return known
        parts = []
        for arg_name, argument in field.args.items():
            if is_required_argument(argument):
                value = _literal(argument.type)
                if value is None:
                    return None
                parts.append(f"{arg_name}: {value}")
        return [", ".join(parts)]


def _usable_fields(
    space: OperationSpace, owner: GraphQLObjectType | GraphQLInterfaceType
) -> list[tuple[str, list[str]]]:
    usable = []
    for name, field in owner.fields.items():
        if name.startswith("__"):
            continue
        choices = space.argument_choices(owner.name, name, field)
        if choices is not None:
            usable.append((name, choices))
    return usable


@st.composite
def _selection(draw: st.DrawFn, space: OperationSpace, type_: GraphQLNamedType, depth: int) -> str:
    if isinstance(type_, GraphQLUnionType):
        return draw(_abstract_selection(space, type_, depth))
    assert isinstance(type_, GraphQLObjectType | GraphQLInterfaceType)
    usable = _usable_fields(space, type_)
    if depth >= space.max_depth:
        usable = [(n, c) for n, c in usable if _is_leaf(type_.fields[n])]
    picked = draw(
        st.lists(
            st.sampled_from(usable),
            min_size=1,
            max_size=MAX_FIELDS_PER_SELECTION,
            unique_by=lambda u: u[0],
        )
        if usable
        else st.just([])
    )
    parts = [draw(_field(space, type_, name, choices, depth)) for name, choices in picked]
    if isinstance(type_, GraphQLInterfaceType) or not parts or draw(st.booleans()):
        parts.append("__typename")
    if isinstance(type_, GraphQLInterfaceType) and depth < space.max_depth:
        parts.append(draw(_abstract_selection(space, type_, depth)))
    return " ".join(parts)


def _is_leaf(field: GraphQLField) -> bool:
    return not isinstance(
        get_named_type(field.type), GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
    )


@st.composite
def _field(
    draw: st.DrawFn,
    space: OperationSpace,
    owner: GraphQLObjectType | GraphQLInterfaceType,
    name: str,
    choices: list[str],
    depth: int,
) -> str:
    field = owner.fields[name]
    text = name
    arguments = draw(st.sampled_from(choices))
    if arguments:
        text += f"({arguments})"
    alias = draw(st.sampled_from(["", "", "", f"{name}Alias: "]))
    directive = draw(st.sampled_from(["", "", "", "", " @include(if: true)", " @skip(if: true)"]))
    named = get_named_type(field.type)
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
        return f"{alias}{text}{directive} {{ {draw(_selection(space, named, depth + 1))} }}"
    return f"{alias}{text}{directive}"


@st.composite
def _abstract_selection(
    draw: st.DrawFn,
    space: OperationSpace,
    type_: GraphQLInterfaceType | GraphQLUnionType,
    depth: int,
) -> str:
    possible = list(space.schema.get_possible_types(type_))
    members = draw(
        st.lists(st.sampled_from(possible), min_size=1, max_size=2, unique_by=lambda t: t.name)
    )
    parts = ["__typename"]
    for member in members:
        parts.append(f"... on {member.name} {{ {draw(_selection(space, member, depth + 1))} }}")
    return " ".join(parts)


@st.composite
def operations(draw: st.DrawFn, space: OperationSpace) -> str:
    """One query operation over the schema's query root."""
    query = space.schema.query_type
    assert query is not None
    return "{ " + draw(_selection(space, query, 0)) + " }"
