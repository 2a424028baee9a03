"""Node-side tools the corpus runs against: Apollo's composition and @apollo/gateway.

Both are npm packages pinned in the repository (``interop/`` and ``bench/peers/``); they are
installed with ``npm ci`` on first use, so a fresh clone needs only ``node`` and ``npm``.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devtools.node_tools import ROOT, run_apollo_composition

PEERS_DIR = ROOT / "bench" / "peers"

_JOIN_GRAPH = re.compile(r'@join__graph\(name: "(?P<name>[^"]+)", url: "[^"]*"\)')


@dataclass(frozen=True, kw_only=True)
class ApolloComposition:
    """What ``interop/compose.mjs`` said about a set of subgraphs."""

    ok: bool
    errors: list[dict[str, Any]]
    supergraph: str | None


def compose_with_apollo(sdl_by_subgraph: dict[str, str]) -> ApolloComposition:
    """Compose subgraph SDL with @apollo/composition (join__graph URLs left empty)."""
    with tempfile.TemporaryDirectory(prefix="fed-corpus-compose-") as workdir:
        files = []
        for name, sdl in sdl_by_subgraph.items():
            path = Path(workdir) / f"{name}.graphql"
            path.write_text(sdl, encoding="utf-8")
            files.append(str(path))
        out = Path(workdir) / "supergraph.graphql"
        done = run_apollo_composition(["--supergraph", str(out), *files])
        try:
            report = json.loads(done.stdout)
        except ValueError as error:
            raise RuntimeError(f"compose.mjs printed no JSON: {done.stderr[-2000:]}") from error
        supergraph = out.read_text(encoding="utf-8") if report.get("ok") else None
    return ApolloComposition(
        ok=bool(report.get("ok")), errors=list(report.get("errors", [])), supergraph=supergraph
    )


def with_subgraph_urls(supergraph: str, urls: dict[str, str]) -> str:
    """The supergraph with each ``@join__graph(url:)`` pointing at where the subgraph runs."""

    def point(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in urls:
            raise KeyError(f"supergraph names subgraph {name!r} but no URL was given for it")
        return f'@join__graph(name: "{name}", url: "{urls[name]}")'

    return _JOIN_GRAPH.sub(point, supergraph)
