"""Tell each agency which mesh household its people are in, after the crosswalk is written.

The index placed every mesh person in a household; the agency keeps that for its own people
only (``mesh_household_member``), so it can answer cohort and aggregate questions with
pseudonymous household ids without asking the index at query time. Only mesh ids cross.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

_INDEX_MEMBERS = "SELECT mesh_id, household_id FROM mesh_person WHERE household_id IS NOT NULL"
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
UPDATE mesh_household h SET members = (
    SELECT count(*)::int FROM mesh_person p WHERE p.household_id = h.mesh_id)
WHERE h.mesh_id = ANY($1::text[])
"""


@dataclass(frozen=True)
class Touched:
    """What a linkage delta changed: the mesh persons whose id, records or household may have
    changed (ids before and after), and the households they were or are in."""

    persons: Sequence[str]
    households: Sequence[str]


async def index_household_members(index: asyncpg.Connection) -> bytes:
    """Every (mesh person, mesh household) pair, as COPY text, read once for all agencies;
    the index also keeps each household's size (``mesh_household.members``) for statistics."""
    await index.execute(_COUNT_MEMBERS)
    buffer = io.BytesIO()
    await index.copy_from_query(_INDEX_MEMBERS, output=buffer)
    return buffer.getvalue()


async def write_household_members(conn: asyncpg.Connection, members: bytes) -> int:
    """Replace the agency's ``mesh_household_member`` with its own people's households."""
    async with conn.transaction():
        await conn.execute(
            "CREATE TEMP TABLE index_member (mesh_id text, household_id text) ON COMMIT DROP"
        )
        await conn.copy_to_table("index_member", source=io.BytesIO(members))
        await conn.execute("TRUNCATE mesh_household_member")
        status = await conn.execute(
            """
            INSERT INTO mesh_household_member (mesh_id, household_id)
            SELECT DISTINCT ON (m.mesh_id) m.mesh_id, m.household_id
            FROM index_member m
            JOIN mesh_crosswalk c ON c.entity = 'Person' AND c.mesh_id = m.mesh_id
            """
        )
        await conn.execute("ANALYZE mesh_household_member")
    return int(status.split()[-1])


async def index_household_members_of(
    index: asyncpg.Connection, touched: Touched
) -> list[tuple[str, str]]:
    """The (mesh person, mesh household) pairs of the persons a delta touched; the touched
    households' sizes are counted again."""
    await index.execute(_COUNT_MEMBERS_OF, list(touched.households))
    rows = await index.fetch(_INDEX_MEMBERS_OF, list(touched.persons))
    return [(r["mesh_id"], r["household_id"]) for r in rows]


async def update_household_members(
    conn: asyncpg.Connection, touched: Touched, members: Sequence[tuple[str, str]]
) -> int:
    """Replace the touched persons' rows of the agency's ``mesh_household_member`` (``members``:
    their households now, from the index); returns how many of the agency's people they are."""
    async with conn.transaction():
        await conn.execute(
            "DELETE FROM mesh_household_member WHERE mesh_id = ANY($1::text[])",
            list(touched.persons),
        )
        status = await conn.execute(
            """
            INSERT INTO mesh_household_member (mesh_id, household_id)
            SELECT DISTINCT ON (m.mesh_id) m.mesh_id, m.household_id
            FROM unnest($1::text[], $2::text[]) AS m (mesh_id, household_id)
            JOIN mesh_crosswalk c ON c.entity = 'Person' AND c.mesh_id = m.mesh_id
            """,
            [mesh_id for mesh_id, _ in members],
            [household_id for _, household_id in members],
        )
    return int(status.split()[-1])


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
