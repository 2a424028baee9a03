"""A query plan as plain data: Sequence, Parallel, Fetch, Flatten and Condition nodes.

Paths into the response are tuples of response keys, ``"@"`` for every list level, and
frozensets of type names where the path narrows to some types (``products.@|[Book].reviews``).
An entity fetch names, per target path, how to build each object's representation from the
merged data (:class:`EntityInput`), and several paths can share one ``_entities`` request.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mesh.federation.plan.operation import Condition

PathElement = str | frozenset[str]
Path = tuple[PathElement, ...]
LIST = "@"
ANY_TYPE = "*"  # an entity input for objects of any __typename (an @interfaceObject's own)


def path_text(path: Path) -> str:
    parts: list[str] = []
    for element in path:
        if isinstance(element, frozenset):
            text = "|[" + ",".join(sorted(element)) + "]"
            if parts:
                parts[-1] += text
            else:
                parts.append(text)
        else:
            parts.append(element)
    return ".".join(parts)


@dataclass(frozen=True, slots=True)
class InputField:
    """One field of a representation: read ``data_key`` from the data, send it as ``name``."""

    name: str
    data_key: str
    selection: InputSelection | None = None


@dataclass(frozen=True, slots=True)
class InputSelection:
    fields: tuple[InputField, ...]
    # parts that apply only to objects of some types (@requires with "... on Book { x }")
    fragments: tuple[tuple[frozenset[str], InputSelection], ...] = ()


@dataclass(frozen=True, slots=True)
class EntityInput:
    """How an object of one type becomes a representation.

    ``typename`` replaces the object's own ``__typename`` (an ``@interfaceObject`` subgraph
    knows the interface, not the implementation). The object is skipped when every key it
    could use has a null or missing field (``keys`` lists each key's top-level data keys).
    """

    selection: InputSelection
    keys: tuple[tuple[str, ...], ...]
    typename: str | None = None


@dataclass(frozen=True, slots=True)
class EntityTarget:
    path: Path
    inputs: dict[str, EntityInput]  # by the object's __typename (or ANY_TYPE)


@dataclass(frozen=True, slots=True)
class OutputRewrite:
    """After the fetch, rename ``alias`` back to ``key`` in objects at ``path`` (within the
    fetch's own response) whose ``__typename`` is in ``types``: the alias kept the subgraph
    operation valid (``id: ID`` and ``id: ID!`` under one response key)."""

    path: tuple[str, ...]
    types: frozenset[str] | None
    alias: str
    key: str


@dataclass(eq=False)
class FetchNode:
    id: int
    subgraph: str
    operation: str
    variables: tuple[str, ...]
    operation_kind: str = "query"
    targets: tuple[EntityTarget, ...] = ()  # empty for a root fetch
    rewrites: tuple[OutputRewrite, ...] = ()
    selection_text: str = ""  # the selection, pretty-printed for describe()
    inputs_text: str = ""

    @property
    def is_entity_fetch(self) -> bool:
        return bool(self.targets)


@dataclass(eq=False)
class SequenceNode:
    nodes: tuple[PlanNode, ...]


@dataclass(eq=False)
class ParallelNode:
    nodes: tuple[PlanNode, ...]


@dataclass(eq=False)
class ConditionNode:
    """Runs ``if_clause`` when the variable is true, else ``else_clause``."""

    variable: str
    if_clause: PlanNode | None
    else_clause: PlanNode | None


PlanNode = FetchNode | SequenceNode | ParallelNode | ConditionNode


def conditioned(node: PlanNode, conditions: frozenset[Condition]) -> PlanNode:
    for condition in sorted(conditions, key=lambda c: (c.variable, c.when), reverse=True):
        if condition.when:
            node = ConditionNode(condition.variable, node, None)
        else:
            node = ConditionNode(condition.variable, None, node)
    return node


@dataclass(eq=False)
class QueryPlan:
    node: PlanNode | None
    operation_kind: str = "query"
    override_labels: frozenset[str] = field(default_factory=frozenset)
    # defaults of the operation's variables: Condition nodes test them when a client omits one
    variable_defaults: dict[str, Any] = field(default_factory=dict)

    def fetches(self) -> list[FetchNode]:
        return list(_fetches(self.node))


def _fetches(node: PlanNode | None) -> Iterator[FetchNode]:
    if node is None:
        return
    if isinstance(node, FetchNode):
        yield node
    elif isinstance(node, SequenceNode | ParallelNode):
        for child in node.nodes:
            yield from _fetches(child)
    else:
        yield from _fetches(node.if_clause)
        yield from _fetches(node.else_clause)
