"""The Node side: install the peers from the committed lockfile, compose their supergraph.

Composition uses ``interop/compose.mjs`` (``@apollo/composition``, the reference
implementation) over the running subgraphs' ``_service { sdl }``, so both peers serve exactly
what a federation team would build with Apollo's tools.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from bench.gateways import PEERS_DIR

REPO = PEERS_DIR.parent.parent
INTEROP_DIR = REPO / "interop"
PEER_PACKAGES = ("@apollo/gateway", "@apollo/server", "@graphql-hive/gateway", "autocannon")


class PeerSetupError(RuntimeError):
    """Node or npm is missing, an install failed, or composition failed."""


def _npm_ci(directory: Path) -> None:
    if (directory / "node_modules").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise PeerSetupError("npm is not on PATH: install Node.js >= 20 with npm")
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise PeerSetupError(f"npm ci in {directory} failed:\n{done.stderr[-2000:]}")


def install_peers() -> None:
    """``npm ci`` in ``bench/peers`` and ``interop`` when their node_modules is missing."""
    if shutil.which("node") is None:
        raise PeerSetupError("node is not on PATH: install Node.js >= 20")
    _npm_ci(PEERS_DIR)
    _npm_ci(INTEROP_DIR)


def compose_supergraph(subgraph_urls: dict[str, str], out: Path) -> None:
    """Write the supergraph the peers serve, composed from the running subgraphs."""
    argv = ["node", str(INTEROP_DIR / "compose.mjs"), "--supergraph", str(out), "--from-urls"]
    argv += [f"{name}={url}" for name, url in subgraph_urls.items()]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
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
