"""Our engine over every case, built lazily: from Apollo's supergraph and from our own
composition, one gateway per (case, supergraph source), closed at the end of the session."""

from __future__ import annotations

import enum
from typing import Any

from tests.federation.support.apollo import ApolloCorpus
from tests.federation.support.case import Case, Probe
from tests.federation.support.engine import EngineGateway, compose_with_engine
from tests.federation.support.guild import compose_with_guild
from tests.federation.support.node import compose_with_apollo, with_subgraph_urls
from tests.federation.support.server import CorpusServer
from tests.federation.support.verdict import mismatches


class SupergraphSource(enum.Enum):
    APOLLO = "apollo-composed"
    OURS = "mesh-composed"
    GUILD = "guild-composed"  # @theguild/federation-composition, as the Hive CLI prints it


class CompositionRefused(AssertionError):
    """The composer refused a case every federation composer must accept."""


class EngineRuns:
    def __init__(self, server: CorpusServer) -> None:
        self.server = server
        self.apollo: ApolloCorpus | None = None  # reuse its compositions when set
        self._gateways: dict[tuple[str, SupergraphSource], EngineGateway] = {}

    def supergraph(self, case: Case, source: SupergraphSource) -> str:
        urls = self.server.urls(case.name)
        sdl = self.server.sdl(case.name)
        if source is SupergraphSource.APOLLO:
            known = self.apollo.compositions.get(case.name) if self.apollo else None
            composed = known or compose_with_apollo(sdl)
            if composed.supergraph is None:
                raise CompositionRefused(f"Apollo did not compose {case.name}: {composed.errors}")
            return with_subgraph_urls(composed.supergraph, urls)
        if source is SupergraphSource.GUILD:
            guild = compose_with_guild(sdl, urls)
            if guild.supergraph is None:
                raise CompositionRefused(f"Guild did not compose {case.name}: {guild.errors}")
            return guild.supergraph
        ours = compose_with_engine(sdl, urls)
        if ours.supergraph is None:
            raise CompositionRefused(f"we did not compose {case.name}: {list(ours.errors)}")
        return ours.supergraph

    def gateway(self, case: Case, source: SupergraphSource) -> EngineGateway:
        key = (case.name, source)
        if key not in self._gateways:
            self._gateways[key] = EngineGateway(
                supergraph_sdl=self.supergraph(case, source), urls=self.server.urls(case.name)
            )
        return self._gateways[key]

    async def run(self, case: Case, probe: Probe, source: SupergraphSource) -> list[str]:
        """What differs between our answer and the probe's expectation (empty: passes)."""
        gateway = self.gateway(case, source)
        if case.reset is not None:
            case.reset()
        mark = self.server.log.mark()
        answer: dict[str, Any] = await gateway.answer(probe)
        return mismatches(probe, answer, self.server.log.counts_since(mark, case.name))

    async def aclose(self) -> None:
        for gateway in self._gateways.values():
            await gateway.aclose()
