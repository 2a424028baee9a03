"""Our federation engine over a case: ``mesh.federation`` composes (optionally), loads the
supergraph and answers through the same request pipeline ``mesh gateway serve`` runs (parse,
validate, variables, plan, execute over HTTP, shape), in process."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tests.federation.support import CORPUS_JWT_SECRET
from tests.federation.support.case import Probe


@dataclass(frozen=True)
class EngineComposition:
    supergraph: str | None
    errors: tuple[str, ...]


def compose_with_engine(sdl: Mapping[str, str], urls: Mapping[str, str]) -> EngineComposition:
    """Compose with ``mesh.federation.compose`` (our composer)."""
    from mesh.federation.compose import SubgraphSource, compose

    result = compose([SubgraphSource(name=n, url=urls[n], sdl=s) for n, s in sdl.items()])
    errors = tuple(f"{e.code}: {e.message}" for e in result.errors)
    return EngineComposition(supergraph=result.supergraph_sdl, errors=errors)


class EngineGateway:
    """One supergraph served by our engine behind the request pipeline a router runs
    (``mesh gateway serve --supergraph`` on a foreign supergraph: no governance);
    ``answer(probe)`` is one client request."""

    def __init__(self, *, supergraph_sdl: str, urls: Mapping[str, str]) -> None:
        from mesh.federation.access import JwtClaims
        from mesh.federation.engine import FederatedEngine
        from mesh.federation.execute import HttpTransport
        from mesh.federation.pipeline import OpenPolicy, Pipeline
        from mesh.federation.supergraph import load_supergraph

        self.supergraph = load_supergraph(supergraph_sdl)
        self.transport = HttpTransport(dict(urls), default_timeout=10.0)
        self.pipeline = Pipeline(
            FederatedEngine(self.supergraph, self.transport),
            OpenPolicy(),
            claims=JwtClaims(secret=CORPUS_JWT_SECRET),
        )

    async def answer(
        self, probe: Probe, headers: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        return await self.execute(
            probe.query,
            probe.variables,
            probe.operation_name,
            headers={**(probe.headers or {}), **(headers or {})},
        )

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        from mesh.federation.pipeline import GraphQLRequest

        request = GraphQLRequest(
            query,
            dict(variables) if variables is not None else None,
            operation_name,
            dict(headers or {}),
        )
        response = await self.pipeline.run(request)
        return response.body

    async def aclose(self) -> None:
        await self.transport.aclose()
