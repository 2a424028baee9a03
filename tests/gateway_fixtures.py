"""Gateway fixtures shared by the gateway test modules (registered as a pytest plugin in
conftest, so the subgraph processes start once per session)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio

from authz.access import Caller
from authz.dev_keys import dev_verifier
from authz.model import Principal
from mesh.federation.http import PipelineHolder
from mesh.gateway import Gateway, GatewaySettings
from mesh.gateway.serve import build_gateway, gateway_app
from mesh.gateway.transport import MeshTransport
from store import ServerAddress
from store.settings import MeshSettings
from tests.conftest import TEST_KEYS_DIR, TEST_PREFIX
from tests.mesh_services import running_subgraphs

SAFEGUARDING_LEAD = Caller(
    principal=Principal("lead-1", "manchester-city-council", ("safeguarding_lead",)),
    purpose="SAFEGUARDING",
    case_reference="CASE-2026-001",
)


@pytest.fixture(scope="session")
def subgraph_urls(linked: ServerAddress) -> Iterator[dict[str, str]]:
    with running_subgraphs(TEST_PREFIX, None) as urls:  # free ports: runs side by side
        yield urls


@pytest_asyncio.fixture(scope="session")
async def raw_gateway(
    subgraph_urls: dict[str, str], linked: ServerAddress
) -> AsyncIterator[Gateway]:
    settings = GatewaySettings(subgraphs=subgraph_urls, audit_dsn=linked.dsn("governance"))
    mesh_settings = MeshSettings(data_dir=TEST_KEYS_DIR, db_prefix=TEST_PREFIX)
    built = await build_gateway(
        settings, attempts=1, mesh_settings=mesh_settings, verifier=dev_verifier(TEST_KEYS_DIR)
    )
    yield built
    await built.aclose()


class AsCaller:
    """A gateway whose execute() runs as a given caller unless told otherwise."""

    def __init__(self, gateway: Gateway, caller: Caller) -> None:
        self.gateway = gateway
        self.caller = caller
        self.transport = gateway.transport
        self.supergraph = gateway.supergraph
        self.settings = gateway.settings

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        return await self.gateway.execute(query, variables, caller=self.caller)

    async def aclose(self) -> None:
        """Close what this copy owns: its transport (the audit log stays shared)."""
        await self.gateway.transport.aclose()


@pytest.fixture()
def gateway(raw_gateway: Gateway) -> AsCaller:
    """The gateway as a safeguarding lead on a case would use it."""
    return AsCaller(raw_gateway, SAFEGUARDING_LEAD)


def gateway_with(gateway: AsCaller, **changes: Any) -> AsCaller:
    """The same composed graph and rules, but a transport with other URLs or timeouts."""
    inner = gateway.gateway
    urls = {**inner.transport.urls, **changes.get("urls", {})}
    transport = MeshTransport(
        urls,
        timeouts=changes.get("timeouts"),
        default_timeout=inner.settings.timeout,
        local=inner.transport.local,
    )
    return AsCaller(inner.with_transport(transport), gateway.caller)


@pytest.fixture(scope="session")
def http_app(raw_gateway: Gateway, subgraph_urls: dict[str, str]) -> Any:
    return gateway_app(
        PipelineHolder(raw_gateway.pipeline), raw_gateway.settings, gateway=lambda: raw_gateway
    )
