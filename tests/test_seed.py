"""Seeding through COPY: counts, ground truth, all-or-nothing, and the bad-input paths of the
command line (each against the real server)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from devtools.seed import SEEDED_STORES, seed, stored_rows
from devtools.synth import generate
from devtools.synth.agencies import AGENCIES as GENERATORS
from mesh.cli.app import app
from store import STORES, ServerAddress
from store.migrate import migrate_all
from store.server import connect
from subgraphs.registry import AGENCIES
from tests.conftest import TEST_PREFIX, drop_databases

GENERATED_AGENCIES = [name for name, _, _ in GENERATORS]

PEOPLE = 1_500
PREFIX = TEST_PREFIX + "seed_"


@pytest.fixture(scope="module")
def own_stores(pg_address: ServerAddress) -> Iterator[ServerAddress]:
    """A separate set of databases: these tests seed, reseed and break loads on purpose."""
    address = ServerAddress(pg_address.server_dsn, PREFIX)
    asyncio.run(drop_databases(address, PREFIX))
    asyncio.run(migrate_all(address, STORES))
    asyncio.run(seed(address, PEOPLE, 11, reset=True))
    yield address
    asyncio.run(drop_databases(address, PREFIX))


def _counts(address: ServerAddress) -> dict[tuple[str, str], int]:
    async def gather() -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for store in SEEDED_STORES:
            for table, count in (await stored_rows(address, store.name)).items():
                found[(store.name, table)] = count
        return found

    return asyncio.run(gather())


def test_stored_rows_equal_what_the_generator_produces(own_stores: ServerAddress) -> None:
    expected: Counter[tuple[str, str]] = Counter()
    for chunk in generate(PEOPLE, seed=11):
        for rows in chunk:
            expected[(rows.database, rows.table)] += len(rows.rows)
    stored = _counts(own_stores)
    # The seed also records each agency's extract date (the needs indicators count back from it).
    expected.update({(s.name, "mesh_extract"): 1 for s in SEEDED_STORES if s.kind == "agency"})
    assert {k: v for k, v in stored.items() if v} == dict(expected)
    assert stored[("truth", "truth_person")] == PEOPLE


def test_every_agency_record_maps_to_exactly_one_true_person(own_stores: ServerAddress) -> None:
    async def check() -> None:
        truth = await connect(own_stores, "truth")
        try:
            mapped = Counter(
                (r["agency"], r["local_id"])
                for r in await truth.fetch("SELECT agency, local_id FROM truth_record")
            )
        finally:
            await truth.close()
        assert max(mapped.values()) == 1
        for agency in GENERATED_AGENCIES:
            conn = await connect(own_stores, agency)
            try:
                local_ids = [
                    r["local_id"] for r in await conn.fetch("SELECT local_id FROM mesh_identity")
                ]
            finally:
                await conn.close()
            assert local_ids, agency
            assert all((agency, local_id) in mapped for local_id in local_ids), agency
            assert len(local_ids) == sum(1 for a, _ in mapped if a == agency), agency

    asyncio.run(check())


def test_a_failed_seed_leaves_every_store_as_it_was(own_stores: ServerAddress) -> None:
    before = _counts(own_stores)

    async def break_police(install: bool) -> None:
        conn = await connect(own_stores, "police")
        try:
            if install:
                await conn.execute(
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$; "
                    "CREATE TRIGGER refuse BEFORE INSERT ON incident "
                    "FOR EACH STATEMENT EXECUTE FUNCTION refuse();"
                )
            else:
                await conn.execute("DROP TRIGGER refuse ON incident; DROP FUNCTION refuse();")
        finally:
            await conn.close()

    asyncio.run(break_police(True))
    try:
        with pytest.raises(Exception, match="disk on fire"):
            asyncio.run(seed(own_stores, 4_000, 12, reset=True))
    finally:
        asyncio.run(break_police(False))
    assert _counts(own_stores) == before


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mesh", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_people_out_of_range_is_a_usage_error() -> None:
    runner = CliRunner()
    for bad in ("0", "-5", "99999999"):
        result = runner.invoke(app, ["seed", "--people", bad])
        assert result.exit_code == 2, (bad, result.output)
        assert "--people" in result.output


def test_unreachable_server_is_one_line_without_the_password() -> None:
    result = _cli(
        "seed",
        "--people",
        "10",
        MESH_PG_DSN="postgresql://mesh:hunter2@127.0.0.1:9/x",
        MESH_CONNECT_TIMEOUT="3",
    )
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "127.0.0.1" in lines[0] and "database" in lines[0]
    assert "hunter2" not in result.stderr + result.stdout


def test_seeding_over_data_without_reset_refuses_and_says_how(own_stores: ServerAddress) -> None:
    result = _cli("seed", "--people", "10", MESH_DB_PREFIX=PREFIX)
    assert result.returncode == 3
    assert "--reset" in result.stderr
    assert _counts(own_stores)[("truth", "truth_person")] == PEOPLE


def test_agencies_without_a_generator_are_named_not_silently_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from devtools import seed as seeding
    from store.catalog import STORES, Store

    assert seeding.agencies_without_generator() == tuple(
        a for a in AGENCIES if a not in GENERATED_AGENCIES
    )
    probation = Store("probation", "agency", None)
    monkeypatch.setattr(seeding, "STORES", (*STORES, probation))
    assert seeding.agencies_without_generator() == ("probation",)
