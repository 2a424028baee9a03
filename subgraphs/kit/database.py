"""A subgraph's asyncpg pool, with a statement counter that tests read.

The counter is fed by asyncpg's own query logger on every pooled connection, so it counts
what really reached PostgreSQL, not what the kit meant to send. asyncpg's own housekeeping
(type introspection, the reset on release) and the access log's insert are left out: only the
data statements the subgraph issued.
"""

import asyncio
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from graphql import GraphQLError

from subgraphs.kit.metrics import SubgraphMetrics
from subgraphs.kit.settings import SubgraphSettings
from subgraphs.kit.tracing import SubgraphTracing


class DatabaseUnavailable(GraphQLError):
    """The subgraph's own database cannot be reached right now (a GraphQL error with a code)."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"database unavailable: {reason}", extensions={"code": "DATABASE_UNAVAILABLE"}
        )


class Database:
    """The pool of one subgraph's own database."""

    def __init__(
        self,
        dsn: str,
        settings: SubgraphSettings,
        *,
        metrics: SubgraphMetrics | None = None,
        tracing: SubgraphTracing | None = None,
    ) -> None:
        self._dsn = dsn
        self._settings = settings
        self._metrics = metrics
        self._tracing = tracing
        self.name = urlsplit(dsn).path.lstrip("/") or "postgres"
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
                        reset=_return_as_is,
                        timeout=5,
                    )
                except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
                    raise DatabaseUnavailable(_reason(exc)) from None
        return self._pool

    async def fetch(self, sql: str, *args: Any, counted: bool = True) -> Sequence[asyncpg.Record]:
        """Rows of one statement; ``counted=False`` for bookkeeping (the access log's insert),
        which stays out of the data statements' counter, SQL metrics and spans (its time is in
        the request's)."""
        pool = await self.pool()
        if counted:
            self._issued.add(sql)
        started, ok = time.perf_counter(), False
        try:
            if self._tracing is None or not counted:
                rows = await pool.fetch(sql, *args)
            else:
                with self._tracing.sql(sql, self.name):
                    rows = await pool.fetch(sql, *args)
            ok = True
            return rows
        except (
            TimeoutError,
            OSError,
            asyncpg.exceptions.ConnectionDoesNotExistError,
            asyncpg.exceptions.CannotConnectNowError,
        ) as exc:
            raise DatabaseUnavailable(_reason(exc)) from None
        finally:
            if self._metrics is not None and counted:
                self._metrics.observe_sql(time.perf_counter() - started, ok)

    def pool_usage(self) -> tuple[int, int, int] | None:
        """Connections (in use, idle, maximum); None before the pool is opened."""
        if self._pool is None:
            return None
        idle = self._pool.get_idle_size()
        return self._pool.get_size() - idle, idle, self._pool.get_max_size()

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


async def _return_as_is(conn: asyncpg.Connection) -> None:
    """Give a connection back to the pool without asyncpg's reset statement (advisory unlock,
    CLOSE ALL, UNLISTEN, RESET ALL): the kit sends single statements and sets no session state,
    and that round trip on every release was 18 % of a governed subgraph's busy time under the
    bench's load. A transaction somebody left open is still rolled back."""
    if conn.is_in_transaction():
        await conn.execute("ROLLBACK")


def _reason(exc: BaseException) -> str:
    return (
        type(exc).__name__
        if isinstance(exc, asyncio.TimeoutError)
        else str(exc) or type(exc).__name__
    )
