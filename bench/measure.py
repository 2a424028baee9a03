"""Interleaved rounds (A B C D, A B C D, …) and the per-operation subgraph fan-out.

Around each round the gateway's own CPU time (its process tree, from ``/proc``) is read, and
its peak RSS is reset before and read after, so every figure belongs to that gateway and that
round only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from statistics import median
from typing import Any

import httpx

from bench import proc
from bench.gateways import GatewayUnderTest
from bench.load import LoadResult, run_load
from bench.subgraphs import SubgraphSet
from bench.workloads import Workload, request_body

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Round:
    workload: str
    gateway: str
    index: int
    load: LoadResult
    cpu_seconds: float
    peak_rss_mib: float
    audit_cpu_seconds: float = 0.0  # the audit log's database backends (ours, governance on)
    subgraph_cpu_seconds: float = 0.0  # the eight subgraph processes together

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds * 1000 / self.load.requests if self.load.requests else 0.0

    @property
    def audit_cpu_ms_per_request(self) -> float:
        return self.audit_cpu_seconds * 1000 / self.load.requests if self.load.requests else 0.0

    @property
    def subgraph_cpu_ms_per_request(self) -> float:
        return self.subgraph_cpu_seconds * 1000 / self.load.requests if self.load.requests else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "workload": self.workload,
            "gateway": self.gateway,
            "round": self.index,
            **asdict(self.load),
            "cpu_seconds": self.cpu_seconds,
            "cpu_ms_per_request": self.cpu_ms_per_request,
            "peak_rss_mib": self.peak_rss_mib,
            "audit_cpu_seconds": self.audit_cpu_seconds,
            "audit_cpu_ms_per_request": self.audit_cpu_ms_per_request,
            "subgraph_cpu_seconds": self.subgraph_cpu_seconds,
            "subgraph_cpu_ms_per_request": self.subgraph_cpu_ms_per_request,
        }


@dataclass(frozen=True)
class Summary:
    """Medians over the rounds of one gateway on one workload."""

    workload: str
    gateway: str
    rounds: int
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_request: float
    peak_rss_mib: float
    audit_cpu_ms_per_request: float
    subgraph_cpu_ms_per_request: float
    failed_requests: int  # non-2xx, connection errors, GraphQL errors: over all rounds


def summarise(rounds: Sequence[Round]) -> Summary:
    first = rounds[0]
    return Summary(
        workload=first.workload,
        gateway=first.gateway,
        rounds=len(rounds),
        rps=median(r.load.rps for r in rounds),
        p50_ms=median(r.load.p50_ms for r in rounds),
        p99_ms=median(r.load.p99_ms for r in rounds),
        cpu_ms_per_request=median(r.cpu_ms_per_request for r in rounds),
        peak_rss_mib=median(r.peak_rss_mib for r in rounds),
        audit_cpu_ms_per_request=median(r.audit_cpu_ms_per_request for r in rounds),
        subgraph_cpu_ms_per_request=median(r.subgraph_cpu_ms_per_request for r in rounds),
        failed_requests=sum(r.load.non2xx + r.load.errors + r.load.graphql_errors for r in rounds),
    )


@dataclass(frozen=True)
class LoadPlan:
    connections: int
    duration: int
    warmup: int
    rounds: int
    headers: Mapping[str, str]
    work_dir: Path
    side_cpu: Mapping[str, Callable[[], float]]  # gateway name → CPU it causes elsewhere (s)
    subgraph_pids: Sequence[int] = ()


def bodies(item: Workload, ids: Sequence[str]) -> list[str]:
    import json

    return [json.dumps(request_body(item, entity_id)) for entity_id in ids]


def one_round(
    gateway: GatewayUnderTest, item: Workload, payloads: Sequence[str], plan: LoadPlan, index: int
) -> Round:
    gateway.service.check_alive()
    pid = gateway.service.pid
    side = plan.side_cpu.get(gateway.name)
    proc.reset_peak(pid)
    side_before = side() if side else 0.0
    subgraphs_before = sum(proc.cpu(p).seconds for p in plan.subgraph_pids)
    before = proc.cpu(pid)
    load = run_load(
        gateway.url,
        plan.headers,
        payloads,
        plan.connections,
        plan.duration,
        plan.work_dir / f"load-{gateway.name}.json",
    )
    after = proc.cpu(pid)
    subgraphs_after = sum(proc.cpu(p).seconds for p in plan.subgraph_pids)
    side_after = side() if side else 0.0
    return Round(
        item.name,
        gateway.name,
        index,
        load,
        after.seconds - before.seconds,
        proc.peak_rss_mib(pid),
        side_after - side_before,
        subgraphs_after - subgraphs_before,
    )


def interleaved_rounds(
    gateways: Sequence[GatewayUnderTest],
    item: Workload,
    ids: Sequence[str],
    plan: LoadPlan,
    progress: Progress,
) -> list[Round]:
    payloads = bodies(item, ids)
    for gateway in gateways:
        if plan.warmup:
            run_load(
                gateway.url,
                plan.headers,
                payloads,
                plan.connections,
                plan.warmup,
                plan.work_dir / f"load-{gateway.name}.json",
            )
    results = []
    for index in range(plan.rounds):
        for gateway in gateways:
            found = one_round(gateway, item, payloads, plan, index)
            results.append(found)
            progress(
                f"{item.name:<9} round {index + 1}/{plan.rounds} {gateway.name:<10} "
                f"{found.load.rps:7.1f} req/s  p50 {found.load.p50_ms:6.1f} ms  "
                f"p99 {found.load.p99_ms:6.1f} ms  {found.cpu_ms_per_request:6.2f} CPU-ms/req"
            )
    return results


@dataclass(frozen=True)
class FanOut:
    """Subgraph requests per operation, counted one operation at a time."""

    workload: str
    gateway: str
    operations: int
    per_operation: float
    per_subgraph: dict[str, float]


def subgraph_fan_out(
    gateway: GatewayUnderTest,
    item: Workload,
    ids: Sequence[str],
    subgraphs: SubgraphSet,
    headers: Mapping[str, str],
) -> FanOut:
    offsets = subgraphs.log_offsets()
    with httpx.Client(timeout=30.0, headers=dict(headers)) as client:
        for entity_id in ids:
            client.post(gateway.url, json=request_body(item, entity_id)).raise_for_status()
    time.sleep(0.3)  # let the last log lines reach the files
    counts = subgraphs.requests_since(offsets)
    n = max(len(ids), 1)
    return FanOut(
        item.name,
        gateway.name,
        len(ids),
        sum(counts.values()) / n,
        {name.removeprefix("subgraph-"): c / n for name, c in counts.items() if c},
    )
