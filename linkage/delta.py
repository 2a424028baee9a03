"""``mesh link --delta``: the exchange for what changed since the last run.

Each agency sends only the records whose identity digest differs from the one in its crosswalk
(new or changed) and withdraws those gone from its view (:mod:`linkage.agency_side.submission`);
the index re-links the people they touch (:mod:`linkage.index_side.incremental`) and answers
with the mesh ids of the re-sent records, the new mesh ids of earlier records whose person
changed, and the households that appeared or emptied; each agency updates its crosswalk. As
for a whole run, nothing is committed until every part has succeeded.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

import asyncpg

from linkage.agency_side.crosswalk import household_records_sql, update_crosswalk
from linkage.agency_side.households import Touched
from linkage.agency_side.submission import collect
from linkage.agency_side.tokens import TOKEN_KINDS
from linkage.exchange import (
    LINK_LOCK,
    AllOrNothing,
    LinkInProgress,
    LinkRefused,
    LinkReport,
    Progress,
    agency_keys,
    collect_opt_outs,
    lap,
    refresh_households_and_needs,
    tell,
)
from linkage.index_side.checks import check_key_checks
from linkage.index_side.clustering import Clusterer
from linkage.index_side.incremental import relink
from linkage.index_side.opt_out import forget_opt_out_digest, republish_opt_outs
from linkage.index_side.records import RecordSet
from linkage.index_side.store import new_run
from store.dsn import ServerAddress
from store.server import connect
from subgraphs.registry import AGENCIES, INDEX


async def link_delta(
    address: ServerAddress,
    key: bytes,
    progress: Progress | None,
    clusterer: Clusterer,
    *,
    keys: Mapping[str, bytes] | None = None,
    workers: int = 2,
) -> LinkReport:
    """Send every agency's changes since the last run and apply the index's answer."""
    report = LinkReport(method=clusterer.method, delta=True)
    keys = dict(keys) if keys is not None else agency_keys(key)
    index = await connect(address, INDEX)
    try:
        if not await index.fetchval(LINK_LOCK):
            raise LinkInProgress("another `mesh link` is running against these stores")
        if not await index.fetchval("SELECT EXISTS (SELECT 1 FROM linked_record)"):
            raise LinkRefused("there is no earlier run to update: run `mesh link` first")
        started = time.perf_counter()
        batches, extracts = await collect(address, keys, delta=True, workers=workers)
        key_check = check_key_checks(batches)
        await _check_same_key(index, key_check)
        opt_outs = await collect_opt_outs(address, keys)
        fresh = RecordSet(TOKEN_KINDS)
        positions: dict[str, range] = {}
        for agency in AGENCIES:
            positions[agency] = fresh.extend(batches[agency])
            report.records[agency] = len(batches[agency])
            report.withdrawn[agency] = len(batches[agency].gone)
            tell(progress, agency, len(batches[agency]))
        gone = {agency: batches[agency].gone for agency in AGENCIES if batches[agency].gone}
        started = lap(report, "tokens", started)
        if not len(fresh) and not gone:  # identities unchanged; opt-outs may have changed
            async with index.transaction():
                report.opt_outs_changed = await republish_opt_outs(index, opt_outs)
                await forget_opt_out_digest(index)
            return report

        async with AllOrNothing(address, index) as stores:
            parameters = {
                **clusterer.parameters(),
                "delta": True,
                "key_check": key_check,
                "opt_out_digest": opt_outs.digest(),
            }
            run_id = await new_run(index, f"{clusterer.method}-delta", parameters)
            answer = await relink(index, fresh, gone, clusterer, opt_outs, run_id)
            report.run_id = run_id
            report.parameters = clusterer.parameters()
            report.changed_persons = answer.affected_persons
            report.persons = answer.persons
            report.kept_person_ids = answer.kept_person_ids
            report.households = answer.households_changed
            touched = Touched(answer.touched_persons, answer.touched_households)
            if answer.clustering is not None:
                report.stats = answer.clustering.stats
            tell(progress, "store", len(fresh))
            started = lap(report, "cluster", started)

            async def apply(agency: str) -> None:
                span = positions[agency]
                report.crosswalks[agency] = await update_crosswalk(
                    stores[agency], agency, keys[agency], (batches[agency], extracts[agency]),
                    answer.fresh_mesh_ids[span.start : span.stop],
                    answer.moved.get(agency, {}),
                    answer.households if household_records_sql(agency) else None,
                )  # fmt: skip
                tell(progress, f"crosswalk {agency}", len(span))

            await asyncio.gather(*(apply(agency) for agency in AGENCIES))
            started = lap(report, "crosswalk", started)
        clusterer.keep()
        started = lap(report, "commit", started)
        await refresh_households_and_needs(address, index, touched=touched)
        lap(report, "needs", started)
    finally:
        await index.close()
    return report


async def _check_same_key(index: asyncpg.Connection, key_check: str) -> None:
    """A delta must use the key of the run it updates (recorded with that run)."""
    stored = await index.fetchval(
        "SELECT parameters ->> 'key_check' FROM linkage_run WHERE finished_at IS NOT NULL "
        "ORDER BY run_id DESC LIMIT 1"
    )
    if stored is not None and stored != key_check:
        raise LinkRefused(
            f"the agencies' tokens are made with another linkage key (key check {key_check}) "
            f"than the last run's ({stored}): a delta cannot mix them; run a whole `mesh link`"
        )
