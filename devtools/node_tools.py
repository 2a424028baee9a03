"""Node.js tooling the project drives from Python: ``npm ci`` of a pinned folder and Apollo's
reference composition (interop/compose.mjs), shared by the interop tests and the benchmark."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INTEROP_DIR = ROOT / "interop"
COMPOSE_SCRIPT = INTEROP_DIR / "compose.mjs"


class NodeToolError(RuntimeError):
    """Node or npm is missing, or an install failed."""


def node_available() -> bool:
    return shutil.which("node") is not None and shutil.which("npm") is not None


def npm_ci(directory: Path, *, marker: str = "", timeout: float = 600) -> None:
    """Install a folder's pinned npm dependencies (package-lock.json) unless already there;
    ``marker`` names a path under node_modules that proves the install."""
    if (directory / "node_modules" / marker).exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise NodeToolError("npm is not on PATH: install Node.js >= 20 with npm")
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise NodeToolError(f"npm ci in {directory} failed:\n{done.stderr[-2000:]}")


def run_apollo_composition(
    args: Sequence[str], *, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``node interop/compose.mjs ARGS`` (its JSON report on stdout; exit 0/1/2/3)."""
    node = shutil.which("node")
    if node is None:
        raise NodeToolError("node is not on PATH: install Node.js >= 20")
    npm_ci(INTEROP_DIR, marker="@apollo/composition")
    return subprocess.run(
        [node, str(COMPOSE_SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
