"""The gateways under test, each a process serving the same subgraphs.

- ``ours``: ``mesh gateway serve`` with governance on (token, purpose, case reference, per-field
  decisions, signed context, audit) under the bench-only agreements in ``bench/agreements``,
  which allow a safeguarding lead every field unmasked.
- ``ours-nogov``: the same gateway with ``MESH_GATEWAY_GOVERNANCE=false``: raw federation.
- ``apollo``: ``@apollo/gateway`` inside ``@apollo/server`` (``peers/apollo-gateway.mjs``).
- ``hive``: ``@graphql-hive/gateway``'s own CLI, ``hive-gateway supergraph FILE``.
- ``hive-rust``: the same with ``--hive-router-runtime`` (``@graphql-hive/router-runtime``:
  Hive Router's Rust query planner as a native addon); ``verify_rust_planner`` fails the run
  if the log line or the mapped addon is missing (a silent fallback to the JS planner).
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

from bench import proc
from bench.services import Service, ServiceError

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


def apollo(
    port: int, supergraph: Path, log_dir: Path, *, log_name: str = "apollo"
) -> GatewayUnderTest:
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
    service = Service(log_name, argv, log_dir / f"{log_name}.log", {"NODE_ENV": "production"})
    url = f"http://{HOST}:{port}/"
    # Apollo Server's CSRF prevention wants a preflight-forcing header on the probe.
    probe = _probe(url, {"apollo-require-preflight": "true"})
    return GatewayUnderTest("apollo", "@apollo/gateway", url, service, probe, False)


def ours_router(
    mesh: list[str], port: int, supergraph: Path, env: dict[str, str], log_dir: Path, log_name: str
) -> GatewayUnderTest:
    """Ours serving a given supergraph file as a plain router (the fixture's: not civic)."""
    argv = [*mesh, "gateway", "serve", "--supergraph", str(supergraph), "--open"]
    argv += ["--host", HOST, "--port", str(port)]
    service = Service(log_name, argv, log_dir / f"{log_name}.log", {**env, "PYTHONUNBUFFERED": "1"})
    base = f"http://{HOST}:{port}"
    return GatewayUnderTest(
        "ours-nogov",
        "ours (plain router)",
        f"{base}/graphql",
        service,
        httpx.Request("GET", f"{base}/readyz"),
        True,
    )


RUST_PLANNER_LOG = "Using Hive Router Runtime"
RUST_PLANNER_ADDON = "hive_router_query_planner"


def hive(
    port: int, supergraph: Path, log_dir: Path, *, rust: bool = False, log_name: str | None = None
) -> GatewayUnderTest:
    name = "hive-rust" if rust else "hive"
    log_name = log_name or name
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
        *(["--hive-router-runtime"] if rust else []),
    ]
    service = Service(log_name, argv, log_dir / f"{log_name}.log", {"NODE_ENV": "production"})
    url = f"http://{HOST}:{port}/graphql"
    title = "Hive Gateway (Rust planner)" if rust else "Hive Gateway"
    return GatewayUnderTest(name, title, url, service, _probe(url), False)


def verify_rust_planner(gateway: GatewayUnderTest) -> str:
    """That Hive Gateway really plans with the Rust planner: its log says so and the native
    addon is mapped into its process (or a worker's). Raises ServiceError otherwise."""
    log = gateway.service.log_path.read_text(errors="replace")
    if RUST_PLANNER_LOG not in log:
        raise ServiceError(f"{gateway.name}: no {RUST_PLANNER_LOG!r} in its log")
    for pid in proc.process_tree(gateway.service.pid):
        try:
            maps = (Path("/proc") / str(pid) / "maps").read_text()
        except OSError:
            continue
        for line in maps.splitlines():
            if RUST_PLANNER_ADDON in line and line.endswith(".node"):
                return line.split()[-1]
    raise ServiceError(
        f"{gateway.name}: the Rust planner's native addon ({RUST_PLANNER_ADDON}*.node) is "
        "not loaded: Hive Gateway fell back to its JavaScript planner"
    )
