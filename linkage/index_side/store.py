"""Write one linkage run into the index database, replacing the previous one atomically.

Mesh ids are minted at random (:mod:`subgraphs.kit.ids`) and kept stable across runs, because
clients hold them: a new person cluster takes the old mesh id that most of its records had
(each old id goes to the new cluster holding most of its records), and a household keeps its
id while its address token is unchanged. Everything is written with COPY in one transaction;
the tables are truncated inside it (their indexes and keys rebuilt after the load), so readers
wait rather than see a half-written run.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg

from linkage.index_side.clustering import Clustering, RecordSet
from subgraphs.kit.ids import new_household_id, new_person_id

PERSON = "Person"

_PREVIOUS_PERSON_IDS = """
WITH votes AS (
    SELECT n.person, l.mesh_id, count(*) AS n
    FROM new_person_record n
    JOIN linked_record l
      ON l.agency = n.agency AND l.entity = 'Person' AND l.record_ref = n.record_ref
    GROUP BY n.person, l.mesh_id
), claimed AS (
    -- each old mesh id goes to the new cluster holding most of its records
    SELECT DISTINCT ON (mesh_id) mesh_id, person, n FROM votes ORDER BY mesh_id, n DESC, person
)
-- and each new cluster keeps the old id it holds most records of
SELECT DISTINCT ON (person) person, mesh_id FROM claimed ORDER BY person, n DESC, mesh_id
"""

_PREVIOUS_HOUSEHOLD_IDS = """
SELECT n.household, h.mesh_id
FROM new_household n JOIN mesh_household h ON h.address_token = n.address_token
"""


@dataclass(frozen=True)
class StoredRun:
    """What the index answers after a run: mesh ids by position, and how many were kept."""

    run_id: int
    person_ids: list[str]  # per person number
    household_ids: list[str]  # per household number
    kept_person_ids: int
    kept_household_ids: int

    def person_answer(
        self, records: RecordSet, clustering: Clustering, agency: str
    ) -> dict[bytes, str]:
        """record_ref -> mesh person id for one agency's records."""
        person_of = clustering.person_of
        return {records.ref(i): self.person_ids[person_of[i]] for i in records.indexes_of(agency)}

    def household_answer(self, clustering: Clustering) -> dict[bytes, str]:
        """address token -> mesh household id: an agency looks up the tokens of its own UPRNs."""
        return dict(zip(clustering.household_tokens, self.household_ids, strict=True))


async def store_run(
    conn: asyncpg.Connection,
    records: RecordSet,
    clustering: Clustering,
    method: str,
    parameters: dict[str, object],
    *,
    keep_tokens: bool = True,
    opt_out: list[bool | None] | None = None,
) -> StoredRun:
    """Replace the index's linkage with this run, in one transaction. ``opt_out`` is each
    person's national data opt-out (:func:`linkage.index_side.opt_out.person_opt_out`); without it
    every person's is unknown, which the gateway treats as opted out."""
    async with conn.transaction():
        run_id = await conn.fetchval(
            "INSERT INTO linkage_run (method, parameters) VALUES ($1, $2::jsonb) RETURNING run_id",
            method,
            json.dumps(parameters),
        )
        person_ids, kept_persons = await _person_ids(conn, records, clustering)
        household_ids, kept_households = await _household_ids(conn, clustering)
        await conn.execute("TRUNCATE linked_record, linkage_token, mesh_person, mesh_household")
        async with _bulk_loaded(conn, "mesh_household"):
            await conn.copy_records_to_table(
                "mesh_household",
                columns=["mesh_id", "run_id", "address_token"],
                records=(
                    (mesh_id, run_id, token)
                    for mesh_id, token in zip(
                        household_ids, clustering.household_tokens, strict=True
                    )
                ),
            )
        household_of = clustering.household_of_person
        async with _bulk_loaded(conn, "mesh_person"):
            await conn.copy_records_to_table(
                "mesh_person",
                columns=["mesh_id", "run_id", "household_id", "national_data_opt_out"],
                records=(
                    (
                        mesh_id,
                        run_id,
                        household_ids[h] if (h := household_of[p]) >= 0 else None,
                        opt_out[p] if opt_out is not None else None,
                    )
                    for p, mesh_id in enumerate(person_ids)
                ),
            )
        person_of = clustering.person_of
        agencies = records.agencies
        async with _bulk_loaded(conn, "linked_record"):
            await conn.copy_records_to_table(
                "linked_record",
                columns=["agency", "entity", "record_ref", "mesh_id"],
                records=(
                    (agencies[a], PERSON, records.ref(i), person_ids[person_of[i]])
                    for i, a in enumerate(records.agency_of)
                ),
            )
        if keep_tokens:
            async with _bulk_loaded(conn, "linkage_token"):
                await conn.copy_records_to_table(
                    "linkage_token",
                    columns=["agency", "entity", "record_ref", "kind", "token"],
                    records=_token_rows(records),
                )
        await conn.execute(
            "UPDATE linkage_run SET finished_at = now(), records = $2, persons = $3, "
            "households = $4 WHERE run_id = $1",
            run_id,
            len(records),
            clustering.persons,
            clustering.households,
        )
    return StoredRun(run_id, person_ids, household_ids, kept_persons, kept_households)


