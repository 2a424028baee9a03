"""Batched row look-ups: one SQL statement per table per request, whatever the fan-out.

An agency writes a statement whose first parameter is the array of keys and whose rows carry
a ``key`` column; ``one``/``many`` route each resolver's key through a DataLoader made for that
statement in this request, so 1,000 people cost one round trip, results in key order.

``one_as``/``many_as`` also build each row into a type: the statement names its columns after
the type's fields (``lcwra_element AS limited_capability_for_work_element``), so every column
but ``key`` is a constructor argument, ``strawberry.Private`` fields included.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import asyncpg
from aiodataloader import DataLoader
from strawberry.types import Info

from subgraphs.kit.context import SubgraphContext

T = TypeVar("T")


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


def _built(row: asyncpg.Record, build: Callable[..., T]) -> T:
    return build(**{column: value for column, value in row.items() if column != "key"})


async def many(info: Info[SubgraphContext, Any], sql: str, key: Hashable) -> list[asyncpg.Record]:
    """All rows of ``sql`` whose ``key`` column equals ``key`` (batched per request)."""
    loaded: list[asyncpg.Record] = await _grouped_loader(info.context, sql).load(key)
    return loaded


async def one(info: Info[SubgraphContext, Any], sql: str, key: Hashable) -> asyncpg.Record | None:
    """The first row for ``key`` or None (batched per request)."""
    rows = await many(info, sql, key)
    return rows[0] if rows else None


async def many_as(
    info: Info[SubgraphContext, Any], sql: str, key: Hashable, build: Callable[..., T]
) -> list[T]:
    """``many``, each row built as ``build(**columns but key)``."""
    return [_built(row, build) for row in await many(info, sql, key)]


async def one_as(
    info: Info[SubgraphContext, Any], sql: str, key: Hashable, build: Callable[..., T]
) -> T | None:
    """``one``, the row built as ``build(**columns but key)``; None when there is none."""
    row = await one(info, sql, key)
    return None if row is None else _built(row, build)


def section_loader(sql: str, record_type: type) -> Any:
    """The usual section loader: one row of ``sql`` per mesh id, built into ``record_type``
    from every column but ``key``; None when the agency does not know the entity."""

    async def load(info: Info[SubgraphContext, Any], mesh_id: str) -> Any:
        return await one_as(info, sql, mesh_id, record_type)

    return load
