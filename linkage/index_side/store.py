"""Write a whole linkage run into the index database, replacing the previous one.

One row per submitted record (``linked_record``: its agency, reference, mesh id and token set),
one per mesh person and per mesh household. Mesh ids are minted at random
(:mod:`subgraphs.kit.ids`) and kept stable across runs, because clients hold them: a new person
cluster takes the old mesh id that most of its records had (each old id goes to the new cluster
holding most of its records), and a household keeps its id while its UPRN token is unchanged.

Everything is written with COPY inside the caller's transaction; the tables are truncated in it
(their indexes and keys rebuilt after the load), so readers wait rather than see a half-written
run, and a run that fails before its commit leaves the previous one as it was.

A delta finds the people it touches by their tokens (:mod:`linkage.index_side.incremental`):
indexes on the token columns serve it (:data:`DELTA_INDEXES`). A whole run drops them before
its load and builds them once it has committed (:func:`index_for_deltas`), so that they cost
the whole run's linking nothing; a delta before they are built is right, only slower.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import asyncpg

from linkage.agency_side.tokens import TOKEN_KINDS
from linkage.index_side.clustering import Clustering
from linkage.index_side.records import RecordSet
from store.bulk import bulk_loaded
from subgraphs.kit.ids import new_household_id, new_person_id

PERSON = "Person"
_MISSING = bytes(32)
#: Token kinds stored as 64-bit keys; the UPRN token is stored whole.
KEY_COLUMNS: tuple[str, ...] = tuple(kind for kind in TOKEN_KINDS if kind != "uprn")
RECORD_COLUMNS: tuple[str, ...] = (
    "agency",
    "entity",
    "record_ref",
    "mesh_id",
    *KEY_COLUMNS,
    "uprn",
    "address_confirmed_on",
)

#: Token columns a delta looks records up by (blocking tokens, and properties for households).
DELTA_INDEXED: tuple[str, ...] = (*KEY_COLUMNS, "uprn")
DELTA_INDEXES: dict[str, str] = {
    f"linked_record_delta_{column}": (f"ON linked_record ({column}) WHERE {column} IS NOT NULL")
    for column in DELTA_INDEXED
}

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
        self, records: RecordSet, clustering: Clustering, positions: Sequence[int]
    ) -> list[str]:
        """The mesh person id of each record at ``positions``, in that order."""
        person_of, ids = clustering.person_of, self.person_ids
        return [ids[person_of[i]] for i in positions]

    def household_members(
        self, records: RecordSet, clustering: Clustering
    ) -> dict[str, list[tuple[str, str]]]:
        """Per agency, its people's (mesh person id, mesh household id) pairs: what each agency
        keeps in ``mesh_household_member``."""
        persons: list[set[int]] = [set() for _ in records.agencies]
        for agency, person in zip(records.agency_of, clustering.person_of, strict=True):
            persons[agency].add(person)
        household_of = clustering.household_of_person
        return {
            records.agencies[agency]: [
                (self.person_ids[p], self.household_ids[h])
                for p in sorted(held)
                if (h := household_of[p]) >= 0
            ]
            for agency, held in enumerate(persons)
        }

    def household_answer(self, clustering: Clustering) -> dict[bytes, str]:
        """UPRN token -> mesh household id: an agency looks up the tokens of its own UPRNs."""
        return dict(zip(clustering.household_tokens, self.household_ids, strict=True))


async def new_run(conn: asyncpg.Connection, method: str, parameters: dict[str, object]) -> int:
    """Open a ``linkage_run`` row; returns its id."""
    run_id: int = await conn.fetchval(
        "INSERT INTO linkage_run (method, parameters) VALUES ($1, $2::jsonb) RETURNING run_id",
        method,
        json.dumps(parameters, default=str),
    )
    return run_id


async def finish_run(
    conn: asyncpg.Connection, run_id: int, records: int, persons: int, households: int
) -> None:
    await conn.execute(
        "UPDATE linkage_run SET finished_at = now(), records = $2, persons = $3, "
        "households = $4 WHERE run_id = $1",
        run_id,
        records,
        persons,
        households,
    )


async def store_run(
    conn: asyncpg.Connection,
    records: RecordSet,
    clustering: Clustering,
    run_id: int,
    *,
    opt_out: list[bool | None] | None = None,
) -> StoredRun:
    """Replace the index's linkage with this run, inside the caller's transaction. ``opt_out``
    is each person's national data opt-out (:func:`linkage.index_side.opt_out.person_opt_out`);
    without it every person's is unknown, which the gateway treats as opted out."""
    if not conn.is_in_transaction():
        raise RuntimeError("store_run writes inside the caller's transaction")
    # Matching millions of records with the last run's (to keep mesh ids) hashes and sorts them
    # all: in memory rather than in batches on disk.
    await conn.execute("SET LOCAL work_mem = '256MB'")
    person_ids, kept_persons = await _person_ids(conn, records, clustering)
    household_ids, kept_households = await _household_ids(conn, clustering)
    for name in DELTA_INDEXES:  # built after the commit: index_for_deltas
        await conn.execute(f"DROP INDEX IF EXISTS {name}")
    await conn.execute("TRUNCATE linked_record, mesh_person, mesh_household")
    household_of = clustering.household_of_person
    members = Counter(household_of)
    async with bulk_loaded(conn, "mesh_household"):
        await conn.copy_records_to_table(
            "mesh_household",
            columns=["mesh_id", "run_id", "address_token", "members"],
            records=(
                (mesh_id, run_id, token, members[h])
                for h, (mesh_id, token) in enumerate(
                    zip(household_ids, clustering.household_tokens, strict=True)
                )
            ),
        )
    async with bulk_loaded(conn, "mesh_person"):
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
    async with bulk_loaded(conn, "linked_record"):
        await conn.copy_records_to_table(
            "linked_record",
            columns=list(RECORD_COLUMNS),
            records=record_rows(records, range(len(records)), [person_ids[p] for p in person_of]),
        )
    await store_review_pairs(conn, records, clustering, run_id)
    await finish_run(conn, run_id, len(records), clustering.persons, clustering.households)
    return StoredRun(run_id, person_ids, household_ids, kept_persons, kept_households)


