"""@apollo/composition (pinned in interop/) run over many subgraph sets in one Node process."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.federation.composition.corpus import Case

INTEROP_DIR = Path(__file__).resolve().parents[3] / "interop"
BATCH_SCRIPT = INTEROP_DIR / "compose-batch.mjs"
NPM_CI_TIMEOUT_SECONDS = 300
BATCH_TIMEOUT_SECONDS = 600


def node_available() -> bool:
    return shutil.which("node") is not None


@functools.cache
def ensure_npm_dependencies() -> None:
    if (INTEROP_DIR / "node_modules" / "@apollo" / "composition").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("node is installed but npm is not; cannot install interop/ deps")
    install = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=INTEROP_DIR,
        capture_output=True,
        text=True,
        timeout=NPM_CI_TIMEOUT_SECONDS,
    )
    if install.returncode != 0:
        raise RuntimeError(f"npm ci in {INTEROP_DIR} failed:\n{install.stderr[-2000:]}")


def compose_with_apollo(cases: Sequence[Case]) -> dict[str, dict[str, Any]]:
    """Apollo's outcome per case name: ok, errors (code, message), hints, supergraph."""
    ensure_npm_dependencies()
    node = shutil.which("node")
    assert node is not None
    run = subprocess.run(
        [node, str(BATCH_SCRIPT)],
        input=json.dumps([case.as_batch_input() for case in cases]),
        capture_output=True,
        text=True,
        timeout=BATCH_TIMEOUT_SECONDS,
        cwd=INTEROP_DIR,
    )
    if run.returncode != 0:
        raise RuntimeError(f"compose-batch.mjs failed:\n{run.stderr[-4000:]}")
    return {result["id"]: result for result in json.loads(run.stdout)}
