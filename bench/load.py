"""One load round: autocannon (``peers/load.mjs``) at fixed concurrency for a fixed time."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.gateways import PEERS_DIR


class LoadError(RuntimeError):
    """The load tool failed or returned something that is not its JSON result."""


@dataclass(frozen=True)
class LoadResult:
    requests: int  # responses received in the timed window
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    non2xx: int
    errors: int  # connection errors and timeouts
    graphql_errors: int
    first_error: str | None


def run_load(
    url: str,
    headers: Mapping[str, str],
    bodies: Sequence[str],
    connections: int,
    duration: int,
    config_path: Path,
) -> LoadResult:
    config = {
        "url": url,
        "headers": dict(headers),
        "bodies": list(bodies),
        "connections": connections,
        "duration": duration,
    }
    config_path.write_text(json.dumps(config))
    done = subprocess.run(
        ["node", str(PEERS_DIR / "load.mjs"), str(config_path)],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=False,
    )
    if done.returncode != 0:
        raise LoadError(f"autocannon failed ({done.returncode}): {done.stderr[-2000:]}")
    try:
        raw: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise LoadError(f"autocannon printed no JSON: {done.stdout[-500:]}") from None
    seconds = float(raw["duration"])
    total = int(raw["requests"]["total"])
    return LoadResult(
        requests=total,
        seconds=seconds,
        rps=total / seconds if seconds else 0.0,
        p50_ms=float(raw["latency"]["p50"]),
        p99_ms=float(raw["latency"]["p99"]),
        non2xx=int(raw["non2xx"]),
        errors=int(raw["errors"]) + int(raw["timeouts"]),
        graphql_errors=int(raw["graphqlErrors"]),
        first_error=raw.get("firstError"),
    )
