"""The agency side of a linkage answer: rewrite or update the agency's own ``mesh_crosswalk``.

The index answers in pseudonyms only: a mesh person id for each record the agency submitted (in
submission order, so nothing is hashed again), the new mesh id of earlier records whose person
changed (by reference), and ``UPRN token -> mesh household id``. The agency keeps, per person
record, the reference and identity digest it submitted, so that it can later send only what
changed and resolve the index's references for a reviewer. Local ids never leave the agency, and
the index never learns which of its households the agency knows.

Each function writes inside the caller's transaction: ``mesh link`` commits every agency's
crosswalk only once every part of the run has succeeded.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import asyncpg

from linkage.agency_side.submission import Extract, SubmissionBatch
from linkage.agency_side.tokens import TOKEN_BYTES, KeyedHash
from store.bulk import bulk_loaded

PERSON = "Person"
HOUSEHOLD = "Household"
_BATCH = 50_000
_COLUMNS = ["entity", "local_id", "mesh_id", "record_ref", "identity_digest"]
_UPSERT_PERSONS = """
INSERT INTO mesh_crosswalk (entity, local_id, mesh_id, record_ref, identity_digest)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::bytea[])
ON CONFLICT (entity, local_id) DO UPDATE SET mesh_id = EXCLUDED.mesh_id,
    record_ref = EXCLUDED.record_ref, identity_digest = EXCLUDED.identity_digest,
    linked_at = now()
