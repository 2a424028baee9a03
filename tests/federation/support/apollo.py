"""@apollo/gateway over a corpus: compose each case with Apollo, serve every supergraph from
one Node process, and send probes to it over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from devtools.node_tools import npm_ci
from tests.federation.support.case import Case, Probe
from tests.federation.support.node import (
    PEERS_DIR,
    ApolloComposition,
    compose_with_apollo,
    with_subgraph_urls,
)
from tests.federation.support.server import CorpusServer
from tests.processes import stop_processes

GATEWAYS_SCRIPT = Path(__file__).with_name("apollo_gateways.mjs")
READY_TIMEOUT_SECONDS = 120
REQUEST_TIMEOUT_SECONDS = 30
COMPOSE_WORKERS = 3


@dataclass(frozen=True)
class ApolloCorpus:
    """Apollo's composition of each case and, where it composed and loaded, a gateway URL."""

    compositions: Mapping[str, ApolloComposition]
    gateways: Mapping[str, str]
    load_failures: Mapping[str, str]


@contextmanager
def apollo_gateways(server: CorpusServer, cases: Iterable[Case]) -> Iterator[ApolloCorpus]:
    """Compose each case with Apollo and serve the supergraphs from @apollo/gateway."""
    npm_ci(PEERS_DIR, marker="@apollo/gateway")
    node = shutil.which("node")
    assert node is not None
    cases = list(cases)
    with ThreadPoolExecutor(max_workers=COMPOSE_WORKERS) as pool:
        composed = pool.map(lambda case: compose_with_apollo(server.sdl(case.name)), cases)
        compositions = {
            case.name: composition for case, composition in zip(cases, composed, strict=True)
        }
    with tempfile.TemporaryDirectory(prefix="fed-corpus-apollo-") as workdir:
        manifest = []
        for case in cases:
            supergraph = compositions[case.name].supergraph
            if supergraph is None:
                continue
            path = Path(workdir) / f"{case.name}.graphql"
            path.write_text(with_subgraph_urls(supergraph, server.urls(case.name)), "utf-8")
            manifest.append({"name": case.name, "supergraph": str(path)})
        manifest_path = Path(workdir) / "manifest.json"
        manifest_path.write_text(json.dumps(manifest), "utf-8")
        process = subprocess.Popen(
            [node, str(GATEWAYS_SCRIPT), str(manifest_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={"NODE_ENV": "production", "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            if not line:
                raise RuntimeError("apollo_gateways.mjs exited before it was ready")
            ready = json.loads(line)
            yield ApolloCorpus(
                compositions=compositions, gateways=ready["ready"], load_failures=ready["failed"]
            )
        finally:
            stop_processes(process)


async def post_probe(
    client: httpx.AsyncClient, url: str, probe: Probe, headers: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Send a probe to a GraphQL-over-HTTP endpoint; the JSON body it answers, whatever status."""
    payload: dict[str, Any] = {"query": probe.query}
    if probe.variables is not None:
        payload["variables"] = dict(probe.variables)
    if probe.operation_name is not None:
        payload["operationName"] = probe.operation_name
    response = await client.post(
        url,
        json=payload,
        headers={"content-type": "application/json", **(probe.headers or {}), **(headers or {})},
        timeout=REQUEST_TIMEOUT_SECONDS,
    )
    body: dict[str, Any] = response.json()
    return body
