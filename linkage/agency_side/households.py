"""Tell each agency which mesh household its people are in, after the crosswalk is written.

The index placed every mesh person in a household; the agency keeps that for its own people
only (``mesh_household_member``), so it can answer cohort and aggregate questions with
pseudonymous household ids without asking the index at query time. Only mesh ids cross.
"""

from __future__ import annotations

import io

import asyncpg

_INDEX_MEMBERS = "SELECT mesh_id, household_id FROM mesh_person WHERE household_id IS NOT NULL"


_COUNT_MEMBERS = """
UPDATE mesh_household h SET members = s.members
FROM (SELECT household_id, count(*)::int AS members FROM mesh_person
      WHERE household_id IS NOT NULL GROUP BY household_id) s
WHERE s.household_id = h.mesh_id AND h.members IS DISTINCT FROM s.members
"""


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


async def refresh_needs(conn: asyncpg.Connection, agency: str) -> int | None:
    """Re-evaluate the agency's needs indicators for its new households (None: it has none)."""
    from subgraphs.kit.needs.catalogue import agency_catalogue
    from subgraphs.kit.needs.evaluate import refresh

    catalogue = agency_catalogue(agency)
    return None if catalogue is None else await refresh(conn, catalogue)
