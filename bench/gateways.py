"""The gateways under test, each a process serving the same subgraphs.

- ``ours``: ``mesh gateway serve`` with governance on (token, purpose, case reference, per-field
  decisions, signed context, audit) under the bench-only agreements in ``bench/agreements``,
  which allow a safeguarding lead every field unmasked.
- ``ours-nogov``: the same gateway with ``MESH_GATEWAY_GOVERNANCE=false``: raw federation.
- ``apollo``: ``@apollo/gateway`` inside ``@apollo/server`` (``peers/apollo-gateway.mjs``).
- ``hive``: ``@graphql-hive/gateway``'s own CLI, ``hive-gateway supergraph FILE``.
- ``candidate`` (only with ``--candidate DIR``): ``ours`` run from another checkout (a git
  worktree with a change to try), found first on ``PYTHONPATH``: before and after in one run.

The peers serve the supergraph that Apollo's composition builds from the running subgraphs'
SDL; ours composes the same SDL itself at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

from bench.services import Service

HOST = "127.0.0.1"
PEERS_DIR = Path(__file__).resolve().parent / "peers"
AGREEMENTS_DIR = Path(__file__).resolve().parent / "agreements"
_TYPENAME = orjson.dumps({"query": "{ __typename }"})


@dataclass(frozen=True)
class GatewayUnderTest:
    name: str
    title: str
    url: str
    service: Service
    ready: httpx.Request
    ours: bool


def _probe(url: str, headers: dict[str, str] | None = None) -> httpx.Request:
    return httpx.Request(
        "POST",
        url,
        content=_TYPENAME,
        headers={"content-type": "application/json", **(headers or {})},
    )


def _subgraph_args(urls: dict[str, str]) -> list[str]:
    args: list[str] = []
    for name, url in urls.items():
        args += ["--subgraph", f"{name}={url}"]
    return args


def ours(
    mesh: list[str],
    port: int,
    subgraph_urls: dict[str, str],
    env: dict[str, str],
    log_dir: Path,
    *,
    governance: bool,
    candidate: str | None = None,
) -> GatewayUnderTest:
    name = "ours" if governance else "ours-nogov"
    title = "ours (governance on)" if governance else "ours (governance off)"
    if candidate is not None:
        name, title = "candidate", f"candidate ({candidate})"
        env = {**env, "PYTHONPATH": candidate}
    argv = [*mesh, "gateway", "serve", "--host", HOST, "--port", str(port)]
    gateway_env = {
        **env,
        "PYTHONUNBUFFERED": "1",
        "MESH_GATEWAY_GOVERNANCE": "true" if governance else "false",
        "MESH_GATEWAY_AGREEMENTS_DIR": str(AGREEMENTS_DIR),
    }
    service = Service(
        name, [*argv, *_subgraph_args(subgraph_urls)], log_dir / f"{name}.log", gateway_env
    )
    base = f"http://{HOST}:{port}"
    return GatewayUnderTest(
        name, title, f"{base}/graphql", service, httpx.Request("GET", f"{base}/readyz"), True
    )


def apollo(port: int, supergraph: Path, log_dir: Path) -> GatewayUnderTest:
    argv = [
        "node",
        str(PEERS_DIR / "apollo-gateway.mjs"),
        "--supergraph",
        str(supergraph),
        "--host",
        HOST,
        "--port",
        str(port),
    ]
    service = Service("apollo", argv, log_dir / "apollo.log", {"NODE_ENV": "production"})
    url = f"http://{HOST}:{port}/"
    # Apollo Server's CSRF prevention wants a preflight-forcing header on the probe.
    probe = _probe(url, {"apollo-require-preflight": "true"})
    return GatewayUnderTest("apollo", "@apollo/gateway", url, service, probe, False)


def hive(port: int, supergraph: Path, log_dir: Path) -> GatewayUnderTest:
    argv = [
        "node",
        str(PEERS_DIR / "node_modules" / "@graphql-hive" / "gateway" / "dist" / "bin.js"),
        "supergraph",
        str(supergraph),
        "--host",
        HOST,
        "--port",
        str(port),
        "--fork",
        "1",
    ]
    service = Service("hive", argv, log_dir / "hive.log", {"NODE_ENV": "production"})
    url = f"http://{HOST}:{port}/graphql"
    return GatewayUnderTest("hive", "Hive Gateway", url, service, _probe(url), False)
