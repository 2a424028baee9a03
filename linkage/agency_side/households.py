"""Tell each agency which mesh household its people are in, after the crosswalk is written.

The index placed every mesh person in a household; the agency keeps that for its own people
only (``mesh_household_member``), so it can answer cohort and aggregate questions with
pseudonymous household ids without asking the index at query time. Only mesh ids cross.

A whole run hands each agency the pairs of its own people, straight from the run just stored
(:meth:`linkage.index_side.store.StoredRun.household_members`); a delta only those of the
persons it touched (:class:`Touched`); otherwise they are read back from the index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import asyncpg

from store.bulk import bulk_loaded

Members = Sequence[tuple[str, str]]
"""(mesh person id, mesh household id) pairs."""

_INDEX_MEMBERS = """
SELECT DISTINCT l.agency, p.mesh_id, p.household_id
FROM linked_record l JOIN mesh_person p ON p.mesh_id = l.mesh_id
WHERE l.entity = 'Person' AND p.household_id IS NOT NULL
"""
_INDEX_MEMBERS_OF = (
    "SELECT mesh_id, household_id FROM mesh_person "
    "WHERE mesh_id = ANY($1::text[]) AND household_id IS NOT NULL"
)
_COUNT_MEMBERS = """
UPDATE mesh_household h SET members = s.members
FROM (SELECT household_id, count(*)::int AS members FROM mesh_person
      WHERE household_id IS NOT NULL GROUP BY household_id) s
WHERE s.household_id = h.mesh_id AND h.members IS DISTINCT FROM s.members
"""
_COUNT_MEMBERS_OF = """
UPDATE mesh_household h SET members = s.members
FROM (SELECT household_id, count(*)::int AS members FROM mesh_person
      WHERE household_id = ANY($1::text[]) GROUP BY household_id) s
WHERE s.household_id = h.mesh_id AND h.members IS DISTINCT FROM s.members
"""


@dataclass(frozen=True)
class Touched:
    """What a linkage delta changed: per agency, the mesh persons of its records whose id,
    records or household may have changed (ids before and after); and the households they
    were or are in."""

    persons: Mapping[str, Sequence[str]]
    households: Sequence[str]

    def all_persons(self) -> list[str]:
        return sorted({mesh_id for held in self.persons.values() for mesh_id in held})


async def index_household_members(index: asyncpg.Connection) -> dict[str, list[tuple[str, str]]]:
    """Each agency's people's (mesh person, mesh household) pairs, read from the index, which
    also counts each household's size again (``mesh_household.members``, for statistics)."""
    await index.execute(_COUNT_MEMBERS)
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    async with index.transaction():
        async for row in index.cursor(_INDEX_MEMBERS, prefetch=50_000):
            members[row[0]].append((row[1], row[2]))
    return members


async def index_household_members_of(
    index: asyncpg.Connection, touched: Touched
) -> dict[str, list[tuple[str, str]]]:
    """Per agency, the (mesh person, mesh household) pairs of the persons a delta touched
    there; the touched households' sizes are counted again."""
    await index.execute(_COUNT_MEMBERS_OF, list(touched.households))
    rows = await index.fetch(_INDEX_MEMBERS_OF, touched.all_persons())
    household = {r["mesh_id"]: r["household_id"] for r in rows}
    return {
        agency: [(p, household[p]) for p in held if p in household]
        for agency, held in touched.persons.items()
    }


async def write_household_members(conn: asyncpg.Connection, members: Members) -> int:
    """Replace the agency's ``mesh_household_member`` with its own people's households."""
    async with conn.transaction():
        await conn.execute("TRUNCATE mesh_household_member")
        async with bulk_loaded(conn, "mesh_household_member"):
            await conn.copy_records_to_table(
                "mesh_household_member", columns=["mesh_id", "household_id"], records=members
            )
    await conn.execute("ANALYZE mesh_household_member")
    return len(members)


async def update_household_members(
    conn: asyncpg.Connection, persons: Sequence[str], members: Members
) -> int:
    """Replace the rows of ``persons`` (touched by a delta) in the agency's
    ``mesh_household_member`` (``members``: their households now, from the index); returns how
    many of the agency's people they are."""
    async with conn.transaction():  # rows that stay as they were are not rewritten
        await conn.execute(
            "CREATE TEMP TABLE touched_member ON COMMIT DROP AS "
            "SELECT DISTINCT ON (m.mesh_id) m.mesh_id, m.household_id "
            "FROM unnest($1::text[], $2::text[]) AS m (mesh_id, household_id) "
            "JOIN mesh_crosswalk c ON c.entity = 'Person' AND c.mesh_id = m.mesh_id",
            [mesh_id for mesh_id, _ in members],
            [household_id for _, household_id in members],
        )
        await conn.execute(
            "DELETE FROM mesh_household_member h WHERE h.mesh_id = ANY($1::text[]) "
            "AND NOT EXISTS (SELECT 1 FROM touched_member t "
            "WHERE t.mesh_id = h.mesh_id AND t.household_id = h.household_id)",
            list(persons),
        )
        await conn.execute(
            "INSERT INTO mesh_household_member (mesh_id, household_id) "
            "SELECT mesh_id, household_id FROM touched_member ON CONFLICT (mesh_id) DO NOTHING"
        )
        held: int = await conn.fetchval("SELECT count(*) FROM touched_member")
    return held


async def refresh_needs(
    conn: asyncpg.Connection, agency: str, persons: Sequence[str] | None = None
) -> int | None:
    """Re-evaluate the agency's needs indicators for its new households (None: it has none):
    everyone's, or those of ``persons`` only (mesh ids a delta touched)."""
    from subgraphs.kit.needs.catalogue import agency_catalogue
    from subgraphs.kit.needs.evaluate import refresh, refresh_persons

    catalogue = agency_catalogue(agency)
    if catalogue is None:
        return None
    if persons is None:
        return await refresh(conn, catalogue)
    return await refresh_persons(conn, catalogue, persons)
