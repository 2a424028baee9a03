"""Planning figures: how long our planner takes for each workload's operation when it is new
(cold: no plan cache), and the plan caches of our running gateways (``/stats``)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from statistics import median
from typing import Any

import httpx

from bench.gateways import GatewayUnderTest
from bench.workloads import Workload


def cold_planning_ms(supergraph: Path, item: Workload, repeats: int = 30) -> dict[str, float]:
    """p50 and p90 of planning ``item``'s operation from scratch (parse included), ms."""
    from graphql import parse

    from mesh.federation.plan import plan_operation
    from mesh.federation.supergraph import load_supergraph

    loaded = load_supergraph(supergraph.read_text())
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        plan_operation(loaded, parse(item.query), item.operation)
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    return {
        "p50_ms": round(median(timings), 3),
        "p90_ms": round(timings[int(0.9 * (len(timings) - 1))], 3),
        "repeats": repeats,
    }


def plan_cache_stats(gateways: Sequence[GatewayUnderTest], group: str) -> list[dict[str, Any]]:
    """Each of our gateways' plan cache after the run (hits, misses, planning times)."""
    found = []
    for gateway in gateways:
        if not gateway.ours:
            continue
        base = gateway.url.removesuffix("/graphql")
        try:
            stats = httpx.get(f"{base}/stats", timeout=5).json()["plans"]
        except (httpx.HTTPError, KeyError, ValueError):
            continue
        found.append({"gateway": gateway.name, "serving": group, **stats})
    return found
