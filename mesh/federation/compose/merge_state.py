"""State shared by the merge steps: the subgraphs, the supergraph being built, the reporter.

"Sources" follow Apollo's shape: for a supergraph element, the matching element of each
subgraph by subgraph index (``None`` where that subgraph has the parent but not the element).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mesh.federation.compose.composed_directives import ComposedDirectives
from mesh.federation.compose.errors import Reporter, subgraph_names
from mesh.federation.compose.model import Field, NamedType, Schema
from mesh.federation.compose.subgraph import Subgraph

T = TypeVar("T")
Sources = dict[int, T | None]


@dataclass
class EnumUsage:
    position: str  # "Input", "Output" or "Both"
    examples: dict[str, str] = field(default_factory=dict)  # position -> coordinate


@dataclass
class FieldMergeContext:
    used_overridden: set[int] = field(default_factory=set)
    unused_overridden: set[int] = field(default_factory=set)
    unknown_target: set[int] = field(default_factory=set)
    labels: dict[int, str] = field(default_factory=dict)

    def overridden(self, index: int) -> bool:
        return index in self.used_overridden or index in self.unused_overridden


class MergeState:
    def __init__(self, subgraphs: list[Subgraph], reporter: Reporter) -> None:
        self.subgraphs = subgraphs
        self.names = [s.name for s in subgraphs]
        self.reporter = reporter
        self.merged = Schema()
        self.graph: list[str] = []
        self.composed = ComposedDirectives()
        self.enum_usages: dict[str, EnumUsage] = {}
        self.fields_with_override: set[str] = set()
        self.fields_with_requires: set[str] = set()

    # -- reporting -------------------------------------------------------------------------

    def error(
        self, code: str, message: str, *, subgraphs: Iterable[str] = (), coordinate: str = ""
    ) -> None:
        self.reporter.error(code, message, subgraphs=list(subgraphs), coordinate=coordinate)

    def hint(
        self, code: str, message: str, *, subgraphs: Iterable[str] = (), coordinate: str = ""
    ) -> None:
        self.reporter.hint(code, message, subgraphs=list(subgraphs), coordinate=coordinate)

    def distribution(
        self,
        sources: Mapping[int, Any],
        describe: Callable[[Any], str | None],
        *,
        include_missing: bool = False,
    ) -> dict[str, list[str]]:
        """Subgraph names grouped by ``describe(element)`` ("" for missing elements)."""
        groups: dict[str, list[str]] = {}
        indices = range(len(self.names)) if include_missing else sources.keys()
        for index in indices:
            element = sources.get(index)
            if element is None:
                if include_missing:
                    groups.setdefault("", []).append(self.names[index])
                continue
            groups.setdefault(describe(element) or "", []).append(self.names[index])
        return groups

    def mismatch_text(
        self,
        groups: dict[str, list[str]],
        supergraph_value: str,
        first: Callable[[str, str | None], str],
        other: Callable[[str, str], str],
        *,
        separator: str = " and ",
    ) -> str:
        parts = [first(supergraph_value, _names(groups.get(supergraph_value)))]
        parts.extend(
            other(value, subgraph_names(names))
            for value, names in groups.items()
            if value != supergraph_value
        )
        return parts[0] + separator.join(parts[1:])

    def mismatch_error(
        self,
        code: str,
        message: str,
        sources: Mapping[int, Any],
        describe: Callable[[Any], str],
        supergraph_value: str,
        coordinate: str,
    ) -> None:
        groups = self.distribution(sources, describe)
        parts = [f"{value} in {subgraph_names(names)}" for value, names in groups.items()]
        ordered = sorted(parts, key=lambda p: not p.startswith(supergraph_value + " in"))
        text = ordered[0] + (" but " + " and ".join(ordered[1:]) if len(ordered) > 1 else "")
        involved = [n for names in groups.values() for n in names]
        self.error(code, message + text, subgraphs=involved, coordinate=coordinate)

    # -- lookups ---------------------------------------------------------------------------

    def type_sources(self, name: str, kind: str) -> Sources[NamedType]:
        sources: Sources[NamedType] = {}
        for index, subgraph in enumerate(self.subgraphs):
            t = subgraph.schema.types.get(name)
            if t is None:
                sources[index] = None
                continue
            t_kind = "interface" if subgraph.is_interface_object(name) else t.kind
            sources[index] = t if t_kind == kind else None
        return sources

    def defined_in(self, sources: Mapping[int, object | None]) -> list[str]:
        return [self.names[i] for i, s in sources.items() if s is not None]

    def is_external(self, index: int, f: Field) -> bool:
        return self.subgraphs[index].is_external(f)


def _names(names: list[str] | None) -> str | None:
    return subgraph_names(names) if names else None
