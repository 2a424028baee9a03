"""The conformance corpus's cases (``tests/federation/cases``) in process, for the unit layer:
each case's supergraph composed by our composer, and its subgraphs answering over an
in-process transport that records every request (no sockets, no Node)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from mesh.federation.compose import SubgraphSource, compose
from mesh.federation.execute import InProcessTransport, RoutingTransport
from mesh.federation.execute.transport import Handler
from mesh.federation.supergraph import Supergraph, load_supergraph
from tests.federation.cases import case_named
from tests.federation.support.subgraph import ExecutableSubgraph


def placeholder_url(case: str, subgraph: str) -> str:
    return f"http://{subgraph}.{case}.invalid/graphql"


@cache
def case_supergraph_sdl(case: str) -> str:
    """The case's supergraph as ``mesh compose`` writes it."""
    found = case_named(case)
    result = compose(
        [
            SubgraphSource(name=s.name, url=placeholder_url(case, s.name), sdl=s.sdl)
            for s in found.subgraphs
        ]
    )
    if result.supergraph_sdl is None:
        raise AssertionError(f"{case} does not compose: {[e.message for e in result.errors]}")
    return result.supergraph_sdl


@cache
def case_supergraph(case: str) -> Supergraph:
    return load_supergraph(case_supergraph_sdl(case))


@dataclass(frozen=True)
class SentRequest:
    subgraph: str
    query: str
    variables: Mapping[str, Any]


@dataclass
class CaseSubgraphs:
    """A case's subgraphs answering in process (a subgraph marked ``down`` has no route);
    ``sent`` lists every request, in order."""

    case: str
    sent: list[SentRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        found = case_named(self.case)
        if found.reset is not None:
            found.reset()
        routes = {
            s.name: InProcessTransport(handler=self._handler(ExecutableSubgraph(s)))
            for s in found.subgraphs
            if not s.down
        }
        self.transport = RoutingTransport(routes)

    def _handler(self, executable: ExecutableSubgraph) -> Handler:
        async def handle(
            query: str, variables: Mapping[str, Any], _headers: Mapping[str, str] | None
        ) -> dict[str, Any]:
            self.sent.append(SentRequest(executable.name, query, dict(variables)))
            return await executable.execute(query, variables)

        return handle

    def to(self, subgraph: str) -> list[SentRequest]:
        return [r for r in self.sent if r.subgraph == subgraph]
