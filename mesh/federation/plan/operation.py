"""The client's operation (and federation field sets) as a tree the planner walks.

Fragment spreads become inline fragments, ``@skip``/``@include`` with a literal are decided
here (the selection is dropped or kept as if unconditioned), and with a variable they become
:class:`Condition` values the plan can test. Printed arguments and directives are kept with
each field, so subgraph operations are rendered without printing AST again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NameNode,
    Node,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    print_ast,
    visit,
)
from graphql.language import Visitor

from mesh.federation.plan.errors import PlanningError


@dataclass(frozen=True, slots=True)
class Condition:
    """The selection is included when ``variable`` is ``when``."""

    variable: str
    when: bool


NO_CONDITIONS: frozenset[Condition] = frozenset()


@dataclass(frozen=True, slots=True, eq=False)
class FieldSel:
    name: str
    response_key: str
    arguments: str  # printed, "(id: $id)" or ""
    directives: str  # printed forwarded directives, " @include(if: $a)" or ""
    conditions: frozenset[Condition]
    variables: frozenset[str]
    selection: SelSet | None
    internal: bool = False  # a key, @requires or @provides field rather than the client's

    @property
    def identity(self) -> tuple[str, str]:
        return self.name, self.arguments


@dataclass(frozen=True, slots=True, eq=False)
class FragmentSel:
    type_condition: str | None
    directives: str
    conditions: frozenset[Condition]
    variables: frozenset[str]
    selection: SelSet


Selection = FieldSel | FragmentSel


@dataclass(frozen=True, slots=True, eq=False)
class SelSet:
    type_name: str
    items: tuple[Selection, ...]


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: object) -> None:
        self.names.add(node.name.value)


def _variables(nodes: Sequence[Node]) -> frozenset[str]:
    collector = _Variables()
    for node in nodes:
        visit(node, collector)
    return frozenset(collector.names)


def _print_arguments(arguments: Sequence[ArgumentNode] | None) -> str:
    if not arguments:
        return ""
    return "(" + ", ".join(print_ast(a) for a in arguments) + ")"


def _with_defaults(directive: DirectiveNode, schema: GraphQLSchema | None) -> DirectiveNode:
    """The directive with its definition's default arguments spelled out: a subgraph's own
    definition may lack the default the composed one has."""
    definition = schema.get_directive(directive.name.value) if schema is not None else None
    if definition is None:
        return directive
    given = {a.name.value for a in directive.arguments or ()}
    added: list[ArgumentNode] = []
    for name, argument in definition.args.items():
        default = argument.ast_node.default_value if argument.ast_node is not None else None
        if name not in given and default is not None:
            added.append(ArgumentNode(name=NameNode(value=name), value=default))
    if not added:
        return directive
    return DirectiveNode(name=directive.name, arguments=(*(directive.arguments or ()), *added))


def _conditions(
    directives: Sequence[DirectiveNode] | None,
    schema: GraphQLSchema | None = None,
) -> tuple[bool, frozenset[Condition], tuple[DirectiveNode, ...]]:
    """(kept, conditions, forwarded directives) for a selection's directives."""
    conditions: set[Condition] = set()
    forwarded: list[DirectiveNode] = []
    for directive in directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            forwarded.append(_with_defaults(directive, schema))
            continue
        argument = next((a for a in directive.arguments or () if a.name.value == "if"), None)
        if argument is None:
            continue
        value = argument.value
        if isinstance(value, BooleanValueNode):
            if value.value != (name == "include"):
                return False, NO_CONDITIONS, ()
            continue
        if isinstance(value, VariableNode):
            conditions.add(Condition(value.name.value, name == "include"))
            forwarded.append(directive)
    return True, frozenset(conditions), tuple(forwarded)


class Normalizer:
    """Turns selection sets into :class:`SelSet` trees against one schema."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode] | None = None,
        *,
        internal: bool = False,
    ) -> None:
        self.schema = schema
        self.fragments = dict(fragments or {})
        self.internal = internal

    def selection_set(self, node: SelectionSetNode, type_name: str) -> SelSet:
        items: list[Selection] = []
        self._collect(node, type_name, items)
        return SelSet(type_name=type_name, items=tuple(items))

    def _collect(self, node: SelectionSetNode, type_name: str, items: list[Selection]) -> None:
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                field = self._field(selection, type_name)
                if field is not None:
                    items.append(field)
                continue
            if isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is None:
                    raise PlanningError(f"unknown fragment {selection.name.value}")
                condition: str | None = fragment.type_condition.name.value
                inner = fragment.selection_set
            else:
                assert isinstance(selection, InlineFragmentNode)
                condition = (
                    selection.type_condition.name.value if selection.type_condition else None
                )
                inner = selection.selection_set
            kept, conditions, forwarded = _conditions(selection.directives, self.schema)
            if not kept:
                continue
            target = condition or type_name
            if not forwarded and target == type_name:
                self._collect(inner, type_name, items)  # a fragment that always applies
                continue
            items.append(
                FragmentSel(
                    type_condition=None if target == type_name else target,
                    directives="".join(" " + print_ast(d) for d in forwarded),
                    conditions=conditions,
                    variables=_variables(forwarded),
                    selection=self.selection_set(inner, target),
                )
            )

    def _field(self, node: FieldNode, type_name: str) -> FieldSel | None:
        kept, conditions, forwarded = _conditions(node.directives, self.schema)
        if not kept:
            return None
        name = node.name.value
        selection: SelSet | None = None
        if node.selection_set is not None and name not in ("__schema", "__type"):
            # introspection is answered from the API schema when shaping, never fetched
            parent = self.schema.type_map.get(type_name)
            if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
                raise PlanningError(f"{type_name} has no fields", path=(type_name, name))
            definition = parent.fields.get(name)
            if definition is None:
                raise PlanningError(f"{type_name}.{name} is not in the schema")
            child = get_named_type(definition.type).name
            selection = self.selection_set(node.selection_set, child)
        return FieldSel(
            name=name,
            response_key=node.alias.value if node.alias else name,
            arguments=_print_arguments(node.arguments),
            directives="".join(" " + print_ast(d) for d in forwarded),
            conditions=conditions,
            variables=_variables([*(node.arguments or ()), *forwarded]),
            selection=selection,
            internal=self.internal,
        )


def field_set(schema: GraphQLSchema, node: SelectionSetNode, type_name: str) -> SelSet:
    """A key, @requires or @provides field set, marked as the planner's own fields."""
    return Normalizer(schema, internal=True).selection_set(node, type_name)
