"""``mesh gateway serve --supergraph URL`` in its own process, as an external conformance suite
runs a gateway: the supergraph fetched over HTTP, queries sent over HTTP, nothing else set."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.federation.support import CORPUS_JWT_SECRET
from tests.processes import stop_processes

HOST = "127.0.0.1"
READY_TIMEOUT_SECONDS = 60
ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass(frozen=True)
class ServedRouter:
    url: str  # the GraphQL endpoint
    base: str  # http://host:port
    log: Path  # the router's stdout and stderr

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _loaded(base: str) -> bool:
    """A supergraph is being served (subgraphs that are down are a case's own business)."""
    try:
        response = httpx.get(f"{base}/readyz", timeout=2)
    except httpx.HTTPError:
        return False
    if response.status_code == 200:
        return True
    reason = str(response.json().get("reason", ""))
    return reason.startswith("subgraphs not answering")


@contextmanager
def served_router(
    supergraph_url: str, *, env: Mapping[str, str] | None = None, poll_seconds: float = 1.0
) -> Iterator[ServedRouter]:
    """The router serving ``supergraph_url``, from a bare working directory, stopped after."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="served-router-") as workdir:
        log = Path(workdir) / "router.log"
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": workdir,
            "PYTHONPATH": str(ROOT),
            "MESH_ROUTER_JWT_SECRET": CORPUS_JWT_SECRET,
            **(env or {}),
        }
        command = [sys.executable, "-m", "mesh", "gateway", "serve"]
        command += ["--supergraph", supergraph_url, "--port", str(port), "--host", HOST]
        command += ["--poll", str(poll_seconds)]
        with log.open("wb") as sink:
            process = subprocess.Popen(
                command, cwd=workdir, env=environment, stdout=sink, stderr=subprocess.STDOUT
            )
        base = f"http://{HOST}:{port}"
        try:
            deadline = time.monotonic() + READY_TIMEOUT_SECONDS
            while not _loaded(base):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the router did not serve {supergraph_url}:\n{log.read_text()}"
                    )
                time.sleep(0.2)
            yield ServedRouter(url=f"{base}/graphql", base=base, log=log)
        finally:
            stop_processes(process)