async def index_for_deltas(conn: asyncpg.Connection) -> int:
    """Build the indexes a delta looks records up by, where missing (after a whole run's
    commit: readers and deltas are not kept waiting by it); returns how many were built."""
    built = 0
    for name, definition in DELTA_INDEXES.items():
        exists = await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", name)
        if not exists:
            await conn.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")
            built += 1
    if built:
        await conn.execute("ANALYZE linked_record")
    return built


def record_rows(
    records: RecordSet, positions: Sequence[int], mesh_ids: Sequence[str]
) -> Iterator[tuple[object, ...]]:
    """``linked_record`` rows (``RECORD_COLUMNS``) for the records at ``positions``, built a
    column at a time (a few microseconds a row, for millions of rows)."""
    agencies, agency_of = records.agencies, records.agency_of
    refs, tokens = memoryview(records.refs), memoryview(records.address_tokens)
    width, missing = len(_MISSING), _MISSING
    days: dict[int, date] = {}
    confirmed = records.confirmed
    columns = [
        [agencies[agency_of[i]] for i in positions],
        [PERSON] * len(positions),
        [refs[i * width : (i + 1) * width].tobytes() for i in positions],
        mesh_ids,
        *([key[i] or None for i in positions] for key in map(records.keys, KEY_COLUMNS)),
        [
            None if (t := tokens[i * width : (i + 1) * width].tobytes()) == missing else t
            for i in positions
        ],
        [
            (days.get(d) or days.setdefault(d, date.fromordinal(d)))
            if (d := confirmed[i])
            else None
            for i in positions
        ],
    ]
    return zip(*columns, strict=True)


async def store_review_pairs(
    conn: asyncpg.Connection, records: RecordSet, clustering: Clustering, run_id: int
) -> None:
    """Keep the clusterer's borderline pairs, by reference, for clerical review."""
    agencies, agency_of = records.agencies, records.agency_of
    await conn.executemany(
        "INSERT INTO linkage_review_pair (run_id, agency_l, record_ref_l, agency_r, record_ref_r, "
        "match_weight, linked) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [
            (
                run_id,
                agencies[agency_of[pair.left]],
                records.ref(pair.left),
                agencies[agency_of[pair.right]],
                records.ref(pair.right),
                pair.match_weight,
                pair.linked,
            )
            for pair in clustering.borderline
        ],
    )


async def _person_ids(
    conn: asyncpg.Connection, records: RecordSet, clustering: Clustering
) -> tuple[list[str], int]:
    ids: list[str | None] = [None] * clustering.persons
    kept = 0
    if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM linked_record)"):
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
        async for row in conn.cursor(_PREVIOUS_PERSON_IDS, prefetch=50_000):
            ids[row["person"]] = row["mesh_id"]
            kept += 1
    return [mesh_id or new_person_id() for mesh_id in ids], kept


async def _household_ids(conn: asyncpg.Connection, clustering: Clustering) -> tuple[list[str], int]:
    ids: list[str | None] = [None] * clustering.households
    kept = 0
    if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM mesh_household)"):
        await conn.execute(
            "CREATE TEMP TABLE new_household (household integer, address_token bytea) "
            "ON COMMIT DROP"
        )
        await conn.copy_records_to_table(
            "new_household", records=enumerate(clustering.household_tokens)
        )
        await conn.execute("ANALYZE new_household")
        async for row in conn.cursor(_PREVIOUS_HOUSEHOLD_IDS, prefetch=50_000):
            if ids[row["household"]] is None:
                ids[row["household"]] = row["mesh_id"]
                kept += 1
    return [mesh_id or new_household_id() for mesh_id in ids], kept
