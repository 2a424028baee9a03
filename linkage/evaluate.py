"""How good is the linkage? Compare the agencies' crosswalks with the synthetic ground truth.

Only evaluation reads the ``truth`` database. Every agency's person crosswalk and the index's
person -> household table are streamed (COPY out, COPY in, through a small queue) into temporary
tables beside the truth, and PostgreSQL counts pairs from cluster intersections, so memory stays
flat whatever the population and no pair is ever materialised:

* true positive pairs = sum over (mesh person, true person) cells of C(n, 2)
* predicted pairs = sum over mesh persons of C(n, 2); true pairs = sum over true persons of C(n, 2)

A record without a crosswalk row counts as a cluster of its own. Household scores are the same
pairwise measure over records: the mesh household of the record's mesh person against the true
household of its true person (a record whose person has no household is a household of its own).

Cluster measures, for persons and households alike: how many mesh clusters there are against
true ones, how many hold exactly the records of one true cluster, how many merge two or more
true clusters, and how many true clusters are split over two or more mesh ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg

from store.dsn import ServerAddress
from store.server import connect
from subgraphs.registry import AGENCIES, INDEX

TRUTH = "truth"
_QUEUE_CHUNKS = 16

_SCORED = """
CREATE TEMP TABLE scored AS
SELECT t.person_id, p.household_id AS true_household,
       coalesce(c.mesh_id, 'unlinked:' || t.agency || ':' || t.local_id) AS mesh_id,
       c.mesh_id IS NOT NULL AS linked, h.household_id AS mesh_household
FROM truth_record t
JOIN truth_person p ON p.person_id = t.person_id
LEFT JOIN predicted c ON c.agency = t.agency AND c.local_id = t.local_id
LEFT JOIN person_household h ON h.mesh_id = c.mesh_id
WHERE t.agency = ANY($1::text[])
"""

_PAIRS = """
SELECT coalesce(sum(n * (n - 1) / 2), 0)::bigint
FROM (SELECT count(*)::bigint AS n FROM scored {where} GROUP BY {by}) g
"""

_COUNTS = """
SELECT count(*) AS records,
       count(*) FILTER (WHERE NOT linked) AS unlinked,
       count(*) FILTER (WHERE mesh_household IS NULL) AS unhoused,
       count(DISTINCT mesh_id) FILTER (WHERE linked) AS persons,
       count(DISTINCT person_id) AS true_persons,
       (SELECT count(*) FROM truth_person) AS population
FROM scored
"""
# Cluster measures of a predicted clustering {predicted} against a true one {true}.
_CLUSTERS = """
WITH cells AS (
    SELECT {predicted} AS mesh_key, {true} AS true_key FROM scored GROUP BY 1, 2
), parts AS (
    SELECT mesh_key, true_key,
           count(*) OVER (PARTITION BY mesh_key) AS mesh_parts,
           count(*) OVER (PARTITION BY true_key) AS true_parts
    FROM cells
)
SELECT count(DISTINCT mesh_key) AS predicted,
       count(DISTINCT true_key) AS true_clusters,
       count(*) FILTER (WHERE mesh_parts = 1 AND true_parts = 1) AS exact,
       count(DISTINCT mesh_key) FILTER (WHERE mesh_parts > 1) AS merged,
       count(DISTINCT true_key) FILTER (WHERE true_parts > 1) AS split
