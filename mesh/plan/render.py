"""Turn planned fetches into the GraphQL text each subgraph receives."""

from __future__ import annotations

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    InlineFragmentNode,
    ListTypeNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    print_ast,
    visit,
)

from mesh.plan.model import FetchNode, QueryPlan


class _VariableCollector(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def enter_variable(self, node: VariableNode, *_: object) -> None:
        if node.name.value not in self.names:
            self.names.append(node.name.value)


def _used_variables(selections: list[SelectionNode]) -> list[str]:
    collector = _VariableCollector()
    for selection in selections:
        visit(selection, collector)
    return collector.names


def _representations_type() -> NonNullTypeNode:
    any_type = NonNullTypeNode(type=NamedTypeNode(name=NameNode(value="_Any")))
    return NonNullTypeNode(type=ListTypeNode(type=any_type))


def render_fetch(
    node: FetchNode,
    definitions: dict[str, VariableDefinitionNode],
    operation_name: str | None,
    index: int,
) -> None:
    used = _used_variables(node.selections)
    variable_defs = [definitions[name] for name in used if name in definitions]
    node.variable_names = tuple(used)
    name = f"{operation_name or 'anonymous'}__{node.subgraph}__{index}"
    if node.entity_type is None:
        selection_set = SelectionSetNode(selections=tuple(node.selections))
        operation_type = (
            OperationType.MUTATION if node.operation_kind == "mutation" else OperationType.QUERY
        )
    else:
        reps = "representations"
        while reps in definitions:
            reps = "_" + reps
        node.representations_variable = reps
        variable_defs.insert(
            0,
            VariableDefinitionNode(
                variable=VariableNode(name=NameNode(value=reps)),
                type=_representations_type(),
            ),
        )
        fragment = InlineFragmentNode(
            type_condition=NamedTypeNode(name=NameNode(value=node.entity_type)),
            selection_set=SelectionSetNode(selections=tuple(node.selections)),
        )
        entities = FieldNode(
            name=NameNode(value="_entities"),
            arguments=(
                ArgumentNode(
                    name=NameNode(value="representations"),
                    value=VariableNode(name=NameNode(value=reps)),
                ),
            ),
            selection_set=SelectionSetNode(selections=(fragment,)),
        )
        selection_set = SelectionSetNode(selections=(entities,))
        operation_type = OperationType.QUERY
    operation = OperationDefinitionNode(
        operation=operation_type,
        name=NameNode(value=_safe_name(name)),
        variable_definitions=tuple(variable_defs),
        selection_set=selection_set,
        directives=(),
    )
    node.operation = print_ast(DocumentNode(definitions=(operation,)))


def _safe_name(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name)


def render_operations(plan: QueryPlan, operation_name: str | None) -> None:
    definitions = {d.variable.name.value: d for d in plan.variable_definitions}
    for index, node in enumerate(plan.fetches()):
        render_fetch(node, definitions, operation_name, index)
