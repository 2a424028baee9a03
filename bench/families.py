"""``make bench`` (families): early-help cohort and demand-table timings, through the gateway.

    .venv/bin/python -m bench.families                     # 20,000 people (benchfam_ stores)
    .venv/bin/python -m bench.families --scale full        # all GM: seed once with
        MESH_DB_PREFIX=fam_ mesh seed --people 2867800 --reset && mesh link

Starts the eight subgraphs, builds our gateway (governance on) in this process and times,
as an early-help worker, one cohort query per local authority (minNeeds 3, first 25) round
after round, and, as a planner, the demand table by local authority and household size.
Targets (issue 12): cohort p50 <= 3 s and aggregate <= 10 s at full Greater Manchester.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
FULL_GM = 2_867_800
DEFAULT_PEOPLE = 20_000
COHORT = """
query ($la: String!) { earlyHelpCohort(localAuthority: $la, minNeeds: 3, first: 25) {
  totalCount complete households { household { id } needs { identified } } } }
"""
DEMAND = """
query { demand(groupBy: ["LOCAL_AUTHORITY", "HOUSEHOLD_SIZE"],
               measures: [{minNeeds: 1}, {minNeeds: 3}, {need: "CHILDREN_SAFE"},
                          {minAgencies: 2}]) { complete suppressedCells rows { group } } }
"""


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.families", description=__doc__)
    parser.add_argument("--scale", choices=("default", "full"), default="default")
    parser.add_argument("--prefix", help="database prefix (default benchfam_, full: fam_)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over the ten authorities")
    parser.add_argument("--aggregates", type=int, default=3, help="demand tables timed")
    parser.add_argument("--base-port", type=int, default=19700)
    return parser.parse_args(argv)


def _say(message: str) -> None:
    print(f"[families] {message}", flush=True)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    prefix = args.prefix or ("fam_" if args.scale == "full" else "benchfam_")
    os.environ["MESH_DB_PREFIX"] = prefix
    return asyncio.run(_run(args, prefix))


async def _run(args: argparse.Namespace, prefix: str) -> int:
    from authz.access import Caller
    from authz.context_token import ensure_gateway_keys
    from authz.dev_keys import dev_verifier
    from authz.model import Principal
    from bench import dataset
    from bench.machine import load_average
    from bench.run import _mesh_command
    from bench.services import stop_all
    from bench.subgraphs import start_subgraphs, subgraph_set
    from mesh.gateway import GatewaySettings
    from mesh.gateway.serve import build_gateway
    from store import open_server
    from store.settings import MeshSettings
    from subgraphs.kit.needs.geography import LOCAL_AUTHORITIES

    settings = MeshSettings()
    data_dir = settings.data_dir.resolve()
    work_dir = data_dir / "bench-families"
    work_dir.mkdir(parents=True, exist_ok=True)
    address = open_server(settings).address
    people = FULL_GM if args.scale == "full" else DEFAULT_PEOPLE
    if args.scale == "default":
        await asyncio.to_thread(dataset.prepare, address, data_dir, people, False)
    evaluated = await _evaluated(address)
    if not evaluated:
        _say(
            f"no needs indicators in the {prefix}* stores: seed and link them first "
            f"(MESH_DB_PREFIX={prefix} mesh seed --people {people} --reset && "
            f"MESH_DB_PREFIX={prefix} mesh link)"
        )
        return 1
    _, jwks = ensure_gateway_keys(data_dir)
    subgraphs = subgraph_set(_mesh_command(), address, args.base_port, data_dir, jwks, work_dir)
    load_at_start = load_average()
    try:
        start_subgraphs(subgraphs)
        gateway = await build_gateway(
            GatewaySettings(
                subgraphs=subgraphs.urls, audit_dsn=address.dsn("governance"), timeout=120.0
            ),
            attempts=5,
            mesh_settings=settings,
            verifier=dev_verifier(data_dir),
        )
        early_help = Caller(Principal("bench-ehw", "bench-council", ("early_help_worker",)),
                            "EARLY_HELP")  # fmt: skip
        planner = Caller(Principal("bench-analyst", "QOP", ("analyst",)), "PLANNING")
        try:
            cohort_ms, totals = [], {}
            for _ in range(args.rounds):
                for authority in LOCAL_AUTHORITIES:
                    ms, body = await _timed(gateway, early_help, COHORT, {"la": authority})
                    cohort_ms.append(ms)
                    totals[authority] = body["data"]["earlyHelpCohort"]["totalCount"]
            demand_ms = []
            for _ in range(args.aggregates):
                ms, body = await _timed(gateway, planner, DEMAND, {})
                demand_ms.append(ms)
                suppressed = body["data"]["demand"]["suppressedCells"]
        finally:
            await gateway.aclose()
    finally:
        stop_all(list(subgraphs.services))
    result: dict[str, Any] = {
        "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "scale": args.scale,
        "people": people,
        "prefix": prefix,
        "load_average": {"start": load_at_start, "end": load_average()},
        "cohort_ms": {"p50": _p(cohort_ms, 50), "p95": _p(cohort_ms, 95), "n": len(cohort_ms)},
        "cohort_totals": totals,
        "demand_ms": {"p50": _p(demand_ms, 50), "max": max(demand_ms), "n": len(demand_ms)},
        "demand_suppressed_cells": suppressed,
        "indicators": evaluated,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"{stamp}-families-{args.scale}.json").write_text(json.dumps(result, indent=2))
    (RESULTS_DIR / f"latest-families-{args.scale}.json").write_text(json.dumps(result, indent=2))
    _say(
        f"{people:,} people: cohort p50 {result['cohort_ms']['p50']:.0f} ms, "
        f"p95 {result['cohort_ms']['p95']:.0f} ms ({len(cohort_ms)} queries; target p50 <= 3000 "
        f"at full GM); demand p50 {result['demand_ms']['p50']:.0f} ms, max "
        f"{result['demand_ms']['max']:.0f} ms (target <= 10000); load average "
        f"{load_at_start} -> {result['load_average']['end']}"
    )
    return 0


async def _timed(
    gateway: Any, caller: Any, query: str, variables: dict[str, Any]
) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = await gateway.execute(query, variables, caller=caller)
    elapsed = (time.perf_counter() - started) * 1000
    body: dict[str, Any] = response.body
    if body.get("errors"):
        raise RuntimeError(f"the query failed: {body['errors'][:2]}")
    return elapsed, body


def _p(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[percent - 1]


async def _evaluated(address: Any) -> dict[str, int]:
    from store.dsn import StoreUnreachable
    from store.server import connect
    from subgraphs.kit.needs.catalogue import all_catalogues

    found = {}
    for agency in all_catalogues():
        try:
            conn = await connect(address, agency)
        except StoreUnreachable:
            return {}  # the stores were never seeded: the caller says what to run
        try:
            row = await conn.fetchrow("SELECT indicators FROM mesh_needs_evaluation")
        finally:
            await conn.close()
        if row is None:
            return {}
        found[agency] = int(row["indicators"])
    return found


if __name__ == "__main__":
    sys.exit(main())
