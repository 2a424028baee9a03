"""``mesh link``: the whole pseudonymous linkage exchange, agencies and index in turn.

1. Each agency reads its ``mesh_identity`` view and computes, with the linkage key, opaque record
   references and keyed hash tokens (:mod:`linkage.agency_side.tokens`).
2. The index clusters the tokens into mesh persons and households
   (:mod:`linkage.index_side.clustering`) and stores the run (:mod:`linkage.index_side.store`),
   keeping mesh ids stable. It never receives the key, a name, a date or a local id.
3. Each agency maps the answer back to its own records and rewrites its ``mesh_crosswalk``
   (:mod:`linkage.agency_side.crosswalk`).

Here the three roles run in one process for the demo; the boundary between them is the data
passed: submissions go one way, pseudonymous answers the other.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from linkage.agency_side.crosswalk import CrosswalkReport, household_records_sql, write_crosswalk
from linkage.agency_side.households import (
    index_household_members,
    refresh_needs,
    write_household_members,
)
from linkage.agency_side.opt_out import opted_out_refs
from linkage.agency_side.tokens import TOKEN_KINDS, agency_submissions
from linkage.index_side.clustering import Clusterer, ClusterStats, DeterministicClusterer, RecordSet
from linkage.index_side.opt_out import OptOutReports, person_opt_out
from linkage.index_side.store import store_run
from store.dsn import ServerAddress
from store.server import connect
from subgraphs.registry import AGENCIES, INDEX

Progress = Callable[[str, int], None]
"""Called with (phase or agency, records just handled)."""

PHASES = ("tokens", "cluster", "store", "crosswalk")


@dataclass
class LinkReport:
    """What one ``mesh link`` did, for the console and for tests."""

    run_id: int = 0
    method: str = ""
    records: dict[str, int] = field(default_factory=dict)  # per agency
    persons: int = 0
    households: int = 0
    kept_person_ids: int = 0
    kept_household_ids: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per phase
    stats: ClusterStats = field(default_factory=ClusterStats)
    crosswalks: dict[str, CrosswalkReport] = field(default_factory=dict)

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    @property
    def blocks_skipped(self) -> int:
        return self.stats.blocks_skipped

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


class LinkInProgress(RuntimeError):
    """Another ``mesh link`` holds the linkage lock on this deployment's index."""


# Held (on the index database) for the whole exchange, so two runs never interleave crosswalks.
_LOCK = "SELECT pg_try_advisory_lock(hashtext('civic-mesh:link'))"


async def link_all(
    address: ServerAddress,
    key: bytes,
    progress: Progress | None = None,
    clusterer: Clusterer | None = None,
    *,
    keep_tokens: bool = True,
) -> LinkReport:
    """Run the exchange over every agency; replaces the index's linkage and every crosswalk.

    If it fails after the index is stored, some crosswalks may still be the previous run's:
    running it again puts everything right (mesh ids are kept).
    """
    clusterer = clusterer or DeterministicClusterer()
    report = LinkReport(method=clusterer.method)
    index = await connect(address, INDEX)
    try:
        if not await index.fetchval(_LOCK):
            raise LinkInProgress("another `mesh link` is running against these stores")
        started = time.perf_counter()
        opt_outs = OptOutReports()
        records = await _submissions(address, key, report, progress, opt_outs)
        started = _lap(report, "tokens", started)

        clustering = clusterer.cluster(records)
        report.persons, report.households = clustering.persons, clustering.households
        report.stats = clustering.stats
        _tell(progress, "cluster", len(records))
        started = _lap(report, "cluster", started)

        stored = await store_run(
            index, records, clustering, clusterer.method, clusterer.parameters(),
            keep_tokens=keep_tokens,
            opt_out=person_opt_out(records, clustering, opt_outs),
        )  # fmt: skip
        report.run_id = stored.run_id
        report.kept_person_ids = stored.kept_person_ids
        report.kept_household_ids = stored.kept_household_ids
        _tell(progress, "store", len(records))
        started = _lap(report, "store", started)

        households = stored.household_answer(clustering)
        members = await index_household_members(index)
        for agency in AGENCIES:
            persons = stored.person_answer(records, clustering, agency)
            conn = await connect(address, agency)
            try:
                report.crosswalks[agency] = crosswalk = await write_crosswalk(
                    conn,
                    agency,
                    key,
                    persons,
                    households if household_records_sql(agency) else None,
                )
                await write_household_members(conn, members)
                await refresh_needs(conn, agency)
            finally:
                await conn.close()
            del persons
            _tell(progress, agency, crosswalk.persons + crosswalk.households)
        _lap(report, "crosswalk", started)
    finally:
        await index.close()  # releases the lock
    return report


async def _submissions(
    address: ServerAddress,
    key: bytes,
    report: LinkReport,
    progress: Progress | None,
    opt_outs: OptOutReports,
) -> RecordSet:
    """Each agency tokenises its own records (and, where it holds them, marks the national data
    opt-outs); the index only receives the results."""
    records = RecordSet(TOKEN_KINDS)
    for agency in AGENCIES:
        conn = await connect(address, agency)
        try:
            opted_out = await opted_out_refs(conn, agency, key)
            if opted_out is not None:
                opt_outs.publishers.add(agency)
            count = 0
            async for batch in agency_submissions(conn, agency, key):
                for submission in batch:
                    index = records.add(agency, submission.record_ref, submission.tokens)
                    if opted_out and submission.record_ref in opted_out:
                        opt_outs.opted_out_records.add(index)
                count += len(batch)
                _tell(progress, agency, len(batch))
            report.records[agency] = count
        finally:
            await conn.close()
    return records


def _tell(progress: Progress | None, what: str, count: int) -> None:
    if progress is not None:
        progress(what, count)


def _lap(report: LinkReport, phase: str, started: float) -> float:
    now = time.perf_counter()
    report.seconds[phase] = now - started
    return now
