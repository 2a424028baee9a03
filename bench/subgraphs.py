"""The eight subgraphs, started once for every gateway, and the requests they receive.

Peers cannot sign the gateway's ``X-Mesh-Context``, so the subgraphs run with
``MESH_SUBGRAPH_REQUIRE_CONTEXT=false`` (our gateway still sends a signed context and they
verify it). They log at INFO into one file each: one JSON line per request
(``"event": "request"``), which is how requests per operation are counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.services import Service, wait_ready
from devtools.topology import port_offsets
from store.dsn import ServerAddress
from subgraphs.registry import known_subgraphs

HOST = "127.0.0.1"
_REQUEST_LINE = b'"event": "request"'


@dataclass(frozen=True)
class SubgraphSet:
    services: tuple[Service, ...]
    urls: dict[str, str]

    def log_offsets(self) -> dict[str, int]:
        return {s.name: _size(s.log_path) for s in self.services}

    def requests_since(self, offsets: Mapping[str, int]) -> dict[str, int]:
        """Requests each subgraph logged after ``offsets`` (from ``log_offsets``)."""
        counts = {}
        for service in self.services:
            with service.log_path.open("rb") as log:
                log.seek(offsets[service.name])
                counts[service.name] = log.read().count(_REQUEST_LINE)
        return counts


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def subgraph_set(
    mesh: list[str],
    address: ServerAddress,
    base_port: int,
    data_dir: Path,
    gateway_jwks: Path,
    log_dir: Path,
) -> SubgraphSet:
    services, urls = [], {}
    offsets = port_offsets(known_subgraphs())
    for name in known_subgraphs():
        port = base_port + offsets[name]
        urls[name] = f"http://{HOST}:{port}/graphql"
        env = {
            "PYTHONUNBUFFERED": "1",
            "MESH_DATA_DIR": str(data_dir),
            "MESH_SUBGRAPH_DSN": address.dsn(name),
            "MESH_SUBGRAPH_GATEWAY_JWKS": str(gateway_jwks),
            "MESH_SUBGRAPH_REQUIRE_CONTEXT": "false",
            "MESH_SUBGRAPH_LOG_LEVEL": "INFO",
        }
        argv = [*mesh, "subgraph", "serve", name, "--host", HOST, "--port", str(port)]
        services.append(Service(f"subgraph-{name}", argv, log_dir / f"{name}.log", env))
    return SubgraphSet(tuple(services), urls)


def start_subgraphs(subgraphs: SubgraphSet, timeout: float = 60.0) -> None:
    for service in subgraphs.services:
        service.start()
    probes = {
        s.name: httpx.Request("GET", url.removesuffix("/graphql") + "/readyz")
        for s, url in zip(subgraphs.services, subgraphs.urls.values(), strict=True)
    }
    wait_ready(subgraphs.services, probes, timeout)
