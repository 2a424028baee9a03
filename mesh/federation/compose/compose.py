"""``compose(subgraphs)``: subgraph SDL in, supergraph SDL (or every reason why not) out."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass

from mesh.federation.compose.errors import CompositionError, CompositionHint, Reporter
from mesh.federation.compose.merge import Merger
from mesh.federation.compose.model import NamedType
from mesh.federation.compose.post_merge import check_merged
from mesh.federation.compose.reading import read_subgraph
from mesh.federation.compose.satisfiability import check_supergraph
from mesh.federation.compose.subgraph import Subgraph, SubgraphSource
from mesh.federation.compose.subgraph_rules import check_subgraph
from mesh.federation.compose.supergraph_sdl import print_supergraph
from mesh.federation.compose.upgrade import upgrade_federation1


@dataclass(frozen=True)
class CompositionResult:
    """``supergraph_sdl`` when composition succeeded, else ``errors`` (never both)."""

    supergraph_sdl: str | None
    errors: tuple[CompositionError, ...] = ()
    hints: tuple[CompositionHint, ...] = ()

    @property
    def ok(self) -> bool:
        return self.supergraph_sdl is not None


def compose(
    subgraphs: Sequence[SubgraphSource], *, check_satisfiability: bool = True
) -> CompositionResult:
    """Compose subgraphs as Apollo Federation does; report all errors, raise none."""
    reporter = Reporter()
    try:
        sdl = _compose(list(subgraphs), reporter, check_satisfiability)
    except Exception as exc:  # a defect here must not take a gateway down with it
        reporter.error(
            "INTERNAL_COMPOSITION_ERROR",
            f"composition failed unexpectedly: {exc!r}\n{traceback.format_exc(limit=8)}",
        )
        sdl = None
    if reporter.errors:
        return CompositionResult(None, tuple(reporter.errors), tuple(reporter.hints))
    return CompositionResult(sdl, (), tuple(reporter.hints))


def _compose(
    sources: list[SubgraphSource], reporter: Reporter, check_satisfiability: bool
) -> str | None:
    if not sources:
        reporter.error("NO_SUBGRAPHS", "no subgraphs to compose")
        return None
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            reporter.error(
                "DUPLICATE_SUBGRAPH",
                f'A subgraph named "{source.name}" is given more than once',
                subgraphs=(source.name,),
            )
        seen.add(source.name)
    if reporter.errors:
        return None
    # Subgraphs are composed in name order, as @apollo/composition does (it decides the order
    # of join directives and which subgraph's description wins a tie).
    sources = sorted(sources, key=lambda source: source.name)
    # Apollo's stages: each Fed 2 subgraph is checked as it is read (all of them, collecting
    # every error); only then are Fed 1 subgraphs upgraded and checked by the same rules.
    valid: list[Subgraph] = []
    for source in sources:
        subgraph = read_subgraph(source, reporter)
        if subgraph is not None:
            valid.append(subgraph)
            if subgraph.is_fed2:
                check_subgraph(subgraph, reporter)
    if reporter.errors:
        return None
    subgraphs = upgrade_federation1(valid, reporter)
    if subgraphs is None or reporter.errors:
        return None
    for subgraph in subgraphs:
        _add_query_root(subgraph)
    merged = Merger(subgraphs, reporter).merge()
    if merged is None:
        return None
    sdl = print_supergraph(merged)
    check_merged(merged, sdl, reporter)
    if reporter.errors:
        return None
    if check_satisfiability:
        check_supergraph(sdl, reporter)
        if reporter.errors:
            return None
    return sdl


def _add_query_root(subgraph: Subgraph) -> None:
    """Every subgraph has a query root for the router (``_service``), even an empty one."""
    schema = subgraph.schema
    if "query" not in schema.roots and "Query" not in schema.types:
        schema.types["Query"] = NamedType("Query", "object", has_definition=True)
        schema.roots["query"] = "Query"
