"""``mesh link``: the whole pseudonymous linkage exchange, agencies and index in turn.

1. Each agency reads its ``mesh_identity`` view and computes, with the linkage key, opaque record
   references and keyed hash tokens (:mod:`linkage.agency_side.submission`); health also marks
   the national data opt-outs.
2. The index checks the submissions (:mod:`linkage.index_side.checks`: every agency used the
   same key), clusters the tokens into mesh persons and households and stores the run, keeping
   mesh ids stable. It never receives the key, a name, a date of birth or a local id.
3. Each agency maps the answer back to its own records and rewrites its ``mesh_crosswalk``.

Nothing is committed until every part has succeeded: the index's run and every crosswalk are
written in open transactions, then committed together (the index first), so a run that fails
leaves the previous mesh ids and crosswalks as they were. ``mesh link --delta``
(:mod:`linkage.delta`) sends only the records that changed since.

Here the three roles run in one process for the demo; the boundary between them is the data
passed: submissions go one way, pseudonymous answers the other.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field

import asyncpg
from asyncpg.transaction import Transaction

from linkage.agency_side.crosswalk import CrosswalkReport, household_records_sql, write_crosswalk
from linkage.agency_side.households import (
    Members,
    Touched,
    index_household_members,
    index_household_members_of,
    refresh_needs,
    update_household_members,
    write_household_members,
)
from linkage.agency_side.opt_out import opted_out_refs
from linkage.agency_side.submission import Extract, SubmissionBatch, collect
from linkage.agency_side.tokens import TOKEN_KINDS
from linkage.index_side.checks import (
    SubmissionRefused,
    check_key_checks,
    check_links_across_agencies,
)
from linkage.index_side.clustering import Clusterer, ClusterStats
from linkage.index_side.opt_out import OptOutReports, person_opt_out
from linkage.index_side.records import RecordSet
from linkage.index_side.store import index_for_deltas, new_run, store_run
from store.dsn import ServerAddress
from store.server import connect
from subgraphs.registry import AGENCIES, INDEX

Progress = Callable[[str, int], None]
"""Called with (phase or agency, records just handled)."""

PHASES = ("tokens", "cluster", "store", "crosswalk", "commit")


@dataclass
class LinkReport:
    """What one ``mesh link`` did, for the console and for tests."""

    run_id: int = 0
    method: str = ""
    delta: bool = False
    records: dict[str, int] = field(default_factory=dict)  # per agency, submitted
    withdrawn: dict[str, int] = field(default_factory=dict)  # per agency (a delta)
    persons: int = 0
    households: int = 0
    kept_person_ids: int = 0
    kept_household_ids: int = 0
    changed_persons: int = 0  # a delta: mesh persons re-linked
    opt_outs_changed: int = 0  # a delta without identity changes: opt-outs updated
    seconds: dict[str, float] = field(default_factory=dict)  # per phase
    side_seconds: dict[str, float] = field(default_factory=dict)  # steps run side by side
    stats: ClusterStats = field(default_factory=ClusterStats)
    crosswalks: dict[str, CrosswalkReport] = field(default_factory=dict)
    parameters: dict[str, object] = field(default_factory=dict)

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


LinkRefused = SubmissionRefused


# Held (on the index database) for the whole exchange, so two runs never interleave crosswalks.
LINK_LOCK = "SELECT pg_try_advisory_lock(hashtext('civic-mesh:link'))"


def agency_keys(key: bytes, overrides: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """The key each agency hashes with: the deployment's, unless ``overrides`` says otherwise
    (an agency misconfigured with another key, which the index must notice)."""
    return {agency: (overrides or {}).get(agency, key) for agency in AGENCIES}


async def link_all(
    address: ServerAddress,
    key: bytes,
    progress: Progress | None,
    clusterer: Clusterer,
    *,
    keys: Mapping[str, bytes] | None = None,
    workers: int = 2,
) -> LinkReport:
    """Run the whole exchange over every agency; replaces the index's linkage and every
    crosswalk, or (on any failure) nothing."""
    report = LinkReport(method=clusterer.method)
    keys = dict(keys) if keys is not None else agency_keys(key)
    index = await connect(address, INDEX)
    try:
        if not await index.fetchval(LINK_LOCK):
            raise LinkInProgress("another `mesh link` is running against these stores")
        started = time.perf_counter()
        batches, extracts = await collect(address, keys, workers=workers)
        opt_outs = await collect_opt_outs(address, keys)
        key_check = check_key_checks(batches)
        records = RecordSet(TOKEN_KINDS)
        positions: dict[str, range] = {}
        for agency in AGENCIES:
            positions[agency] = records.extend(batches[agency])
            report.records[agency] = len(batches[agency])
            tell(progress, agency, len(batches[agency]))
        opt_outs.locate(records, positions, batches)
        started = lap(report, "tokens", started)

        clustering = clusterer.cluster(records)
        check_links_across_agencies(records, clustering.person_of)
        report.persons, report.households = clustering.persons, clustering.households
        report.stats = clustering.stats
        report.parameters = {
            **clusterer.parameters(),
            "key_check": key_check,
            "opt_out_digest": opt_outs.digest(),
        }
        tell(progress, "cluster", len(records))
        started = lap(report, "cluster", started)

        async with AllOrNothing(address, index) as stores:
            run_id = await new_run(index, clusterer.method, report.parameters)
            stored = await store_run(
                index, records, clustering, run_id,
                opt_out=person_opt_out(records, clustering, opt_outs),
            )  # fmt: skip
            report.run_id = stored.run_id
            report.kept_person_ids = stored.kept_person_ids
            report.kept_household_ids = stored.kept_household_ids
            tell(progress, "store", len(records))
            started = lap(report, "store", started)

            households = stored.household_answer(clustering)

            async def answer(agency: str) -> None:
                mesh_ids = stored.person_answer(records, clustering, positions[agency])
                report.crosswalks[agency] = await write_crosswalk(
                    stores[agency], agency, keys[agency], (batches[agency], extracts[agency]),
                    mesh_ids, households if household_records_sql(agency) else None,
                )  # fmt: skip
                tell(progress, f"crosswalk {agency}", len(mesh_ids))

            await asyncio.gather(*(answer(agency) for agency in AGENCIES))
            started = lap(report, "crosswalk", started)
        clusterer.keep()
        started = lap(report, "commit", started)
        # Both derived from the committed run, in different stores: side by side (the needs
        # are given the members, so only the delta indexes use the index's connection).
        members = stored.household_members(records, clustering)
        seconds = await asyncio.gather(
            _timed(index_for_deltas(index)),
            _timed(refresh_households_and_needs(address, index, members=members)),
        )
        report.side_seconds["delta indexes"], report.side_seconds["needs"] = seconds
        lap(report, "delta indexes and needs", started)
    finally:
        await index.close()  # releases the lock
    return report


class AllOrNothing:
    """One open transaction on the index (given) and on every agency store: committed together
    on success, the index first, so a failure anywhere before that changes nothing.

    Between the index's commit and the last agency's (milliseconds), a crash would leave some
    crosswalks a run behind; the next ``mesh link`` puts them right (mesh ids are kept)."""

    def __init__(self, address: ServerAddress, index: asyncpg.Connection) -> None:
        self.address = address
        self.index = index
        self.conns: dict[str, asyncpg.Connection] = {}
        self.started: list[Transaction] = []

    async def __aenter__(self) -> dict[str, asyncpg.Connection]:
        try:
            await self._start(self.index)
            for agency in AGENCIES:
                self.conns[agency] = await connect(self.address, agency)
                await self._start(self.conns[agency])
        except BaseException:
            await self._end(commit=False)
            raise
        return self.conns

    async def __aexit__(self, kind: type[BaseException] | None, *_: object) -> None:
        await self._end(commit=kind is None)

    async def _start(self, conn: asyncpg.Connection) -> None:
        transaction = conn.transaction()
        await transaction.start()
        self.started.append(transaction)

    async def _end(self, *, commit: bool) -> None:
        try:
            for transaction in self.started:
                if commit:
                    await transaction.commit()
                else:  # a broken connection's transaction is gone anyway
                    with suppress(asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                        await transaction.rollback()
        finally:
            for conn in self.conns.values():
                await conn.close()


async def refresh_households_and_needs(
    address: ServerAddress,
    index: asyncpg.Connection,
    *,
    members: Mapping[str, Members] | None = None,
    touched: Touched | None = None,
    concurrency: int = 2,
) -> None:
    """After a committed run: each agency learns its people's households and re-evaluates its
    needs indicators (derived data: a failure here leaves the linkage as it is, and `mesh needs
    refresh` puts it right), ``concurrency`` agencies at a time. ``members``: each agency's
    people's households, from the run just stored (else read from the index). After a delta
    (``touched``), only for the persons it touched: everyone else's are as they were."""
    if touched is not None:
        some = await index_household_members_of(index, touched)
    elif members is None:
        members = await index_household_members(index)
    slots = asyncio.Semaphore(concurrency)

    async def refresh(agency: str) -> None:
        async with slots:
            conn = await connect(address, agency)
            try:
                if touched is not None:
                    persons = touched.persons.get(agency, ())
                    if persons:
                        await update_household_members(conn, persons, some.get(agency, ()))
                        await refresh_needs(conn, agency, persons)
                else:
                    assert members is not None
                    await write_household_members(conn, members.get(agency, ()))
                    await refresh_needs(conn, agency)
            finally:
                await conn.close()

    await asyncio.gather(*(refresh(agency) for agency in AGENCIES))


async def collect_opt_outs(address: ServerAddress, keys: Mapping[str, bytes]) -> OptOutReports:
    """The record references each publishing agency marks as opted out of secondary uses."""
    reports = OptOutReports()
    for agency, key in keys.items():
        conn = await connect(address, agency)
        try:
            refs = await opted_out_refs(conn, agency, key)
        finally:
            await conn.close()
        if refs is not None:
            reports.publishers.add(agency)
            reports.opted_out_refs[agency] = refs
    return reports


async def _timed(step: Awaitable[object]) -> float:
    """How long ``step`` took (alone: run beside another, its seconds overlap the other's)."""
    started = time.perf_counter()
    await step
    return time.perf_counter() - started


def tell(progress: Progress | None, what: str, count: int) -> None:
    if progress is not None:
        progress(what, count)


def lap(report: LinkReport, phase: str, started: float) -> float:
    now = time.perf_counter()
    report.seconds[phase] = now - started
    return now


__all__ = [
    "PHASES",
    "Extract",
    "LinkInProgress",
    "LinkRefused",
    "LinkReport",
    "Progress",
    "SubmissionBatch",
    "agency_keys",
    "link_all",
]
