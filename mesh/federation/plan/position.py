"""Where the walk is, the options for a field there, and what they cost."""

from __future__ import annotations

from dataclasses import dataclass

from mesh.federation.plan.fetch_graph import FetchGroup
from mesh.federation.plan.graph import Hop, Mode, Node
from mesh.federation.plan.nodes import Path
from mesh.federation.plan.operation import NO_CONDITIONS, Condition, FieldSel, SelSet
from mesh.federation.plan.reserved import Reserved
from mesh.federation.plan.selections import SelectionBuilder
from mesh.federation.supergraph import FieldInSubgraph

Cost = tuple[float, float]  # (fetches, sequential levels)
FREE: Cost = (0, 0)
IMPOSSIBLE: Cost = (float("inf"), float("inf"))

TYPENAME = FieldSel(
    name="__typename",
    response_key="__typename",
    arguments="",
    directives="",
    conditions=NO_CONDITIONS,
    variables=frozenset(),
    selection=None,
    internal=True,
)


@dataclass(slots=True)
class Position:
    group: FetchGroup
    builder: SelectionBuilder
    subgraph: str
    type_name: str  # the selection's type in this subgraph
    mode: Mode
    concrete: str | None  # the object type here, when known
    path: Path
    provided: SelSet | None
    conditions: frozenset[Condition]
    reserved: Reserved
    trail: tuple[str, ...]  # the client's path, for error messages

    @property
    def node(self) -> Node:
        return Node(self.subgraph, self.type_name, self.concrete)


@dataclass(frozen=True, slots=True)
class Local:
    resolution: FieldInSubgraph


@dataclass(frozen=True, slots=True)
class Jump:
    hops: tuple[Hop, ...]
    resolution: FieldInSubgraph
    type_name: str  # where the field is resolved, in the last hop's subgraph


Option = Local | Jump


class Estimates:
    """Estimates shared by a walk and its scratch walks, for one planning run."""

    __slots__ = ("cycles", "in_progress", "known", "satisfying")

    def __init__(self) -> None:
        self.known: dict[tuple[object, ...], tuple[Cost, object]] = {}
        self.in_progress: set[tuple[object, ...]] = set()
        self.cycles = 0
        # key edges whose key fields are being planned: (from node, to subgraph, to type)
        self.satisfying: set[tuple[Node, str, str]] = set()
