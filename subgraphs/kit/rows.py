"""Batched row look-ups: one SQL statement per table per request, whatever the fan-out.

An agency writes a statement whose first parameter is the array of keys and whose rows carry
a ``key`` column; ``one``/``many`` route each resolver's key through a DataLoader made for that
statement in this request, so 1,000 people cost one round trip, results in key order.
"""

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Any

import asyncpg
from aiodataloader import DataLoader
from strawberry.types import Info

from subgraphs.kit.context import SubgraphContext


def _grouped_loader(context: SubgraphContext, sql: str) -> DataLoader:
    def make() -> DataLoader:
        async def batch(keys: Sequence[Hashable]) -> list[list[asyncpg.Record]]:
            rows = await context.database.fetch(sql, list(keys))
            grouped: dict[Hashable, list[asyncpg.Record]] = defaultdict(list)
            for row in rows:
                grouped[row["key"]].append(row)
            return [grouped.get(key, []) for key in keys]

        return DataLoader(batch, max_batch_size=context.max_batch)

    return context.loaders.get(("rows", sql), make)


async def many(info: Info[SubgraphContext, Any], sql: str, key: Hashable) -> list[asyncpg.Record]:
    """All rows of ``sql`` whose ``key`` column equals ``key`` (batched per request)."""
    loaded: list[asyncpg.Record] = await _grouped_loader(info.context, sql).load(key)
    return loaded


async def one(info: Info[SubgraphContext, Any], sql: str, key: Hashable) -> asyncpg.Record | None:
    """The first row for ``key`` or None (batched per request)."""
    rows = await many(info, sql, key)
    return rows[0] if rows else None


def section_loader(sql: str, record_type: type) -> Any:
    """The usual section loader: one row of ``sql`` per mesh id, built into ``record_type``
    from every column but ``key``; None when the agency does not know the entity."""

    async def load(info: Info[SubgraphContext, Any], mesh_id: str) -> Any:
        row = await one(info, sql, mesh_id)
        if row is None:
            return None
        return record_type(**{k: v for k, v in row.items() if k != "key"})

    return load
