"""Serve a supergraph produced by anyone (rover, the Hive CLI, @apollo/composition, ours) from
a file or a URL, and reload it when it changes — the convention every federation router follows.

A bad change never takes the router down: the last good supergraph keeps serving, and the
reason is printed on stderr and reported by ``/readyz`` until a good one arrives.
"""

from __future__ import annotations

import asyncio
import hashlib
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from mesh.federation.http import PipelineHolder
from mesh.federation.pipeline import Pipeline
from mesh.federation.supergraph import Supergraph, SupergraphError, load_supergraph

BuildPipeline = Callable[[Supergraph], Awaitable[tuple[Pipeline, Callable[[], Awaitable[None]]]]]
"""Makes the pipeline (and how to close what it opened) for a newly loaded supergraph."""


class SupergraphUnavailable(RuntimeError):
    """The supergraph file or URL cannot be read."""


async def read_supergraph_text(source: str, timeout: float = 10.0) -> str:
    """The supergraph SDL from a path or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        try:
            async with httpx.AsyncClient(timeout=timeout) as client:
                response = await client.get(source)
        except httpx.HTTPError as exc:
            raise SupergraphUnavailable(f"cannot fetch {source}: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise SupergraphUnavailable(f"{source} answered HTTP {response.status_code}")
        return response.text
    try:
        return Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise SupergraphUnavailable(f"cannot read {source}: {exc.strerror}") from None


@dataclass
class SupergraphRouter:
    """Keeps ``holder`` serving the newest good supergraph from ``source``."""

    source: str
    build: BuildPipeline
    holder: PipelineHolder = field(default_factory=PipelineHolder)
    supergraph: Supergraph | None = None
    problem: str | None = None  # why the newest supergraph is not being served
    _digest: str | None = None
    _close_current: Callable[[], Awaitable[None]] | None = None

    async def load(self) -> bool:
        """Read the source; serve it if it changed and is good. True when it was swapped in."""
        try:
            text = await read_supergraph_text(self.source)
        except SupergraphUnavailable as exc:
            return self._keep(str(exc))
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest == self._digest:
            return False
        try:
            supergraph = load_supergraph(text)
            pipeline, close = await self.build(supergraph)
        except (SupergraphError, ValueError) as exc:
            self._digest = digest  # do not retry the same bad text every poll
            return self._keep(f"supergraph from {self.source} refused: {exc}")
        previous = self._close_current
        self.holder.pipeline, self.supergraph = pipeline, supergraph
        self._digest, self._close_current, self.problem = digest, close, None
        if previous is not None:
            await previous()
        return True

    def _keep(self, reason: str) -> bool:
        self.problem = reason
        serving = "keeping the last good supergraph" if self.supergraph else "nothing to serve"
        print(f"mesh: {reason} ({serving})", file=sys.stderr, flush=True)
        return False

    async def watch(self, interval: float) -> None:
        """Poll the source until cancelled."""
        while True:
            await asyncio.sleep(interval)
            await self.load()

    async def close(self) -> None:
        if self._close_current is not None:
            await self._close_current()
            self._close_current = None


async def subgraphs_answer(urls: Mapping[str, str], timeout: float = 2.0) -> dict[str, str | None]:
    """For each subgraph URL, None when it answers ``{ __typename }``, else why not."""

    async def probe(client: httpx.AsyncClient, url: str) -> str | None:
        try:
            response = await client.post(url, json={"query": "{ __typename }"})
        except httpx.HTTPError as exc:
            return f"unreachable ({type(exc).__name__})"
        return None if response.status_code == 200 else f"HTTP {response.status_code}"

    http = {name: url for name, url in urls.items() if url.startswith(("http://", "https://"))}
    async with httpx.AsyncClient(timeout=timeout) as client:
        answers = await asyncio.gather(*(probe(client, url) for url in http.values()))
    return dict(zip(http, answers, strict=True))
