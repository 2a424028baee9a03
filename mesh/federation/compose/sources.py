"""Where subgraph SDL comes from: files, running subgraphs (``{ _service { sdl } }``), or a
rover-style ``supergraph.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import yaml

from mesh.federation.compose.subgraph import SubgraphSource

SERVICE_SDL_QUERY = "{ _service { sdl } }"
DEFAULT_TIMEOUT_SECONDS = 10.0


class SourceError(Exception):
    """A subgraph's SDL could not be obtained (unreadable file, failed fetch, bad config)."""


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def fetch_sdl(url: str, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> str:
    """A running subgraph's SDL, as routers fetch it."""
    try:
        response = httpx.post(
            url,
            json={"query": SERVICE_SDL_QUERY},
            headers={"accept": "application/json"},
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        raise SourceError(f"POST {url} failed: {exc}") from None
    if response.status_code != 200:
        raise SourceError(f"POST {url} answered HTTP {response.status_code}")
    try:
        payload = response.json()
    except ValueError:
        raise SourceError(f"POST {url} did not answer JSON") from None
    sdl = (((payload or {}).get("data") or {}).get("_service") or {}).get("sdl")
    if not isinstance(sdl, str):
        detail = "; ".join(str(e.get("message")) for e in payload.get("errors") or [])
        raise SourceError(f"POST {url}: {detail or 'no _service.sdl in the answer'}")
    return sdl


def read_sdl(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read {path}: {exc}") from None


def parse_subgraph_argument(
    argument: str, *, routing_urls: dict[str, str], timeout: float
) -> SubgraphSource:
    """``FILE``, ``NAME=FILE`` or ``NAME=URL`` (fetched live; the URL is also its routing URL)."""
    name, sep, where = argument.partition("=")
    if not sep:
        name, where = Path(argument).stem, argument
    if not name or not where:
        raise SourceError(f'expected FILE, NAME=FILE or NAME=URL, got "{argument}"')
    if is_url(where):
        return SubgraphSource(
            name, routing_urls.get(name, where), fetch_sdl(where, timeout=timeout)
        )
    return SubgraphSource(name, routing_urls.get(name, ""), read_sdl(Path(where)))


def sources_from_arguments(
    arguments: Sequence[str], *, routing_urls: dict[str, str], timeout: float
) -> list[SubgraphSource]:
    return [
        parse_subgraph_argument(a, routing_urls=routing_urls, timeout=timeout) for a in arguments
    ]


def sources_from_config(path: Path, *, timeout: float) -> list[SubgraphSource]:
    """Subgraphs from a rover ``supergraph.yaml`` (``schema: file`` or ``subgraph_url``)."""
    try:
        config: Any = yaml.safe_load(read_sdl(path))
    except yaml.YAMLError as exc:
        raise SourceError(f"{path} is not valid YAML: {exc}") from None
    subgraphs = config.get("subgraphs") if isinstance(config, dict) else None
    if not isinstance(subgraphs, dict) or not subgraphs:
        raise SourceError(f"{path}: expected a 'subgraphs:' mapping")
    sources: list[SubgraphSource] = []
    for name, entry in subgraphs.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("schema"), dict):
            raise SourceError(f"{path}: subgraph {name!r} needs a 'schema:' mapping")
        schema = entry["schema"]
        routing_url = str(entry.get("routing_url") or schema.get("subgraph_url") or "")
        if "file" in schema:
            sdl = read_sdl((path.parent / str(schema["file"])).resolve())
        elif "subgraph_url" in schema:
            sdl = fetch_sdl(str(schema["subgraph_url"]), timeout=timeout)
        elif "sdl" in schema:
            sdl = str(schema["sdl"])
        else:
            raise SourceError(f"{path}: subgraph {name!r}: schema needs file, subgraph_url or sdl")
        sources.append(SubgraphSource(str(name), routing_url, sdl))
    return sources
