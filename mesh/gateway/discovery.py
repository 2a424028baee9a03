"""Read running subgraphs' SDL through the federation ``_service`` field, and compose it."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

import httpx

from mesh.compose import SubgraphSDL, Supergraph, compose


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
    local: Sequence[SubgraphSDL] = (),
) -> Supergraph:
    """Fetch every subgraph's ``_service { sdl }`` and compose (retrying while they start)."""
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            sdls = await asyncio.gather(
                *(fetch_sdl(name, url, timeout) for name, url in subgraphs.items())
            )
            fetched = [
                SubgraphSDL(n, s, u) for (n, u), s in zip(subgraphs.items(), sdls, strict=True)
            ]
            return compose([*fetched, *local])
        except ConnectionError as exc:
            last = exc
            if attempt + 1 < attempts:
                await asyncio.sleep(delay)
    raise last or ConnectionError("no subgraphs to compose")


async def live_contract(
    subgraphs: Mapping[str, str], timeout: float = 5.0
) -> tuple[str, dict[str, tuple[str, ...]], tuple[str, ...]]:
    """What the running subgraphs (and the centre's own) compose to: the client contract,
    each coordinate's resolving parties (the centre's fields are the index's) and the
    subgraph names — for ``mesh policy check`` against the live mesh."""
    from subgraphs.centre import CENTRE, centre_subgraph

    supergraph = await compose_from_subgraphs(
        subgraphs, timeout, local=[SubgraphSDL(CENTRE, centre_subgraph().sdl(), "local://mesh")]
    )
    agencies = {
        field_def.coordinate: tuple("index" if s == CENTRE else s for s in field_def.resolvers)
        for type_def in supergraph.types.values()
        for field_def in type_def.fields.values()
    }
    return supergraph.client_sdl, agencies, tuple(subgraphs)
