"""`mesh gateway serve --supergraph FILE|URL`: a supergraph made by anyone, served and reloaded
when it changes; a bad change keeps the last good one serving and says why (stderr, /readyz)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from devtools.node_tools import run_apollo_composition
from mesh.federation.compose import SubgraphSource, compose
from tests.federation_fixtures import schemas, serving
from tests.mesh_services import ROOT, free_ports

QUERY = "{ topProducts(first: 2) { name inStock shippingEstimate } }"
EXPECTED = {
    "topProducts": [
        {"name": "Table", "inStock": True, "shippingEstimate": 50},
        {"name": "Couch", "inStock": False, "shippingEstimate": 0},
    ]
}


@pytest.fixture(scope="module")
def subgraphs() -> Iterator[dict[str, str]]:
    with serving() as running:
        yield running


def _supergraph(subgraphs: dict[str, str], names: tuple[str, ...] | None = None) -> str:
    result = compose(
        [
            SubgraphSource(name, subgraphs[name], schema.as_str())
            for name, schema in schemas().items()
            if names is None or name in names
        ]
    )
    assert result.supergraph_sdl is not None, result.errors
    return result.supergraph_sdl


class _Gateway:
    def __init__(self, source: str, tmp: Path) -> None:
        (self.port,) = free_ports(1)
        self.url = f"http://127.0.0.1:{self.port}"
        self.stderr = tmp / "gateway.err"
        env = {**os.environ, "MESH_DATA_DIR": str(tmp)}
        with self.stderr.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mesh", "gateway", "serve", "--port", str(self.port),
                 "--supergraph", source, "--poll", "0.5"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err,
            )  # fmt: skip

    def ask(self, query: str = QUERY) -> dict[str, Any]:
        answer = httpx.post(f"{self.url}/graphql", json={"query": query}, timeout=10)
        body: dict[str, Any] = answer.json()
        return body

    def ready(self) -> httpx.Response:
        return httpx.get(f"{self.url}/readyz", timeout=5)

    def wait_for(self, check: Any, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.stderr.read_text()
            try:
                if check():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(self.stderr.read_text())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def test_a_supergraph_file_is_served_and_reloaded(
    subgraphs: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(_supergraph(subgraphs, ("products", "inventory", "accounts")))
    gateway = _Gateway(str(path), tmp_path)
    try:
        gateway.wait_for(lambda: gateway.ready().status_code == 200)
        assert gateway.ask() == {"data": EXPECTED}
        latest = "{ latestReviews { body } }"
        assert gateway.ask(latest)["errors"][0]["extensions"]["code"] == (
            "GRAPHQL_VALIDATION_FAILED"
        )
        path.write_text("type Query { broken")  # a bad change: keep serving the last good one
        gateway.wait_for(lambda: gateway.ready().status_code == 503)
        assert "refused" in gateway.ready().json()["reason"]
        assert gateway.ask() == {"data": EXPECTED}
        assert "keeping the last good supergraph" in gateway.stderr.read_text()
        path.write_text(_supergraph(subgraphs))  # a good change: reviews joins
        gateway.wait_for(lambda: "data" in gateway.ask(latest))
        assert gateway.ask(latest)["data"]["latestReviews"][0] == {"body": "Love it"}
        assert gateway.ready().status_code == 200
    finally:
        gateway.stop()


@pytest.mark.usefixtures("node")
def test_apollos_supergraph_from_a_url(subgraphs: dict[str, str], tmp_path: Path) -> None:
    """A supergraph composed by @apollo/composition, fetched over HTTP."""
    args = ["--supergraph", str(tmp_path / "supergraph.graphql"), "--from-urls"]
    done = run_apollo_composition([*args, *(f"{n}={u}" for n, u in subgraphs.items())])
    assert done.returncode == 0, done.stdout + done.stderr

    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *_: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/supergraph.graphql"
    gateway = _Gateway(url, tmp_path)
    try:
        gateway.wait_for(lambda: gateway.ready().status_code == 200)
        assert gateway.ask() == {"data": EXPECTED}
    finally:
        gateway.stop()
        server.shutdown()
