"""The results: one JSON document and a Markdown report (tables, ratios, targets)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.measure import FanOut, Summary
from bench.workloads import WORKLOADS

OURS, OURS_NOGOV, APOLLO, HIVE = "ours", "ours-nogov", "apollo", "hive"
HIVE_RUST, CANDIDATE = "hive-rust", "candidate"
TITLES = {
    OURS: "ours (governance on)",
    OURS_NOGOV: "ours (governance off)",
    APOLLO: "@apollo/gateway",
    HIVE: "Hive Gateway",
    HIVE_RUST: "Hive Gateway (Rust planner)",
    CANDIDATE: "candidate (governance on)",
}
PEERS = (APOLLO, HIVE, HIVE_RUST)
PREVIOUS_HOUSEHOLD_CPU_MS = 4.3  # ours (governance on), the last run before this one


@dataclass(frozen=True)
class Results:
    facts: dict[str, Any]
    settings: dict[str, Any]
    dataset: dict[str, Any]
    answers: list[dict[str, Any]]
    summaries: list[Summary]
    fan_out: list[FanOut]
    rounds: list[dict[str, Any]]

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Results:
        """Results written by an earlier run (for re-rendering its Markdown)."""
        return cls(
            facts=dict(document["facts"]),
            settings=dict(document["settings"]),
            dataset=dict(document["dataset"]),
            answers=list(document["answers"]),
            summaries=[
                Summary(**{"subgraph_cpu_ms_per_request": 0.0, **s}) for s in document["summaries"]
            ],
            fan_out=[FanOut(**f) for f in document["fan_out"]],
            rounds=list(document["rounds"]),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "facts": self.facts,
            "settings": self.settings,
            "dataset": self.dataset,
            "answers": self.answers,
            "summaries": [asdict(s) for s in self.summaries],
            "fan_out": [asdict(f) for f in self.fan_out],
            "rounds": self.rounds,
        }


def _find(summaries: Sequence[Summary], workload: str, gateway: str) -> Summary | None:
    return next((s for s in summaries if s.workload == workload and s.gateway == gateway), None)


def _fan(fan_out: Sequence[FanOut], workload: str, gateway: str) -> FanOut | None:
    return next((f for f in fan_out if f.workload == workload and f.gateway == gateway), None)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def results_table(results: Results) -> list[str]:
    lines = [
        "| workload | gateway | req/s | p50 ms | p99 ms | CPU-ms/req | peak RSS MiB "
        "| subgraph req/op | subgraphs' CPU-ms/req | failed |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for item in WORKLOADS:
        for s in (s for s in results.summaries if s.workload == item.name):
            fan = _fan(results.fan_out, s.workload, s.gateway)
            per_op = f"{fan.per_operation:.1f}" if fan else "-"
            lines.append(
                f"| {item.title} | {TITLES.get(s.gateway, s.gateway)} | {s.rps:.1f} "
                f"| {s.p50_ms:.1f} | {s.p99_ms:.1f} | {s.cpu_ms_per_request:.2f} "
                f"| {s.peak_rss_mib:.0f} | {per_op} | {s.subgraph_cpu_ms_per_request:.1f} "
                f"| {s.failed_requests} |"
            )
    return lines


def ratio_table(summaries: Sequence[Summary]) -> list[str]:
    lines = [
        "| workload | ours vs | req/s | p50 | p99 | CPU-ms/req | peak RSS |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for item in WORKLOADS:
        for ours_name in (OURS, OURS_NOGOV, CANDIDATE):
            ours = _find(summaries, item.name, ours_name)
            if ours is None:
                continue
            for peer in (*PEERS, OURS) if ours_name == CANDIDATE else PEERS:
                other = _find(summaries, item.name, peer)
                if other is None:
                    continue
                lines.append(
                    f"| {item.title} | {TITLES[ours_name]} / {TITLES[peer]} "
                    f"| {_ratio(ours.rps, other.rps)} | {_ratio(ours.p50_ms, other.p50_ms)} "
                    f"| {_ratio(ours.p99_ms, other.p99_ms)} "
                    f"| {_ratio(ours.cpu_ms_per_request, other.cpu_ms_per_request)} "
                    f"| {_ratio(ours.peak_rss_mib, other.peak_rss_mib)} |"
                )
    return lines


def governance_table(summaries: Sequence[Summary]) -> list[str]:
    lines = [
        "| workload | req/s on / off | p50 on - off (ms) | gateway CPU-ms/req on - off "
        "| audit DB CPU-ms/req | subgraphs' CPU-ms/req on - off |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for item in WORKLOADS:
        on, off = _find(summaries, item.name, OURS), _find(summaries, item.name, OURS_NOGOV)
        if on and off:
            lines.append(
                f"| {item.title} | {_ratio(on.rps, off.rps)} | {on.p50_ms - off.p50_ms:+.1f} "
                f"| {on.cpu_ms_per_request - off.cpu_ms_per_request:+.2f} "
                f"| {on.audit_cpu_ms_per_request:.2f} "
                f"| {on.subgraph_cpu_ms_per_request - off.subgraph_cpu_ms_per_request:+.1f} |"
            )
    return lines


def fan_out_table(fan_out: Sequence[FanOut]) -> list[str]:
    subgraphs = sorted({name for f in fan_out for name in f.per_subgraph})
    lines = [
        "| workload | gateway | total | " + " | ".join(subgraphs) + " |",
        "|---|---|---:|" + "---:|" * len(subgraphs),
    ]
    for f in fan_out:
        cells = " | ".join(f"{f.per_subgraph.get(n, 0):.1f}" for n in subgraphs)
        lines.append(
            f"| {f.workload} | {TITLES.get(f.gateway, f.gateway)} | {f.per_operation:.1f} "
            f"| {cells} |"
        )
    return lines


def planning_lines(facts: Mapping[str, Any]) -> list[str]:
    planning = facts.get("planning")
    if not planning:
        return ["(not measured in this run)"]
    lines = [
        "Planning a new operation (ours, no plan cache; parse included), per workload:",
        "",
        "| workload | p50 ms | p90 ms | plans timed |",
        "|---|---:|---:|---:|",
    ]
    for name, cold in planning["cold"].items():
        lines.append(
            f"| {name} | {cold['p50_ms']:.2f} | {cold['p90_ms']:.2f} | {cold['repeats']} |"
        )
    lines += [
        "",
        "Plan caches of our gateways at the end of the run (every request of every round):",
        "",
        "| gateway | serving | hits | misses | hit rate | plans cached | planning p50 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for c in planning["plan_caches"]:
        rate = f"{c['hit_rate'] * 100:.3f} %" if c["hit_rate"] is not None else "-"
        p50 = c["planning_ms"]["p50"]
        lines.append(
            f"| {TITLES.get(c['gateway'], c['gateway'])} | {c['serving']} | {c['hits']:,} "
            f"| {c['misses']:,} | {rate} | {c['cached_plans']} "
            f"| {p50 if p50 is not None else '-'} |"
        )
    addons = facts.get("rust_planner_addon") or {}
    if addons:
        lines += [
            "",
            "Hive Gateway's Rust planner checked in every `hive-rust` process: the log says "
            '"Using Hive Router Runtime" and the native addon is mapped: '
            + ", ".join(f"{k}: `{Path(v).name}`" for k, v in addons.items()),
        ]
    return lines


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _cpu_ratio_line(ours: Summary, peer: Summary, label: str, bound: float) -> str:
    ratio = ours.cpu_ms_per_request / peer.cpu_ms_per_request
    return (
        f"- Gateway CPU-ms per household query {label}: {ours.cpu_ms_per_request:.2f} vs "
        f"{peer.cpu_ms_per_request:.2f} ({ratio:.2f}x) — {_verdict(ratio <= bound)}"
    )


def targets(results: Results, other_scale: Mapping[str, Any] | None) -> list[str]:
    found = []
    ours = _find(results.summaries, "household", OURS)
    apollo = _find(results.summaries, "household", APOLLO)
    hive = _find(results.summaries, "household", HIVE)
    hive_rust = _find(results.summaries, "household", HIVE_RUST)
    if ours:
        found.append(
            f"- Gateway CPU-ms per household query no more than the last run's "
            f"{PREVIOUS_HOUSEHOLD_CPU_MS}: {ours.cpu_ms_per_request:.2f} — "
            f"{_verdict(ours.cpu_ms_per_request <= PREVIOUS_HOUSEHOLD_CPU_MS)}"
        )
    for peer, label, bound in (
        (hive_rust, "≤ Hive Gateway on the Rust planner's", 1.0),
        (apollo, "≤ 0.5 x @apollo/gateway's", 0.5),
    ):
        if ours and peer:
            found.append(_cpu_ratio_line(ours, peer, label, bound))
    if ours and hive:
        ratio = ours.rps / hive.rps
        found.append(
            f"- Household throughput ≥ Hive Gateway's: {ours.rps:.1f} vs {hive.rps:.1f} req/s "
            f"({ratio:.2f}x) — {_verdict(ratio >= 1.0)}"
        )
    our_fan = [f for f in results.fan_out if f.gateway == OURS]
    if our_fan:
        parts = ", ".join(
            f"{f.workload} {f.per_operation:.1f} (max {max(f.per_subgraph.values()):.1f} "
            f"per subgraph)"
            for f in our_fan
            if f.per_subgraph
        )
        found.append(
            "- One subgraph request per subgraph per entity level (ours, per operation): "
            + parts
            + " — see the fan-out table"
        )
    if other_scale:
        found.extend(_scale_lines(results, other_scale))
    else:
        found.append(
            "- p50 at full GM within 1.2 x p50 at 20,000: needs a run at each scale "
            "(`make bench` and `make bench SCALE=full`); the later run reports it"
        )
    return found


def _scale_lines(results: Results, other: Mapping[str, Any]) -> list[str]:
    small, large = (
        (other, results.as_json())
        if results.settings["scale"] == "full"
        else (results.as_json(), other)
    )
    lines = []
    for workload in ("person", "household"):
        a = next(
            (s for s in small["summaries"] if s["workload"] == workload and s["gateway"] == OURS),
            None,
        )
        b = next(
            (s for s in large["summaries"] if s["workload"] == workload and s["gateway"] == OURS),
            None,
        )
        if a and b and a["p50_ms"]:
            ratio = b["p50_ms"] / a["p50_ms"]
            lines.append(
                f"- {workload} view p50, full GM ({large['dataset']['people']:,} people, "
                f"{large['facts']['date']}) vs {small['dataset']['people']:,} "
                f"({small['facts']['date']}): {b['p50_ms']:.1f} vs {a['p50_ms']:.1f} ms "
                f"({ratio:.2f}x) — {_verdict(ratio <= 1.2)}"
            )
    return lines


def _data_words(ds: Mapping[str, Any]) -> str:
    if ds["link_seconds"] is None:
        return f"reused from an earlier seed ({ds['mesh_persons']:,} mesh persons in the index)"
    seeded = (
        f"seeded in {ds['seed_seconds']:.1f} s and "
        if ds["seeded"]
        else "residents reused from an earlier seed, "
    )
    return (
        f"{seeded}linked in {ds['link_seconds']:.1f} s ({ds['linked_records']:,} agency "
        f"records → {ds['mesh_persons']:,} mesh persons, {ds['households']:,} households)"
    )


def markdown(results: Results, other_scale: Mapping[str, Any] | None = None) -> str:
    f, st, ds = results.facts, results.settings, results.dataset
    versions = ", ".join(f"{k} {v}" for k, v in f["versions"].items())
    data_line = f"{ds['people']:,} people ({st['scale']} scale), " + _data_words(ds)
    lines = [
        f"# Gateway benchmark — {f['date']}",
        "",
        f"- Machine: {f['nproc']} CPUs ({f['cpu']}), {f['ram_gib']} GiB RAM, Linux "
        f"{f['kernel']}; load average at start {f['load_average_at_start']}, "
        f"at end {f['load_average_at_end']}",
        f"- Versions: {versions}; commit {f['commit']}",
        f"- Data: {data_line}",
        f"- Load: autocannon, {st['connections']} connections, {st['duration']} s per round "
        f"after a {st['warmup']} s warm-up, {st['rounds']} interleaved rounds "
        f"({', '.join(st['gateways'])}, repeated); figures are medians over rounds",
        *(
            [f"- Candidate: our gateway from `{st['candidate']}` (governance on)"]
            if st.get("candidate")
            else []
        ),
        f"- Ids: {st['ids']} per workload, the same sequence for every gateway; same answers "
        f"checked on {st['check_ids']} ids per workload before timing (all identical)",
        "",
        *results_table(results),
        "",
        "CPU-ms/req is the gateway process's own user+system CPU (from /proc) over the round, "
        "divided by the requests it served; peak RSS is its VmHWM during the round; "
        "subgraph req/op is counted at the subgraphs, one operation at a time; subgraphs' "
        "CPU-ms/req is the eight subgraph processes' CPU over the round per request served "
        "(on 2 cores they, not the gateways, bound throughput). The home costs workload runs "
        "on the fixture's five subgraphs (`bench/fixture.py`), every gateway serving the same "
        "supergraph of them; ours serves it as a plain router (no governance applies).",
        "",
        "## Ratios (ours / peer)",
        "",
        *ratio_table(results.summaries),
        "",
        "## Cost of governance (ours, on vs off)",
        "",
        *governance_table(results.summaries),
        "",
        "Audit DB CPU-ms/req is the PostgreSQL backends' own CPU appending the hash-chained "
        "audit records (durable: each append waits for its WAL flush); it is not in the "
        "gateway's CPU-ms/req above. The subgraphs' difference includes their verifying the "
        "signed context on every request (about 7 % of a subgraph's busy time when profiled) "
        "and noise: the subgraphs are shared and busy.",
        "",
        "## Subgraph requests per operation",
        "",
        *fan_out_table(results.fan_out),
        "",
        "## Planning",
        "",
        *planning_lines(results.facts),
        "",
        "## Targets",
        "",
        *targets(results, other_scale),
        "",
    ]
    return "\n".join(lines)


def write(results: Results, out_dir: Path, stamp: str, other: Mapping[str, Any] | None) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    scale = results.settings["scale"]
    document = json.dumps(results.as_json(), indent=2)
    (out_dir / f"{stamp}-{scale}.json").write_text(document + "\n")
    (out_dir / f"latest-{scale}.json").write_text(document + "\n")
    text = markdown(results, other)
    (out_dir / f"{stamp}-{scale}.md").write_text(text)
    latest = out_dir / "latest.md"
    latest.write_text(text)
    return latest


def other_scale(out_dir: Path, scale: str) -> dict[str, Any] | None:
    """The latest results at the other scale, for the 20,000 vs full GM comparison."""
    path = out_dir / f"latest-{'full' if scale == 'default' else 'default'}.json"
    try:
        loaded: dict[str, Any] = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return None
    return loaded
