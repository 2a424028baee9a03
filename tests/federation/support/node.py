"""Node-side tools the corpus runs against: Apollo's composition and @apollo/gateway.

Both are npm packages pinned in the repository (``interop/`` and ``bench/peers/``); they are
installed with ``npm ci`` on first use, so a fresh clone needs only ``node`` and ``npm``.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
INTEROP_DIR = ROOT / "interop"
PEERS_DIR = ROOT / "bench" / "peers"
COMPOSE_SCRIPT = INTEROP_DIR / "compose.mjs"
NPM_CI_TIMEOUT_SECONDS = 600
COMPOSE_TIMEOUT_SECONDS = 120

_JOIN_GRAPH = re.compile(r'@join__graph\(name: "(?P<name>[^"]+)", url: "[^"]*"\)')


def node_available() -> bool:
    return shutil.which("node") is not None and shutil.which("npm") is not None


@functools.cache
def ensure_npm_dependencies(directory: Path, marker: str) -> None:
    """``npm ci`` in ``directory`` unless ``node_modules/<marker>`` is already there."""
    if (directory / "node_modules" / marker).is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is not installed; cannot install {directory}")
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=NPM_CI_TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"npm ci in {directory} failed:\n{done.stderr[-2000:]}")


@dataclass(frozen=True, kw_only=True)
class ApolloComposition:
    """What ``interop/compose.mjs`` said about a set of subgraphs."""

    ok: bool
    errors: list[dict[str, Any]]
    supergraph: str | None


def compose_with_apollo(sdl_by_subgraph: dict[str, str]) -> ApolloComposition:
    """Compose subgraph SDL with @apollo/composition (join__graph URLs left empty)."""
    ensure_npm_dependencies(INTEROP_DIR, "@apollo/composition")
    node = shutil.which("node")
    assert node is not None
    with tempfile.TemporaryDirectory(prefix="fed-corpus-compose-") as workdir:
        files = []
        for name, sdl in sdl_by_subgraph.items():
            path = Path(workdir) / f"{name}.graphql"
            path.write_text(sdl, encoding="utf-8")
            files.append(str(path))
        out = Path(workdir) / "supergraph.graphql"
        done = subprocess.run(
            [node, str(COMPOSE_SCRIPT), "--supergraph", str(out), *files],
            capture_output=True,
            text=True,
            timeout=COMPOSE_TIMEOUT_SECONDS,
            check=False,
        )
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
