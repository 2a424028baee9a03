"""Read running subgraphs' SDL through the federation ``_service`` field, and compose it."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

import httpx

from mesh.federation.compose import SubgraphSource, compose


class CompositionFailed(RuntimeError):
    """The subgraphs do not compose; the message lists every error (code, coordinate,
    subgraphs, rule)."""


async def fetch_sdl(name: str, url: str, timeout: float = 5.0) -> str:
    """The subgraph's SDL; ConnectionError (naming the subgraph) when it cannot be read."""
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.post(url, json={"query": "{ _service { sdl } }"})
            payload = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ConnectionError(
            f"cannot read the SDL of subgraph {name} at {url}: {type(exc).__name__}"
        ) from None
    sdl = (payload.get("data") or {}).get("_service", {}).get("sdl")
    if not isinstance(sdl, str):
        raise ConnectionError(f"subgraph {name} at {url} did not answer _service {{ sdl }}")
    return sdl


async def compose_from_subgraphs(
    subgraphs: Mapping[str, str],
    timeout: float,
    attempts: int = 1,
    delay: float = 1.0,
    local: Sequence[SubgraphSource] = (),
) -> str:
    """Fetch every subgraph's ``_service { sdl }`` and compose (retrying while they start):
    the supergraph SDL, or CompositionFailed naming every error."""
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            sdls = await asyncio.gather(
                *(fetch_sdl(name, url, timeout) for name, url in subgraphs.items())
            )
        except ConnectionError as exc:
            last = exc
            if attempt + 1 < attempts:
                await asyncio.sleep(delay)
            continue
        fetched = [
            SubgraphSource(n, u, s) for (n, u), s in zip(subgraphs.items(), sdls, strict=True)
        ]
        result = compose([*fetched, *local])
        if result.supergraph_sdl is None:
            raise CompositionFailed("\n".join(map(str, result.errors)))
        return result.supergraph_sdl
    raise last or ConnectionError("no subgraphs to compose")


async def live_supergraph(subgraphs: Mapping[str, str], timeout: float = 5.0) -> str:
    """The supergraph SDL the running subgraphs (and the centre's own) compose to, for
    ``mesh policy check`` against the live mesh."""
    from subgraphs.centre import CENTRE, centre_subgraph

    return await compose_from_subgraphs(
        subgraphs, timeout, local=[SubgraphSource(CENTRE, "local://mesh", centre_subgraph().sdl())]
    )
