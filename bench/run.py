"""``make bench``: our gateway against @apollo/gateway and Hive Gateway (its JavaScript and its
Rust query planner), on the same subgraphs.

    .venv/bin/python -m bench.run                  # 20,000 people, 3 rounds of 8 s
    .venv/bin/python -m bench.run --scale full     # all of Greater Manchester (2,867,800)

Seed (or reuse) the ``bench_*`` stores → start the eight subgraphs once, and the fixture's
five (``bench/fixture.py``) → compose the peers' supergraphs → start the gateways (civic: ours
with and without governance, Apollo, Hive, Hive on the Rust planner; fixture: each serving the
fixture's supergraph) → same answers on a sample of ids → the Rust planner really loaded →
subgraph requests per operation → interleaved timed rounds per workload → planning times and
plan caches → profile ours under load → write ``bench/results/`` and print the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
DB_PREFIX = "bench_"
FULL_GM = 2_867_800
DEFAULT_PEOPLE = 20_000
ORGANISATION = "bench-mash"
ROLE = "safeguarding_lead"
PURPOSE_HEADERS = {"X-Purpose-Of-Use": "SAFEGUARDING", "X-Case-Reference": "BENCH-2026-0001"}
FIXTURE_GATEWAYS = ("ours-nogov", "apollo", "hive", "hive-rust")  # no governance over it
FIXTURE_GATEWAY_PORT = 110  # the fixture's gateways: base port + 110..113
FIXTURE_SUBGRAPH_PORT = 120  # the fixture's subgraphs: base port + 120..124


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--scale", choices=("default", "full"), default="default")
    parser.add_argument("--people", type=int, help="override the population of the scale")
    parser.add_argument("--reseed", action="store_true", help="seed even if the data is there")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds per timed round")
    parser.add_argument("--warmup", type=int, default=2, help="seconds per gateway and workload")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--ids", type=int, default=200, help="ids per workload in the load")
    parser.add_argument("--check-ids", type=int, default=10, help="ids compared across gateways")
    parser.add_argument("--fan-out-ids", type=int, default=10)
    parser.add_argument("--workloads", default="person,household,deep,homes")
    parser.add_argument("--gateways", default="ours,apollo,hive,hive-rust,ours-nogov")
    parser.add_argument("--profile-seconds", type=int, default=10, help="0: no profile")
    parser.add_argument(
        "--profile-gateway",
        choices=("ours", "ours-nogov"),
        default="ours",
        help="which of our gateways py-spy records (governance on, or off to compare)",
    )
    parser.add_argument("--base-port", type=int, default=4600)
    parser.add_argument(
        "--render",
        metavar="JSON",
        help="only re-render latest.md from a results JSON file of an earlier run",
    )
    parser.add_argument(
        "--candidate",
        metavar="DIR[:DIR]",
        help="also run our gateway (governance on) from another checkout, e.g. a git "
        "worktree holding a change: before and after in the same run (PYTHONPATH=DIR)",
    )
    return parser.parse_args(argv)


def _say(message: str) -> None:
    stamp = datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", flush=True)


def _mesh_command() -> list[str]:
    script = Path(sys.executable).with_name("mesh")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mesh"]


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    os.environ["MESH_DB_PREFIX"] = DB_PREFIX  # before any settings object is built
    from bench.answers import AnswersDiffer
    from bench.load import LoadError
    from bench.peer_setup import PeerSetupError
    from bench.services import ServiceError

    if args.render:
        return _render(Path(args.render))
    try:
        return _run(args)
    except (AnswersDiffer, LoadError, PeerSetupError, ServiceError) as error:
        _say(f"FAILED: {error}")
        return 1


def _run(args: argparse.Namespace) -> int:
    from authz.context_token import ensure_gateway_keys
    from authz.dev_keys import ensure_dev_keys, mint_token
    from bench import dataset, fixture, gateways, peer_setup, report, services
    from bench.answers import check_answers
    from bench.audit_cpu import AuditBackends
    from bench.machine import load_average, machine_facts
    from bench.measure import LoadPlan, interleaved_rounds, subgraph_fan_out, summarise
    from bench.planning import cold_planning_ms, plan_cache_stats
    from bench.subgraphs import start_subgraphs, subgraph_set
    from bench.workloads import workload
    from devtools.topology import port_offsets, ports_in_use
    from store import open_server
    from store.settings import MeshSettings
    from subgraphs.registry import known_subgraphs

    started = time.monotonic()
    people = args.people or (FULL_GM if args.scale == "full" else DEFAULT_PEOPLE)
    chosen = [workload(name) for name in args.workloads.split(",")]
    order = args.gateways.split(",")
    if args.candidate:
        order.append("candidate")
    # gateways above the subgraphs' offsets (devtools.topology: 1..99)
    ports = {
        "ours": 100,
        "ours-nogov": 101,
        "apollo": 102,
        "hive": 103,
        "candidate": 104,
        "hive-rust": 105,
    }
    civic_items = [item for item in chosen if not item.fixture]
    fixture_items = [item for item in chosen if item.fixture]
    fixture_order = [n for n in order if n in FIXTURE_GATEWAYS] if fixture_items else []
    subgraph_ports = [args.base_port + o for o in port_offsets(known_subgraphs()).values()]
    fixture_ports = [args.base_port + FIXTURE_SUBGRAPH_PORT + i for i in range(5)]
    fixture_ports += [args.base_port + FIXTURE_GATEWAY_PORT + i for i in range(4)]
    busy = ports_in_use(
        subgraph_ports + fixture_ports + [args.base_port + ports[name] for name in order]
    )
    if busy:
        raise services.ServiceError(f"ports already in use: {busy}")

    settings = MeshSettings()
    data_dir = settings.data_dir.resolve()
    work_dir = data_dir / "bench-run"
    work_dir.mkdir(parents=True, exist_ok=True)
    load_at_start = load_average()
    _say(f"installing the peers if needed (npm ci in {gateways.PEERS_DIR})")
    peer_setup.install_peers()

    handle = open_server(settings)
    running: list[services.Service] = []
    try:
        _say(f"data: {people:,} people in the {DB_PREFIX}* stores")
        data = dataset.prepare(handle.address, data_dir, people, args.reseed)
        if data.seeded:
            _say(f"seeded in {data.seed_seconds:.1f} s, linked in {data.link_seconds:.1f} s")
        else:
            _say(f"reusing the seeded data ({data.mesh_persons:,} mesh persons)")
        ids = dataset.sample_ids(handle.address, args.ids)
        ids["home"] = fixture.home_ids()[: args.ids]

        _, gateway_jwks = ensure_gateway_keys(data_dir)
        token = mint_token(
            ensure_dev_keys(data_dir), ORGANISATION, [ROLE], subject="bench", ttl=6 * 3600
        )
        headers = {"Authorization": f"Bearer {token}", **PURPOSE_HEADERS}

        subgraphs = subgraph_set(
            _mesh_command(), handle.address, args.base_port, data_dir, gateway_jwks, work_dir
        )
        running += subgraphs.services
        _say(f"starting {len(subgraphs.services)} subgraphs")
        start_subgraphs(subgraphs)
        supergraph = work_dir / "supergraph.graphql"
        peer_setup.compose_supergraph(subgraphs.urls, supergraph)
        fixture_subgraphs = fixture.fixture_set(
            sys.executable, args.base_port + FIXTURE_SUBGRAPH_PORT, work_dir
        )
        fixture_supergraph = work_dir / "fixture-supergraph.graphql"
        if fixture_items:
            running += fixture_subgraphs.services
            _say(f"starting the fixture's {len(fixture_subgraphs.services)} subgraphs")
            fixture.start_fixture(fixture_subgraphs)
            peer_setup.compose_supergraph(fixture_subgraphs.urls, fixture_supergraph)

        env = {"MESH_DATA_DIR": str(data_dir), "MESH_DB_PREFIX": DB_PREFIX}
        factories: dict[str, Any] = {
            "ours": lambda p: gateways.ours(
                _mesh_command(), p, subgraphs.urls, env, work_dir, governance=True
            ),
            "ours-nogov": lambda p: gateways.ours(
                _mesh_command(), p, subgraphs.urls, env, work_dir, governance=False
            ),
            "apollo": lambda p: gateways.apollo(p, supergraph, work_dir),
            "hive": lambda p: gateways.hive(p, supergraph, work_dir),
            "hive-rust": lambda p: gateways.hive(p, supergraph, work_dir, rust=True),
            "candidate": lambda p: gateways.ours(
                _mesh_command(),
                p,
                subgraphs.urls,
                env,
                work_dir,
                governance=True,
                candidate=os.pathsep.join(
                    str(Path(part).resolve()) for part in args.candidate.split(os.pathsep)
                ),
            ),
        }
        fixture_factories: dict[str, Any] = {
            "ours-nogov": lambda p: gateways.ours_router(
                _mesh_command(), p, fixture_supergraph, env, work_dir, "fixture-ours-nogov"
            ),
            "apollo": lambda p: gateways.apollo(
                p, fixture_supergraph, work_dir, log_name="fixture-apollo"
            ),
            "hive": lambda p: gateways.hive(
                p, fixture_supergraph, work_dir, log_name="fixture-hive"
            ),
            "hive-rust": lambda p: gateways.hive(
                p, fixture_supergraph, work_dir, rust=True, log_name="fixture-hive-rust"
            ),
        }
        under_test = (
            [factories[name](args.base_port + ports[name]) for name in order] if civic_items else []
        )
        fixture_under_test = [
            fixture_factories[name](args.base_port + FIXTURE_GATEWAY_PORT + i)
            for i, name in enumerate(fixture_order)
        ]
        every_gateway = [*under_test, *fixture_under_test]
        for gateway in every_gateway:
            gateway.service.start()
            running.append(gateway.service)
        _say(f"starting the gateways: {', '.join(g.service.name for g in every_gateway)}")
        services.wait_ready(
            [g.service for g in every_gateway],
            {g.service.name: g.ready for g in every_gateway},
            120.0,
        )
        facts = {**machine_facts(REPO), "load_average_at_start": load_at_start}

        def group(item: Any) -> list[Any]:
            return fixture_under_test if item.fixture else under_test

        def group_subgraphs(item: Any) -> Any:
            return fixture_subgraphs if item.fixture else subgraphs

        answers = []
        for item in chosen:
            checked = check_answers(
                item,
                ids[item.ids][: args.check_ids],
                {g.name: g.url for g in group(item)},
                headers,
            )
            answers.append(checked.__dict__)
            _say(
                f"same answers: {item.name} on {checked.ids_checked} ids "
                f"({checked.non_null_answers} non-null) across {len(group(item))} gateways"
            )
        rust_planner = {}
        for gateway in every_gateway:
            if gateway.name == "hive-rust":
                rust_planner[gateway.service.name] = gateways.verify_rust_planner(gateway)
                _say(f"{gateway.service.name} plans in Rust: {rust_planner[gateway.service.name]}")

        fan_out = [
            subgraph_fan_out(
                g, item, ids[item.ids][: args.fan_out_ids], group_subgraphs(item), headers
            )
            for item in chosen
            for g in group(item)
        ]
        for f in fan_out:
            _say(f"fan-out: {f.workload:<9} {f.gateway:<10} {f.per_operation:.1f} req/op")

        audit = AuditBackends(handle.address)
        plan = LoadPlan(
            args.connections,
            args.duration,
            args.warmup,
            args.rounds,
            headers,
            work_dir,
            side_cpu={"ours": audit.cpu_seconds, "candidate": audit.cpu_seconds},
            subgraph_pids=[s.pid for s in subgraphs.services],
        )
        fixture_plan = (
            dataclasses.replace(
                plan, side_cpu={}, subgraph_pids=[s.pid for s in fixture_subgraphs.services]
            )
            if fixture_items
            else plan  # no fixture workload chosen: its subgraphs never started
        )
        rounds = []
        for item in chosen:
            rounds += interleaved_rounds(
                group(item), item, ids[item.ids], fixture_plan if item.fixture else plan, _say
            )
        groups: dict[tuple[str, str], list[Any]] = {}
        for r in rounds:
            groups.setdefault((r.workload, r.gateway), []).append(r)
        summaries = [summarise(group) for group in groups.values()]

        ours = next((g for g in under_test if g.name == args.profile_gateway), None)
        if args.profile_seconds and ours is not None and "household" in args.workloads:
            _profile(ours, ids["household"], headers, args, work_dir)

        facts["planning"] = {
            "cold": {
                item.name: cold_planning_ms(
                    fixture_supergraph if item.fixture else supergraph, item
                )
                for item in chosen
            },
            "plan_caches": [
                *plan_cache_stats(under_test, "civic"),
                *plan_cache_stats(fixture_under_test, "fixture"),
            ],
        }
        facts["rust_planner_addon"] = rust_planner
        facts["load_average_at_end"] = load_average()
        facts["versions"] = {"python": facts["python"], **facts["python_packages"]}
        facts["versions"].update(peer_setup.peer_versions())
        results = report.Results(
            facts=facts,
            settings={
                "scale": args.scale,
                "connections": args.connections,
                "duration": args.duration,
                "warmup": args.warmup,
                "rounds": args.rounds,
                "gateways": order,
                "ids": args.ids,
                "check_ids": args.check_ids,
                "fan_out_ids": args.fan_out_ids,
                "candidate": args.candidate,
                "run_seconds": round(time.monotonic() - started, 1),
            },
            dataset=data.__dict__,
            answers=answers,
            summaries=summaries,
            fan_out=fan_out,
            rounds=[r.as_json() for r in rounds],
        )
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        other = report.other_scale(RESULTS_DIR, args.scale)
        latest = report.write(results, RESULTS_DIR, stamp, other)
        print()
        print(latest.read_text())
        _say(f"done in {time.monotonic() - started:.0f} s; results in {RESULTS_DIR}")
        return 0
    finally:
        services.stop_all(running)
        if handle.started_here:
            handle.stop()


def _render(path: Path) -> int:
    import json

    from bench import report

    results = report.Results.from_json(json.loads(path.read_text()))
    other = report.other_scale(RESULTS_DIR, results.settings["scale"])
    text = report.markdown(results, other)
    (RESULTS_DIR / "latest.md").write_text(text)
    print(text)
    return 0


def _profile(
    ours: Any, household_ids: list[str], headers: dict[str, str], args: Any, work_dir: Path
) -> None:
    from bench import profile
    from bench.load import run_load
    from bench.measure import bodies
    from bench.workloads import workload

    if profile.py_spy() is None:
        _say("py-spy is not installed (.venv/bin/pip install py-spy): no profile this run")
        return
    payloads = bodies(workload("household"), household_ids)
    seconds = args.profile_seconds

    def load() -> None:
        run_load(
            ours.url,
            headers,
            payloads,
            args.connections,
            seconds + 2,
            work_dir / "load-profile.json",
        )

    raw = work_dir / "profile.raw"
    governance = "governance off" if args.profile_gateway == "ours-nogov" else "governance on"
    _say(f"profiling ours ({governance}) under household load: 2 x {seconds} s")
    profile.record_under_load(
        ours.service.pid, seconds, RESULTS_DIR / "profile.svg", "flamegraph", load
    )
    profile.record_under_load(ours.service.pid, seconds, raw, "raw", load)
    found = profile.analyse(raw.read_text())
    context = (
        f"py-spy {seconds} s on `mesh gateway serve` ({governance}) while autocannon drove the "
        f"household view at {args.connections} connections; flame graph: `profile.svg`."
    )
    (RESULTS_DIR / "profile.md").write_text(profile.profile_markdown(found, context))


if __name__ == "__main__":
    sys.exit(main())
