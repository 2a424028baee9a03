"""The index's view of the national data opt-out: per mesh person, opted out, not opted out,
or unknown (no agency that holds the opt-out knows the person)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import asyncpg

from linkage.agency_side.submission import SubmissionBatch
from linkage.agency_side.tokens import TOKEN_BYTES
from linkage.index_side.clustering import Clustering
from linkage.index_side.records import RecordSet


@dataclass
class OptOutReports:
    """What the publishing agencies sent: who publishes, the references of their opted-out
    records, and (once located) those records' positions in the :class:`RecordSet`."""

    publishers: set[str] = field(default_factory=set)
    opted_out_refs: dict[str, set[bytes]] = field(default_factory=dict)
    opted_out_records: set[int] = field(default_factory=set)

    def digest(self) -> str:
        """A digest of the publication (who publishes, and which references are opted out):
        a delta whose publication has the digest of the last run's need not republish it."""
        h = hashlib.sha256()
        for agency in sorted(self.publishers):
            h.update(f"{agency}:{len(self.opted_out_refs.get(agency, ()))};".encode())
            for ref in sorted(self.opted_out_refs.get(agency, ())):
                h.update(ref)
        return h.hexdigest()

    def locate(
        self,
        records: RecordSet,
        positions: Mapping[str, range],
        batches: Mapping[str, SubmissionBatch],
    ) -> None:
        """Find the submitted records the published references stand for."""
        for agency, refs in self.opted_out_refs.items():
            if not refs or agency not in positions:
                continue
            submitted = memoryview(batches[agency].refs)
            for n, i in enumerate(positions[agency]):
                if bytes(submitted[n * TOKEN_BYTES : (n + 1) * TOKEN_BYTES]) in refs:
                    self.opted_out_records.add(i)


def person_opt_out(
    records: RecordSet, clustering: Clustering, reports: OptOutReports
) -> list[bool | None]:
    """Per person number: True if any publisher's record of them is opted out, False if a
    publisher knows them and none is, None if no publisher knows them."""
    status: list[bool | None] = [None] * clustering.persons
    publishing = {i for i, agency in enumerate(records.agencies) if agency in reports.publishers}
    person_of = clustering.person_of
    for record, agency in enumerate(records.agency_of):
        if agency in publishing and status[person_of[record]] is None:
            status[person_of[record]] = False
    for record in reports.opted_out_records:
        status[person_of[record]] = True
    return status


def region_opt_out(
    region: RecordSet, clustering: Clustering, opt_outs: OptOutReports
) -> list[bool | None]:
    """Each re-linked person's opt-out, from the region's records alone (None: unknown)."""
    status: list[bool | None] = [None] * clustering.persons
    for i in range(len(region)):
        agency = region.agencies[region.agency_of[i]]
        if agency not in opt_outs.publishers:
            continue
        person = clustering.person_of[i]
        opted = region.ref(i) in opt_outs.opted_out_refs.get(agency, set())
        status[person] = True if opted else (status[person] or False)
    return status


async def last_opt_out_digest(conn: asyncpg.Connection, run_id: int) -> str | None:
    """The digest of the opt-out publication the last finished run (before ``run_id``) used."""
    digest: str | None = await conn.fetchval(
        "SELECT parameters ->> 'opt_out_digest' FROM linkage_run "
        "WHERE finished_at IS NOT NULL AND run_id < $1 ORDER BY run_id DESC LIMIT 1",
        run_id,
    )
    return digest


async def forget_opt_out_digest(conn: asyncpg.Connection) -> None:
    """Opt-outs were republished outside a run: the next delta must not trust the last run's
    digest to say what the index holds."""
    await conn.execute(
        "UPDATE linkage_run SET parameters = parameters - 'opt_out_digest' "
        "WHERE parameters ? 'opt_out_digest'"
    )


async def republish_opt_outs(conn: asyncpg.Connection, opt_outs: OptOutReports) -> int:
    """Opt-outs change without identities changing: set everyone's from the publication;
    returns how many persons' opt-out changed."""
    changed = 0
    for agency, refs in opt_outs.opted_out_refs.items():
        status = await conn.execute(
            "UPDATE mesh_person p SET national_data_opt_out = true FROM linked_record l "
            "WHERE l.agency = $1 AND l.entity = 'Person' AND l.record_ref = ANY($2::bytea[]) "
            "AND p.mesh_id = l.mesh_id AND p.national_data_opt_out IS DISTINCT FROM true",
            agency,
            list(refs),
        )
        changed += int(status.split()[-1])
    publishers = sorted(opt_outs.publishers)
    opted = [ref for agency in publishers for ref in opt_outs.opted_out_refs.get(agency, ())]
    status = await conn.execute(
        "UPDATE mesh_person p SET national_data_opt_out = false WHERE p.national_data_opt_out "
        "AND NOT EXISTS (SELECT 1 FROM linked_record l WHERE l.mesh_id = p.mesh_id "
        "AND l.agency = ANY($1::text[]) AND l.record_ref = ANY($2::bytea[]))",
        publishers,
        opted,
    )
    return changed + int(status.split()[-1])
