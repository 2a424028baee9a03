"""The vocabulary of the satisfiability walk: steps of a supergraph path, subgraph positions."""

from __future__ import annotations

from dataclasses import dataclass, field

LEAF_KINDS = ("scalar", "enum")


@dataclass(frozen=True)
class Step:
    """One step of a supergraph path: a field (with the type it returns) or a type condition."""

    kind: str  # "field" or "cast"
    name: str  # field name or cast type
    parent: str
    target: str


@dataclass(frozen=True)
class Position:
    graph: str
    type: str
    provided: str | None = None
    runtime: frozenset[str] = frozenset()
    last: str = "start"  # start | root | key | field | cast | fake
    top: bool = True
    after_jump: bool = False  # the edge before ``last`` changed subgraph


@dataclass
class Reason:
    source: str
    details: str


@dataclass
class Outcome:
    positions: list[Position] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    impossible: bool = False  # a type condition no subgraph path can ever match


def unique_positions(positions: list[Position]) -> list[Position]:
    return list(dict.fromkeys(positions))
