"""Read a running subgraph's SDL through the federation ``_service`` field."""

from __future__ import annotations

import httpx


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