FROM parts
"""


@dataclass(frozen=True)
class PairScores:
    true_positive_pairs: int
    predicted_pairs: int
    true_pairs: int

    @property
    def precision(self) -> float:
        return self.true_positive_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class ClusterScores:
    predicted: int  # mesh clusters
    true: int  # true clusters
    exact: int  # mesh clusters holding exactly the records of one true cluster
    merged: int  # mesh clusters holding records of two or more true clusters
    split: int  # true clusters spread over two or more mesh clusters

    @property
    def exact_share(self) -> float:
        """Share of true clusters found exactly."""
        return self.exact / self.true if self.true else 1.0


@dataclass(frozen=True)
class LinkageScores:
    """Pairwise person and household scores, and how the counts compare with the truth."""

    records: int  # agency person records scored
    unlinked_records: int  # without a crosswalk row
    unhoused_records: int  # whose mesh person has no mesh household
    persons: int  # distinct mesh persons among them
    true_persons: int  # distinct true people behind them
    population: int  # true people, with records or not
    person_pairs: PairScores
    household_pairs: PairScores
    person_clusters: ClusterScores
    household_clusters: ClusterScores
    seconds: float

    @property
    def merged_persons(self) -> int:
        """Mesh persons holding records of more than one true person."""
        return self.person_clusters.merged

    @property
    def split_persons(self) -> int:
        """True people spread over more than one mesh person."""
        return self.person_clusters.split

    @property
    def precision(self) -> float:
        return self.person_pairs.precision

    @property
    def recall(self) -> float:
        return self.person_pairs.recall

    @property
    def f1(self) -> float:
        return self.person_pairs.f1


async def evaluate(address: ServerAddress, agencies: tuple[str, ...] = AGENCIES) -> LinkageScores:
    """Score the current crosswalks against the truth database."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    truth = await connect(address, TRUTH)
    try:
        async with truth.transaction():
            await truth.execute(
                "CREATE TEMP TABLE predicted (agency text, local_id text, mesh_id text) "
                "ON COMMIT DROP"
            )
            await truth.execute(
                "CREATE TEMP TABLE person_household (mesh_id text, household_id text) "
                "ON COMMIT DROP"
            )
            for agency in agencies:
                source = await connect(address, agency)
                try:
                    await _pipe(
                        source,
                        f"SELECT {_literal(agency)}::text, local_id, mesh_id "
                        "FROM mesh_crosswalk WHERE entity = 'Person'",
                        truth,
                        "predicted",
                    )
                finally:
                    await source.close()
            index = await connect(address, INDEX)
            try:
                await _pipe(
                    index,
                    "SELECT mesh_id, household_id FROM mesh_person",
                    truth,
                    "person_household",
                )
            finally:
                await index.close()
            await truth.execute("CREATE INDEX ON predicted (agency, local_id)")
            await truth.execute("CREATE INDEX ON person_household (mesh_id)")
            await truth.execute("ANALYZE predicted; ANALYZE person_household")
            await truth.execute(_SCORED, list(agencies))
            await truth.execute("ANALYZE scored")
            counts = await truth.fetchrow(_COUNTS)
            assert counts is not None
            persons = PairScores(
                await _pairs(truth, "", "mesh_id, person_id"),
                await _pairs(truth, "", "mesh_id"),
                await _pairs(truth, "", "person_id"),
            )
            has_household = "WHERE mesh_household IS NOT NULL"
            households = PairScores(
                await _pairs(truth, has_household, "mesh_household, true_household"),
                await _pairs(truth, has_household, "mesh_household"),
                await _pairs(truth, "", "true_household"),
            )
            person_clusters = await _clusters(truth, "mesh_id", "person_id")
            household_clusters = await _clusters(
                truth, "coalesce(mesh_household, 'unhoused:' || mesh_id)", "true_household"
            )
            await truth.execute("DROP TABLE scored")
    finally:
        await truth.close()
    return LinkageScores(
        records=counts["records"],
        unlinked_records=counts["unlinked"],
        unhoused_records=counts["unhoused"],
        persons=counts["persons"],
        true_persons=counts["true_persons"],
        population=counts["population"],
        person_pairs=persons,
        household_pairs=households,
        person_clusters=person_clusters,
        household_clusters=household_clusters,
        seconds=loop.time() - started,
    )


async def _clusters(conn: asyncpg.Connection, predicted: str, true: str) -> ClusterScores:
    row = await conn.fetchrow(_CLUSTERS.format(predicted=predicted, true=true))
    assert row is not None
    names = ("predicted", "true_clusters", "exact", "merged", "split")
    return ClusterScores(*(int(row[name]) for name in names))


async def _pairs(conn: asyncpg.Connection, where: str, by: str) -> int:
    value = await conn.fetchval(_PAIRS.format(where=where, by=by))
    return int(value)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


async def _pipe(
    source: asyncpg.Connection, query: str, target: asyncpg.Connection, table: str
) -> None:
    """Stream a query's rows from one database into a table of another (binary COPY)."""
    chunks: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=_QUEUE_CHUNKS)

    async def put(chunk: bytes) -> None:
        await chunks.put(chunk)

    async def produce() -> None:
        await source.copy_from_query(query, output=put, format="binary")
        await chunks.put(None)  # on failure the task group cancels the consumer instead

    async def consume() -> AsyncIterator[bytes]:
        while (chunk := await chunks.get()) is not None:
            yield chunk

    async with asyncio.TaskGroup() as group:
        group.create_task(produce())
        group.create_task(target.copy_to_table(table, source=consume(), format="binary"))
