"""Real subgraph processes for gateway tests: `mesh subgraph serve` over the test databases."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from subgraphs.registry import known_subgraphs
from tests.processes import stop_processes

ROOT = Path(__file__).resolve().parents[1]


def _wait_ready(url: str, process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: subgraph exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=0.5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} not ready in time")


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on right now (the OS's choice), so that test runs side by side
    (other worktrees, other sessions) never answer each other's requests."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@contextmanager
def running_subgraphs(
    prefix: str,
    base_port: int | None,
    names: tuple[str, ...] | None = None,
    *,
    root: Path = ROOT,
    env: dict[str, str] | None = None,
) -> Iterator[dict[str, str]]:
    """Start each subgraph as its own process (from the source tree at ``root``) on free
    ports (or from ``base_port`` on); yield name -> GraphQL URL; stop them all."""
    names = names or known_subgraphs()
    env = {
        **os.environ,
        **(env or {}),
        "MESH_DB_PREFIX": prefix,
        "MESH_SUBGRAPH_LOG_LEVEL": "WARNING",
    }
    env.pop("MESH_SUBGRAPH_DSN", None)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    urls: dict[str, str] = {}
    ports = (
        free_ports(len(names))
        if base_port is None
        else [base_port + offset for offset in range(len(names))]
    )
    try:
        for name, port in zip(names, ports, strict=True):
            processes[name] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "mesh",
                    "subgraph",
                    "serve",
                    name,
                    "--port",
                    str(port),
                ],
                cwd=root,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            urls[name] = f"http://127.0.0.1:{port}/graphql"
        deadline = time.monotonic() + 60
        for name, url in urls.items():
            _wait_ready(url.replace("/graphql", "/readyz"), processes[name], deadline)
        yield urls
    finally:
        stop_processes(*processes.values())
