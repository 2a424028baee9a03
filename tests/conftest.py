"""Shared fixtures: one real PostgreSQL for the whole session, never SQLite or a mock.

The server is the one the project itself uses (``MESH_PG_DSN`` or the embedded server), with
the test suite's databases kept apart by a prefix so a running demo is never touched.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.required_tools import require_node

if TYPE_CHECKING:
    from linkage.index_side.probabilistic import SplinkClusterer

from authz.context_token import ContextSigner, ensure_gateway_keys
from store import STORES, PostgresServerHandle, ServerAddress, open_server
from store.migrate import migrate_all, quote_ident
from store.server import connect_database
from store.settings import MeshSettings

TEST_PREFIX = os.environ.get("MESH_TEST_DB_PREFIX", "test_")

# Where this session's keys live (made by the ``gateway_keys`` fixture, not at import).
TEST_KEYS_DIR = Path(tempfile.gettempdir()) / f"civic-mesh-test-keys-{os.getpid()}"
TEST_PEOPLE = 3_000
TEST_SEED = 8  # a population with every group the tests need (opted-out social care…)


def settings_for_tests() -> MeshSettings:
    return MeshSettings(db_prefix=TEST_PREFIX)


async def drop_databases(address: ServerAddress, prefix: str) -> None:
    conn = await connect_database(address, "postgres")
    try:
        names = [
            r["datname"]
            for r in await conn.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1", prefix + "%"
            )
        ]
        for name in names:
            await conn.execute(f"DROP DATABASE {quote_ident(name)} WITH (FORCE)")
    finally:
        await conn.close()


@pytest.fixture(scope="session", autouse=True)
def gateway_keys() -> Iterator[ContextSigner]:
    """The gateway's context-signing key for this session. Subgraphs (in-process, and the
    processes tests start, which inherit the environment) verify X-Mesh-Context against its
    public JWKS, named in MESH_SUBGRAPH_GATEWAY_JWKS for the session only."""
    signer, jwks = ensure_gateway_keys(TEST_KEYS_DIR)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MESH_SUBGRAPH_GATEWAY_JWKS", str(jwks))
        yield signer
    shutil.rmtree(TEST_KEYS_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServerHandle]:
    handle = open_server(settings_for_tests())
    yield handle
    if handle.started_here:
        handle.stop()


@pytest.fixture(scope="session")
def pg_address(pg_server: PostgresServerHandle) -> ServerAddress:
    """A clean, migrated set of test databases."""
    address = pg_server.address
    asyncio.run(drop_databases(address, TEST_PREFIX))
    asyncio.run(migrate_all(address, STORES))
    return address


@pytest.fixture(scope="session")
def seeded(pg_address: ServerAddress) -> ServerAddress:
    """The test databases loaded with a small synthetic population (once per session)."""
    from devtools.seed import seed

    asyncio.run(seed(pg_address, TEST_PEOPLE, TEST_SEED, reset=True))
    return pg_address


@pytest.fixture(scope="session")
def linked(seeded: ServerAddress) -> ServerAddress:
    """The seeded test databases with linkage run: crosswalks and the index are filled."""
    from linkage.exchange import link_all

    asyncio.run(link_all(seeded, LINKAGE_TEST_KEY, None, linkage_clusterer()))
    return seeded


LINKAGE_TEST_KEY = bytes.fromhex("6c696e6b6167652d746573742d6b6579" * 2)
# The session's linkage model: trained by the first link on the test population.
LINKAGE_TEST_MODEL = Path(tempfile.mkdtemp(prefix="civic-mesh-test-model-")) / "linkage-model.json"


def linkage_clusterer(*, retrain: bool = False) -> SplinkClusterer:
    """The default (Fellegi-Sunter) clusterer with the session's model."""
    from linkage.index_side.probabilistic import SplinkClusterer
    from linkage.key import key_check

    return SplinkClusterer(LINKAGE_TEST_MODEL, key_check(LINKAGE_TEST_KEY), retrain=retrain)


pytest_plugins = ["tests.gateway_fixtures"]


@pytest.fixture
def node() -> None:
    """Node and npm (for tests that drive Apollo's libraries or graphql-http's audit)."""
    require_node()
