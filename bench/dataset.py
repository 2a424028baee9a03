"""The bench's own synthetic Greater Manchester (databases ``bench_*``), and ids from it.

A run reuses the data when the stores already hold the requested population and the index is
linked from it; otherwise it seeds (``devtools.seed``) and/or links (``linkage.exchange``) and
reports how long each took (``make bench-seed`` seeds full GM without linking: the bench links it).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

from devtools.seed import seed
from linkage.exchange import link_all
from linkage.key import load_linkage_key
from linkage.methods import Method, clusterer_for
from store.dsn import ServerAddress
from store.migrate import migrate_all
from store.server import connect
from store.settings import MeshSettings
from subgraphs.registry import INDEX

# Deterministic "random" order: the same data gives the same ids, run after run.
_PEOPLE = "SELECT mesh_id FROM mesh_person ORDER BY md5(mesh_id) LIMIT $1"
_HOUSEHOLDS = """
SELECT h.mesh_id FROM mesh_household h
WHERE EXISTS (SELECT 1 FROM mesh_person p WHERE p.household_id = h.mesh_id)
ORDER BY md5(h.mesh_id) LIMIT $1
"""
# Linkage finds a few residents' records apart or together (19,927 mesh persons for 20,000):
# an index further off than this was linked from another population and is linked again.
_LINKED_TOLERANCE = 0.1


@dataclass(frozen=True)
class DatasetReport:
    people: int
    seeded: bool  # False: the residents already there were reused
    seed_seconds: float | None = None
    link_seconds: float | None = None
    linked_records: int | None = None
    mesh_persons: int | None = None
    households: int | None = None


async def _count(address: ServerAddress, store: str, sql: str) -> int:
    conn = await connect(address, store)
    try:
        return int(await conn.fetchval(sql))
    finally:
        await conn.close()


async def _present(address: ServerAddress) -> tuple[int, int]:
    """(residents in the ground truth, mesh persons in the index)."""
    people = await _count(address, "truth", "SELECT count(*) FROM truth_person")
    persons = await _count(address, INDEX, "SELECT count(*) FROM mesh_person")
    return people, persons


def _linked(people: int, persons: int) -> bool:
    """Whether the index looks linked from this population (not an earlier, other one)."""
    return abs(persons - people) <= _LINKED_TOLERANCE * people


def prepare(address: ServerAddress, data_dir: Path, people: int, reseed: bool) -> DatasetReport:
    """Seed unless the stores hold ``people`` residents; link unless the index matches them."""
    asyncio.run(migrate_all(address))
    present, persons = asyncio.run(_present(address))
    seed_seconds = link_seconds = None
    if reseed or present != people:
        seed_seconds = asyncio.run(seed(address, people, 1, reset=True)).seconds
    if seed_seconds is None and _linked(people, persons):
        return DatasetReport(people, seeded=False, mesh_persons=persons)
    started = time.perf_counter()
    key = load_linkage_key(data_dir)
    settings = MeshSettings(data_dir=data_dir, db_prefix=address.prefix)
    # the bench links a population of its own: its model is trained on it, every time
    clusterer = clusterer_for(Method.SPLINK, settings, key, retrain=True)
    linked = asyncio.run(link_all(address, key, None, clusterer))
    link_seconds = time.perf_counter() - started
    return DatasetReport(
        people,
        seeded=seed_seconds is not None,
        seed_seconds=seed_seconds,
        link_seconds=link_seconds,
        linked_records=linked.total_records,
        mesh_persons=linked.persons,
        households=linked.households,
    )


async def _ids(address: ServerAddress, sql: str, limit: int) -> list[str]:
    conn = await connect(address, INDEX)
    try:
        return [str(r[0]) for r in await conn.fetch(sql, limit)]
    finally:
        await conn.close()


def sample_ids(address: ServerAddress, limit: int) -> dict[str, list[str]]:
    """``limit`` person ids and household ids, in a fixed order."""
    return {
        "person": asyncio.run(_ids(address, _PEOPLE, limit)),
        "household": asyncio.run(_ids(address, _HOUSEHOLDS, limit)),
    }
