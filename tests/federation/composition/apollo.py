"""@apollo/composition (pinned in interop/) run over many subgraph sets in one Node process."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from typing import Any

from devtools.node_tools import INTEROP_DIR, npm_ci
from tests.federation.composition.corpus import Case

BATCH_SCRIPT = INTEROP_DIR / "compose-batch.mjs"
BATCH_TIMEOUT_SECONDS = 600


def compose_with_apollo(cases: Sequence[Case]) -> dict[str, dict[str, Any]]:
    """Apollo's outcome per case name: ok, errors (code, message), hints, supergraph."""
    npm_ci(INTEROP_DIR, marker="@apollo/composition")
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