_INDEXES = """
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
WHERE i.indrelid = $1::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""
# Foreign keys, and primary keys or unique constraints no other table's foreign key relies on.
_CONSTRAINTS = """
SELECT conname AS name, contype AS kind, pg_get_constraintdef(oid) AS definition
FROM pg_constraint c
WHERE conrelid = $1::regclass
  AND (contype = 'f' OR (contype IN ('p', 'u') AND NOT EXISTS (
      SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.confrelid = c.conrelid)))
"""


@asynccontextmanager
async def _bulk_loaded(conn: asyncpg.Connection, table: str) -> AsyncIterator[None]:
    """Drop a table's indexes, keys and foreign keys for a bulk load and restore them after,
    exactly as defined: building an index or checking a key once, over the whole table, is far
    cheaper than maintaining it row by row (as pg_restore does)."""
    constraints = await conn.fetch(_CONSTRAINTS, table)
    indexes = await conn.fetch(_INDEXES, table)
    for constraint in constraints:
        await conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_quoted(constraint['name'])}")
    for index in indexes:
        await conn.execute(f"DROP INDEX {index['name']}")
    yield
    add = f"ALTER TABLE {table} ADD CONSTRAINT "
    keys = [c for c in constraints if c["kind"] != "f"]
    foreign_keys = [c for c in constraints if c["kind"] == "f"]
    for constraint in keys:
        await conn.execute(add + f"{_quoted(constraint['name'])} {constraint['definition']}")
    for index in indexes:
        await conn.execute(index["definition"])
    for constraint in foreign_keys:  # checked last, against the finished keys
        await conn.execute(add + f"{_quoted(constraint['name'])} {constraint['definition']}")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _token_rows(records: RecordSet) -> Iterator[tuple[str, str, bytes, str, bytes]]:
    agencies = records.agencies
    for i, a in enumerate(records.agency_of):
        ref = records.ref(i)
        for kind in records.kinds:
            value = records.token(kind, i)
            if value is not None:
                yield agencies[a], PERSON, ref, kind, value


async def _person_ids(
    conn: asyncpg.Connection, records: RecordSet, clustering: Clustering
) -> tuple[list[str], int]:
    await conn.execute(
        "CREATE TEMP TABLE new_person_record (agency text, record_ref bytea, person integer) "
        "ON COMMIT DROP"
    )
    agencies = records.agencies
    person_of = clustering.person_of
    await conn.copy_records_to_table(
        "new_person_record",
        records=(
            (agencies[a], records.ref(i), person_of[i]) for i, a in enumerate(records.agency_of)
        ),
    )
    await conn.execute("ANALYZE new_person_record")
    ids: list[str | None] = [None] * clustering.persons
    kept = 0
    async for row in conn.cursor(_PREVIOUS_PERSON_IDS, prefetch=50_000):
        ids[row["person"]] = row["mesh_id"]
        kept += 1
    return [mesh_id or new_person_id() for mesh_id in ids], kept


async def _household_ids(conn: asyncpg.Connection, clustering: Clustering) -> tuple[list[str], int]:
    await conn.execute(
        "CREATE TEMP TABLE new_household (household integer, address_token bytea) ON COMMIT DROP"
    )
    await conn.copy_records_to_table(
        "new_household", records=enumerate(clustering.household_tokens)
    )
    await conn.execute("ANALYZE new_household")
    ids: list[str | None] = [None] * clustering.households
    kept = 0
    async for row in conn.cursor(_PREVIOUS_HOUSEHOLD_IDS, prefetch=50_000):
        if ids[row["household"]] is None:
            ids[row["household"]] = row["mesh_id"]
            kept += 1
    return [mesh_id or new_household_id() for mesh_id in ids], kept
