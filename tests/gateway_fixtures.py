"""Gateway fixtures shared by the gateway test modules (registered as a pytest plugin in
conftest, so the subgraph processes start once per session)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
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
from tests.mesh_services import ROOT, free_ports, running_subgraphs

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


@pytest.fixture(scope="session")
def served_gateway(
    subgraph_urls: dict[str, str], linked: ServerAddress, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """``mesh gateway serve`` as a process, its output (the JSON logs) in a file."""
    (port,) = free_ports(1)
    log_file = tmp_path_factory.mktemp("gateway") / "gateway.log"
    env = {
        **os.environ,
        "MESH_DB_PREFIX": TEST_PREFIX,
        "MESH_DATA_DIR": str(TEST_KEYS_DIR),
        "MESH_GATEWAY_SUBGRAPHS": json.dumps(subgraph_urls),
        "MESH_GATEWAY_AUDIT_DSN": linked.dsn("governance"),
        "MESH_GATEWAY_LOG_LEVEL": "INFO",
    }
    for variable in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        env.pop(variable, None)
    argv = [sys.executable, "-m", "mesh", "gateway", "serve", "--port", str(port)]
    with log_file.open("wb") as out:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                assert process.poll() is None, log_file.read_text()
                try:
                    if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            else:
                raise TimeoutError(f"the gateway never became ready:\n{log_file.read_text()}")
            yield url, log_file
        finally:
            process.terminate()
            process.wait(timeout=15)