"""


def household_records_sql(agency: str) -> str | None:
    """The agency's own SQL for its household-level records, returning (local_id text, uprn),
    declared in its subgraph definition (housing: its tenancies); None for most agencies."""
    from subgraphs.kit.serve import load_definition

    household = getattr(load_definition(agency), "household", None)
    return getattr(household, "linkage_records", None)


@dataclass(frozen=True)
class CrosswalkReport:
    agency: str
    persons: int  # person rows written (or rewritten, in a delta)
    households: int  # household rows written
    unlinked_persons: int  # records the answer did not cover
    unlinked_households: int  # household records whose property has no mesh household
    removed: int = 0  # rows of withdrawn records removed (a delta)


async def write_crosswalk(
    conn: asyncpg.Connection,
    agency: str,
    key: bytes,
    submitted: tuple[SubmissionBatch, Extract],
    mesh_ids: Sequence[str],
    households: Mapping[bytes, str] | None = None,
) -> CrosswalkReport:
    """Replace the agency's crosswalk from the index's answer to a whole submission."""
    batch, extract = submitted
    if len(mesh_ids) != len(extract.local_ids):
        raise ValueError(f"{agency}: the answer covers {len(mesh_ids)} of {len(batch)} records")
    await conn.execute("TRUNCATE mesh_crosswalk")
    async with bulk_loaded(conn, "mesh_crosswalk"):
        await conn.copy_records_to_table(
            "mesh_crosswalk", columns=_COLUMNS, records=_person_rows(batch, extract, mesh_ids)
        )
        written, missing = 0, 0
        if households is not None:
            written, missing = await _write_households(conn, agency, key, households)
    await _clear_notes(conn, extract)
    return CrosswalkReport(agency, len(mesh_ids), written, 0, missing)


async def update_crosswalk(
    conn: asyncpg.Connection,
    agency: str,
    key: bytes,
    submitted: tuple[SubmissionBatch, Extract],
    mesh_ids: Sequence[str],
    moved: Mapping[bytes, str],
    households: Mapping[bytes, str | None] | None = None,
) -> CrosswalkReport:
    """Apply the index's answer to a delta: rows for the re-sent records, new mesh ids for
    earlier records whose person changed (``moved``: reference -> mesh id), withdrawn records
    removed, and the household rows of properties whose mesh household changed (None: gone)."""
    batch, extract = submitted
    if len(mesh_ids) != len(extract.local_ids):
        raise ValueError(f"{agency}: the answer covers {len(mesh_ids)} of {len(batch)} records")
    removed = 0
    if extract.gone:
        status = await conn.execute(
            "DELETE FROM mesh_crosswalk WHERE entity = 'Person' AND local_id = ANY($1::text[])",
            extract.gone,
        )
        removed = int(status.split()[-1])
    if extract.local_ids:  # in place: most re-sent records keep their mesh id
        rows = list(_person_rows(batch, extract, mesh_ids))
        await conn.execute(_UPSERT_PERSONS, *(list(column) for column in zip(*rows, strict=True)))
    if moved:
        await conn.execute(
            "UPDATE mesh_crosswalk c SET mesh_id = m.mesh_id, linked_at = now() "
            "FROM unnest($1::bytea[], $2::text[]) AS m (record_ref, mesh_id) "
            "WHERE c.entity = 'Person' AND c.record_ref = m.record_ref",
            list(moved),
            list(moved.values()),
        )
    written = missing = 0
    if households:
        written, missing = await _update_households(conn, agency, key, households)
    await _clear_notes(conn, extract)
    return CrosswalkReport(agency, len(mesh_ids) + len(moved), written, 0, missing, removed)


async def _clear_notes(conn: asyncpg.Connection, extract: Extract) -> None:
    """The change notes this submission covered have been answered."""
    await conn.execute("DELETE FROM mesh_identity_change WHERE change_id <= $1", extract.noted)


async def resolve_refs(conn: asyncpg.Connection, refs: Sequence[bytes]) -> dict[bytes, str]:
    """Which of the agency's records the index's references stand for (reference -> local id)."""
    rows = await conn.fetch(
        "SELECT record_ref, local_id FROM mesh_crosswalk "
        "WHERE entity = 'Person' AND record_ref = ANY($1::bytea[])",
        list(refs),
    )
    return {bytes(r["record_ref"]): r["local_id"] for r in rows}


def _person_rows(
    batch: SubmissionBatch, extract: Extract, mesh_ids: Sequence[str]
) -> Iterator[tuple[str, str, str, bytes, bytes]]:
    refs = memoryview(batch.refs)
    for i, (local_id, digest, mesh_id) in enumerate(
        zip(extract.local_ids, extract.digests, mesh_ids, strict=True)
    ):
        yield (
            PERSON,
            local_id,
            mesh_id,
            bytes(refs[i * TOKEN_BYTES : (i + 1) * TOKEN_BYTES]),
            digest,
        )


async def _tenancies(conn: asyncpg.Connection, agency: str) -> list[tuple[str, int | None]]:
    sql = household_records_sql(agency)
    if sql is None:
        return []
    return [(row[0], row[1]) async for row in conn.cursor(sql, prefetch=_BATCH)]


async def _write_households(
    conn: asyncpg.Connection, agency: str, key: bytes, answer: Mapping[bytes, str]
) -> tuple[int, int]:
    hasher = KeyedHash(key)
    rows, missing = [], 0
    for local_id, uprn in await _tenancies(conn, agency):
        mesh_id = None if uprn is None else answer.get(hasher.uprn_token(uprn))
        if mesh_id is None:
            missing += 1
        else:
            rows.append((HOUSEHOLD, local_id, mesh_id))
    await conn.copy_records_to_table(
        "mesh_crosswalk", columns=["entity", "local_id", "mesh_id"], records=rows
    )
    return len(rows), missing


async def _update_households(
    conn: asyncpg.Connection, agency: str, key: bytes, answer: Mapping[bytes, str | None]
) -> tuple[int, int]:
    hasher = KeyedHash(key)
    changed: list[tuple[str, str | None]] = []
    for local_id, uprn in await _tenancies(conn, agency):
        token = None if uprn is None else hasher.uprn_token(uprn)
        if token is not None and token in answer:
            changed.append((local_id, answer[token]))
    if not changed:
        return 0, 0
    await conn.execute(
        "DELETE FROM mesh_crosswalk WHERE entity = 'Household' AND local_id = ANY($1::text[])",
        [local_id for local_id, _ in changed],
    )
    rows = [(HOUSEHOLD, local_id, mesh_id) for local_id, mesh_id in changed if mesh_id]
    await conn.copy_records_to_table(
        "mesh_crosswalk", columns=["entity", "local_id", "mesh_id"], records=rows
    )
    return len(rows), len(changed) - len(rows)
