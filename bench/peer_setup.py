"""The Node side: install the peers from the committed lockfile, compose their supergraph.

Composition uses ``interop/compose.mjs`` (``@apollo/composition``, the reference
implementation) over the running subgraphs' ``_service { sdl }``, so both peers serve exactly
what a federation team would build with Apollo's tools.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from bench.gateways import PEERS_DIR
from devtools.node_tools import (
    INTEROP_DIR,
    NodeToolError,
    node_available,
    npm_ci,
    run_apollo_composition,
)

PEER_PACKAGES = (
    "@apollo/gateway",
    "@apollo/server",
    "@graphql-hive/gateway",
    "@graphql-hive/router-runtime",
    "@graphql-hive/router-query-planner",
    "autocannon",
)


class PeerSetupError(RuntimeError):
    """Node or npm is missing, an install failed, or composition failed."""


def install_peers() -> None:
    """``npm ci`` in ``bench/peers`` and ``interop`` when their node_modules is missing."""
    if not node_available():
        raise PeerSetupError("node is not on PATH: install Node.js >= 20")
    try:
        npm_ci(PEERS_DIR, marker="@graphql-hive/router-runtime")
        npm_ci(INTEROP_DIR, marker="@apollo/composition")
    except NodeToolError as exc:
        raise PeerSetupError(str(exc)) from None


def compose_supergraph(subgraph_urls: dict[str, str], out: Path) -> None:
    """Write the supergraph the peers serve, composed from the running subgraphs."""
    argv = ["--supergraph", str(out), "--from-urls"]
    argv += [f"{name}={url}" for name, url in subgraph_urls.items()]
    done = run_apollo_composition(argv)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise PeerSetupError(f"compose.mjs failed: {done.stderr[-2000:]}") from None
    if not report.get("ok"):
        raise PeerSetupError(f"composition failed: {json.dumps(report['errors'], indent=2)}")


def peer_versions() -> dict[str, str]:
    """Installed versions of the peers, the load tool and Node itself."""
    versions = {}
    for package in PEER_PACKAGES:
        manifest = PEERS_DIR / "node_modules" / package / "package.json"
        try:
            versions[package] = json.loads(manifest.read_text())["version"]
        except (OSError, KeyError, json.JSONDecodeError):
            versions[package] = "missing"
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
    versions["node"] = node.stdout.strip()
    return versions
