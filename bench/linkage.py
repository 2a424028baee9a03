"""``make bench-linkage``: how well and how fast the mesh links, whole and by delta (never in CI).

1. Seed ``--people`` residents into stores of their own (``MESH_DB_PREFIX``-style prefix
   ``--prefix``, default ``bench_link_``) unless they already hold that population;
2. link them whole with ``--method`` (splink by default, training a model when there is none),
   and score the result against the ground truth;
3. change ``--delta`` of every agency's person records (re-confirmed today, the stale ones
   with the current address: agencies catching up with moves), link the delta, score again;
4. print a table and write it, with the load average before and after, to
   ``bench/results/linkage-<people>-<method>-<time>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devtools.seed import seed
from linkage.delta import link_delta
from linkage.evaluate import LinkageScores, evaluate
from linkage.exchange import LinkReport, link_all
from linkage.key import load_linkage_key
from linkage.methods import Method, clusterer_for
from store import ServerAddress, open_server
from store.migrate import migrate_all
from store.server import connect
from store.settings import MeshSettings
from subgraphs.registry import AGENCIES

RESULTS = Path(__file__).resolve().parent / "results"
SCALES = {"20k": 20_000, "200k": 200_000, "full": 2_867_800}
MOVED_ON = "2025-04-01"  # the day after the synthetic extract: newer than every confirmation

_PERSON_TABLES = {
    "health": ("patient", "patient_id"),
    "adult_social_care": ("client", "client_id"),
    "childrens_services": ("child", "child_id"),
    "housing": ("household_member", "member_ref"),
    "police": ("nominal", "nominal_ref"),
    "education": ("pupil", "upn"),
    "welfare": ("claimant", "claimant_id"),
}


async def _population(address: ServerAddress) -> int:
    try:
        conn = await connect(address, "truth")
    except Exception:
        return 0
    try:
        return int(await conn.fetchval("SELECT count(*) FROM truth_person"))
    finally:
        await conn.close()


async def _catch_up(address: ServerAddress, share: float, salt: str) -> int:
    """A delta of ``share`` of every agency's person records: each agency re-confirms them
    today, learning the current address where its copy was stale (from the ground truth, so
    the truth stays true); ``salt`` picks which. Returns how many records changed."""
    truth = await connect(address, "truth")
    changed = 0
    try:
        for agency in AGENCIES:
            table, key = _PERSON_TABLES[agency]
            conn = await connect(address, agency)
            try:
                picked = [
                    r[0]
                    for r in await conn.fetch(
                        f"SELECT {key}::text FROM {table} "
                        f"WHERE (hashtext({key}::text || $2) & 2147483647) % 10000 < $1",
                        int(share * 10_000),
                        salt,
                    )
                ]
                homes = await truth.fetch(
                    "SELECT r.local_id, p.address_line, p.postcode, p.uprn FROM truth_record r "
                    "JOIN truth_person p USING (person_id) "
                    "WHERE r.agency = $1 AND r.local_id = ANY($2::text[])",
                    agency,
                    picked,
                )
                status = await conn.execute(
                    f"UPDATE {table} t SET address_line = h.line, postcode = h.postcode, "
                    f"uprn = h.uprn, address_confirmed_on = DATE '{MOVED_ON}' "
                    "FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) "
                    "AS h (local_id, line, postcode, uprn) "
                    f"WHERE t.{key}::text = h.local_id",
                    [r[0] for r in homes], [r[1] for r in homes],
                    [r[2] for r in homes], [r[3] for r in homes],
                )  # fmt: skip
                changed += int(status.split()[-1])
            finally:
                await conn.close()
    finally:
        await truth.close()
    return changed


def _scores(s: LinkageScores) -> dict[str, Any]:
    return {
        "persons": {"precision": s.precision, "recall": s.recall, "f1": s.f1},
        "households": {
            "precision": s.household_pairs.precision,
            "recall": s.household_pairs.recall,
            "f1": s.household_pairs.f1,
        },
        "person_clusters": asdict(s.person_clusters),
        "household_clusters": asdict(s.household_clusters),
        "records": s.records,
        "unhoused_records": s.unhoused_records,
    }


class CpuClock:
    """CPU seconds spent by this process and its workers, and by the embedded PostgreSQL's
    backends (children of its postmaster, counted when they exit): on a shared machine the
    wall clock says little, the CPU says what an idle 2-core box would need at least."""

    def __init__(self, data_dir: Path) -> None:
        pid_file = data_dir / "pg" / "postmaster.pid"
        self.postmaster = int(pid_file.read_text().split()[0]) if pid_file.exists() else None
        self.start = self.now()

    def now(self) -> tuple[float, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        python = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
        postgres = 0.0
        if self.postmaster is not None:
            try:
                fields = Path(f"/proc/{self.postmaster}/stat").read_text().rsplit(")", 1)[1].split()
                tick = os.sysconf("SC_CLK_TCK")
                postgres = sum(int(fields[i]) for i in (11, 12, 13, 14)) / tick
            except (OSError, ValueError, IndexError):
                postgres = 0.0
        return python, postgres

    def lap(self) -> dict[str, float]:
        now = self.now()
        spent = {"python": now[0] - self.start[0], "postgres": now[1] - self.start[1]}
        self.start = now
        return {k: round(v, 1) for k, v in spent.items()}


def _run(report: LinkReport) -> dict[str, Any]:
    return {
        "records_submitted": report.total_records,
        "persons": report.persons,
        "households": report.households,
        "seconds": round(report.total_seconds, 1),
        "phases": {phase: round(s, 1) for phase, s in report.seconds.items()},
        "side_by_side": {step: round(s, 1) for step, s in report.side_seconds.items()},
        "changed_persons": report.changed_persons,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="20k")
    parser.add_argument("--people", type=int, help="overrides --scale")
    parser.add_argument("--prefix", default="bench_link_")
    parser.add_argument("--method", type=Method, default=Method.SPLINK)
    parser.add_argument("--delta", type=float, default=0.01, help="share of records changed")
    parser.add_argument("--retrain", action="store_true")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument(
        "--delta-only", action="store_true", help="skip the whole run (the stores are linked)"
    )
    args = parser.parse_args()
    people = args.people or SCALES[args.scale]
    settings = MeshSettings(db_prefix=args.prefix)
    address = open_server(settings).address
    key = load_linkage_key(settings.data_dir)
    asyncio.run(migrate_all(address))
    result: dict[str, Any] = {
        "people": people,
        "method": str(args.method),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_start": os.getloadavg(),
        "cpus": os.cpu_count(),
    }
    if args.reseed or asyncio.run(_population(address)) != people:
        started = time.perf_counter()
        asyncio.run(seed(address, people, 1, reset=True))
        result["seed_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"linkage-{people}-{args.method}-{stamp}.json"

    def save() -> None:  # after each step, so a failure keeps what was measured
        out.write_text(json.dumps(result, indent=1) + "\n")

    clusterer = clusterer_for(args.method, settings, key, retrain=args.retrain)
    clock = CpuClock(settings.data_dir)
    if not args.delta_only:
        whole = asyncio.run(link_all(address, key, None, clusterer))
        result["whole_cpu_seconds"] = clock.lap()
        result["whole"] = {**_run(whole), **_scores(asyncio.run(evaluate(address)))}
        result["trained"] = bool(clusterer.parameters().get("trained_now"))
        result["load_average_after_whole"] = os.getloadavg()
        save()
    salt = datetime.now(UTC).isoformat()  # other records each run
    result["delta_changed_records"] = asyncio.run(_catch_up(address, args.delta, salt))
    clusterer = clusterer_for(args.method, settings, key)
    clock.lap()
    changed = asyncio.run(link_delta(address, key, None, clusterer))
    result["delta_cpu_seconds"] = clock.lap()
    result["delta"] = {**_run(changed), **_scores(asyncio.run(evaluate(address)))}
    result["load_average_end"] = os.getloadavg()
    save()
    print(render(result))
    print(f"written to {out}")


def render(r: dict[str, Any]) -> str:
    """One markdown table of a run."""
    lines = [
        f"{r['people']:,} people, {r['method']}, load average {r['load_average_start'][0]:.1f} "
        f"at start, {r['load_average_end'][0]:.1f} at end",
        "",
        "| run | records sent | persons P | persons R | households P | households R | seconds "
        "| CPU s (Python + PostgreSQL) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in ("whole", "delta"):
        if name not in r:
            continue
        x = r[name]
        cpu = r.get(f"{name}_cpu_seconds", {})
        lines.append(
            f"| {name} | {x['records_submitted']:,} | {x['persons']['precision']:.5f} | "
            f"{x['persons']['recall']:.5f} | {x['households']['precision']:.5f} | "
            f"{x['households']['recall']:.5f} | {x['seconds']:.1f} | "
            f"{cpu.get('python', 0):.0f} + {cpu.get('postgres', 0):.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
