"""A query plan: fetch nodes in a tree; a child runs once its parent's data is merged."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import SelectionNode, VariableDefinitionNode


@dataclass
class FetchNode:
    """One request to one subgraph.

    A root fetch (``entity_type`` None) selects root fields. An entity fetch collects the
    objects found at ``path`` (lists flattened; only ``__typename`` in ``type_filter`` when set),
    sends their representations (``representation`` fields) to ``_entities`` and merges the
    answers back into those objects.
    """

    subgraph: str
    path: tuple[str, ...]
    entity_type: str | None = None
    type_filter: frozenset[str] | None = None
    selections: list[SelectionNode] = field(default_factory=list)
    representation: list[SelectionNode] = field(default_factory=list)
    children: list[FetchNode] = field(default_factory=list)
    operation: str = ""
    variable_names: tuple[str, ...] = ()
    representations_variable: str = "representations"
    operation_kind: str = "query"

    def walk(self) -> list[FetchNode]:
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes


@dataclass
class QueryPlan:
    roots: list[FetchNode]
    operation_kind: str = "query"
    variable_definitions: tuple[VariableDefinitionNode, ...] = ()
    sequential: bool = False  # mutations run their root fetches one after another

    def fetches(self) -> list[FetchNode]:
        nodes: list[FetchNode] = []
        for root in self.roots:
            nodes.extend(root.walk())
        return nodes

    def describe(self) -> str:
        """A readable outline of the plan, for logs, docs and tests."""
        lines: list[str] = []

        def visit(node: FetchNode, depth: int) -> None:
            where = ".".join(node.path) or "<root>"
            kind = f"_entities({node.entity_type}) at {where}" if node.entity_type else "root"
            lines.append("  " * depth + f"Fetch {node.subgraph} {kind}")
            for child in node.children:
                visit(child, depth + 1)

        for root in self.roots:
            visit(root, 0)
        return "\n".join(lines)
