"""Bulk loading: COPY into a table without paying for its indexes row by row."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

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
async def bulk_loaded(conn: asyncpg.Connection, table: str) -> AsyncIterator[None]:
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
