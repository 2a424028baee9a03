"""The store lifecycle and the migration runner, against the real server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from store import STORES, ServerAddress, Store, StoreUnreachable, open_server
from store.migrate import MigrationError, migrate_all, migrate_store
from store.server import connect, connect_database
from store.settings import MeshSettings
from subgraphs.registry import AGENCIES


def test_every_agency_index_and_governance_has_a_database(pg_address: ServerAddress) -> None:
    async def names() -> set[str]:
        conn = await connect_database(pg_address, "postgres")
        try:
            return {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
        finally:
            await conn.close()

    present = asyncio.run(names())
    for store in (*AGENCIES, "index", "governance", "truth"):
        assert pg_address.database_name(store) in present


def test_migrating_twice_applies_nothing_the_second_time(pg_address: ServerAddress) -> None:
    again = asyncio.run(migrate_all(pg_address, STORES))
    assert again and all(report.applied == () for report in again)
    agency_reports = [r for r in again if r.store in AGENCIES]
    assert len(agency_reports) == len(AGENCIES)
    assert all(r.already >= 1 for r in agency_reports), "each agency owns at least one migration"


def test_each_agency_store_offers_the_identity_view(pg_address: ServerAddress) -> None:
    expected = [
        "local_id",
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "address_line",
        "postcode",
        "uprn",
        "address_confirmed_on",
    ]

    async def columns(agency: str) -> list[str]:
        conn = await connect(pg_address, agency)
        try:
            rows = await conn.fetch(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'mesh_identity' ORDER BY ordinal_position"
            )
            return [r["column_name"] for r in rows]
        finally:
            await conn.close()

    for agency in AGENCIES:
        assert asyncio.run(columns(agency)) == expected, agency


def _scratch_store(tmp_path: Path, files: dict[str, str]) -> Store:
    folder = tmp_path / "migrations"
    folder.mkdir(exist_ok=True)
    for name, sql in files.items():
        (folder / name).write_text(sql)
    return Store("scratch", "agency", folder)


def test_edited_migration_is_refused(pg_address: ServerAddress, tmp_path: Path) -> None:
    store = _scratch_store(tmp_path, {"001_first.sql": "CREATE TABLE thing (id int);"})
    asyncio.run(migrate_all(pg_address, (store,)))
    (tmp_path / "migrations" / "001_first.sql").write_text("CREATE TABLE thing (id bigint);")
    with pytest.raises(MigrationError, match="changed after it was applied"):
        asyncio.run(migrate_store(pg_address, store))


def test_failed_migration_leaves_nothing_half_applied(
    pg_address: ServerAddress, tmp_path: Path
) -> None:
    store = _scratch_store(
        tmp_path,
        {
            "001_ok.sql": "CREATE TABLE kept (id int);",
            "002_broken.sql": "CREATE TABLE half (id int); SELECT no_such_function();",
        },
    )
    asyncio.run(_reset_scratch(pg_address))
    with pytest.raises(MigrationError, match="002_broken"):
        asyncio.run(migrate_all(pg_address, (store,)))

    async def state() -> tuple[list[str], list[str]]:
        conn = await connect(pg_address, "scratch")
        try:
            versions = [
                r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")
            ]
            tables = [
                r["tablename"]
                for r in await conn.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            return versions, tables
        finally:
            await conn.close()

    versions, tables = asyncio.run(state())
    assert versions == ["001_ok"]
    assert "half" not in tables and "kept" in tables


async def _reset_scratch(address: ServerAddress) -> None:
    conn = await connect_database(address, "postgres")
    try:
        await conn.execute(
            f'DROP DATABASE IF EXISTS "{address.database_name("scratch")}" WITH (FORCE)'
        )
    finally:
        await conn.close()


def test_unreachable_server_names_host_and_database_but_not_password() -> None:
    settings = MeshSettings(
        pg_dsn="postgresql://mesh:s3cret-pw@127.0.0.1:9/civic", connect_timeout=3
    )
    with pytest.raises(StoreUnreachable) as caught:
        open_server(settings)
    message = str(caught.value)
    assert "127.0.0.1" in message and "postgres" in message
    assert "s3cret-pw" not in message
    assert "\n" not in message


def test_server_address_hides_password() -> None:
    address = ServerAddress("postgresql://mesh:pw123@db.example:5433/postgres", "x_")
    assert address.dsn("health") == "postgresql://mesh:pw123@db.example:5433/x_health"
    assert "pw123" not in address.without_password()
    assert address.describe("x_health") == "host db.example port 5433 database x_health"
