"""A subgraph's asyncpg pool, with a statement counter that tests read.

The counter is fed by asyncpg's own query logger on every pooled connection, so it counts
what really reached PostgreSQL, not what the kit meant to send. asyncpg's own housekeeping
(type introspection, the reset on release) and the access log's insert are left out: only the
data statements the subgraph issued.
"""

import asyncio
from collections.abc import Sequence
from typing import Any

import asyncpg
from graphql import GraphQLError

from subgraphs.kit.settings import SubgraphSettings


class DatabaseUnavailable(GraphQLError):
    """The subgraph's own database cannot be reached right now (a GraphQL error with a code)."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"database unavailable: {reason}", extensions={"code": "DATABASE_UNAVAILABLE"}
        )


class Database:
    """The pool of one subgraph's own database."""

    def __init__(self, dsn: str, settings: SubgraphSettings) -> None:
        self._dsn = dsn
        self._settings = settings
        self._pool: asyncpg.Pool | None = None
        self._lock = asyncio.Lock()
        self.statements = 0
        self._issued: set[str] = set()

    def _count(self, record: Any) -> None:
        if record.query in self._issued:
            self.statements += 1

    async def _init_connection(self, conn: asyncpg.Connection) -> None:
        conn.add_query_logger(self._count)

    async def pool(self) -> asyncpg.Pool:
        """The pool, created on first use so a subgraph starts even while its store is down."""
        if self._pool is not None:
            return self._pool
        async with self._lock:
            if self._pool is None:
                try:
                    self._pool = await asyncpg.create_pool(
                        self._dsn,
                        min_size=self._settings.pool_min,
                        max_size=self._settings.pool_max,
                        statement_cache_size=self._settings.statement_cache_size,
                        command_timeout=self._settings.command_timeout,
                        init=self._init_connection,
                        timeout=5,
                    )
                except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
                    raise DatabaseUnavailable(_reason(exc)) from None
        return self._pool

    async def fetch(self, sql: str, *args: Any, counted: bool = True) -> Sequence[asyncpg.Record]:
        """Rows of one statement; ``counted=False`` for bookkeeping (the access log) that the
        data-statement counter should not include."""
        pool = await self.pool()
        if counted:
            self._issued.add(sql)
        try:
            return await pool.fetch(sql, *args)
        except (
            TimeoutError,
            OSError,
            asyncpg.exceptions.ConnectionDoesNotExistError,
            asyncpg.exceptions.CannotConnectNowError,
        ) as exc:
            raise DatabaseUnavailable(_reason(exc)) from None

    async def ping(self) -> bool:
        try:
            pool = await self.pool()
            await pool.fetchval("SELECT 1", timeout=2)
            return True
        except (TimeoutError, DatabaseUnavailable, OSError, asyncpg.PostgresError):
            return False

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


def _reason(exc: BaseException) -> str:
    return (
        type(exc).__name__
        if isinstance(exc, asyncio.TimeoutError)
        else str(exc) or type(exc).__name__
    )
