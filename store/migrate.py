"""Create the stores and apply each one's SQL migrations in order, exactly once.

Every store keeps a ``schema_migrations`` table. Each file applies in its own transaction
together with its bookkeeping row, so a failed file leaves nothing half-applied. A file whose
text changed after it was applied is refused rather than silently skipped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import asyncpg

from store.catalog import STORES, Store
from store.dsn import ServerAddress
from store.server import connect, connect_database

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     text PRIMARY KEY,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)
"""


class MigrationError(RuntimeError):
    """A migration failed or an applied migration was edited."""


@dataclass(frozen=True)
class MigrationReport:
    store: str
    applied: tuple[str, ...]
    already: int


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def ensure_databases(address: ServerAddress, stores: tuple[Store, ...] = STORES) -> list[str]:
    """Create any missing database; returns the names created."""
    conn = await connect_database(address, "postgres")
    try:
        existing = {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
        created = []
        for store in stores:
            name = address.database_name(store.name)
            if name not in existing:
                await conn.execute(f"CREATE DATABASE {quote_ident(name)}")
                created.append(name)
        return created
    finally:
        await conn.close()


def _checksum(sql: str) -> str:
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()


async def migrate_store(address: ServerAddress, store: Store) -> MigrationReport:
    """Apply the store's pending migrations; re-running is a no-op."""
    conn = await connect(address, store.name)
    try:
        await conn.execute(_BOOKKEEPING)
        done = {
            r["version"]: r["checksum"]
            for r in await conn.fetch("SELECT version, checksum FROM schema_migrations")
        }
        applied: list[str] = []
        for version, sql in store.migration_sources():
            checksum = _checksum(sql)
            if version in done:
                if done[version] != checksum:
                    raise MigrationError(
                        f"{store.name}: migration {version} changed after it was applied; "
                        "add a new migration instead of editing an applied one"
                    )
                continue
            try:
                async with conn.transaction():
                    await conn.execute(sql)
                    await conn.execute(
                        "INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)",
                        version,
                        checksum,
                    )
            except asyncpg.PostgresError as exc:
                raise MigrationError(f"{store.name}: migration {version} failed: {exc}") from exc
            applied.append(version)
        return MigrationReport(store.name, tuple(applied), len(done))
    finally:
        await conn.close()


async def migrate_all(
    address: ServerAddress, stores: tuple[Store, ...] = STORES
) -> list[MigrationReport]:
    """Create missing databases, then migrate every store."""
    await ensure_databases(address, stores)
    return [await migrate_store(address, store) for store in stores]
