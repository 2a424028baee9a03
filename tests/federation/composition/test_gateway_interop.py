"""Our supergraph SDL is standard: @apollo/gateway 2.14 loads it and answers a query across
Fed 1 and Fed 2 subgraphs (``extend type`` entities, ``@requires``, ``@interfaceObject``) served
over real HTTP."""

from __future__ import annotations

import contextlib
import functools
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mesh.federation.compose import SubgraphSource, compose
from tests.federation.composition.subgraph_server import free_port, serve_subgraph
from tests.processes import stop_processes

PEERS_DIR = Path(__file__).resolve().parents[3] / "bench" / "peers"
GATEWAY_SCRIPT = PEERS_DIR / "apollo-gateway.mjs"
START_TIMEOUT_SECONDS = 60

pytestmark = pytest.mark.usefixtures("node")

PRODUCTS_FED1 = """
type Query { topProducts: [Product] }
type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }
"""
INVENTORY_FED1 = """
extend type Product @key(fields: "upc") {
  upc: String! @external
  weight: Int @external
  price: Int @external
  inStock: Boolean
  shippingEstimate: Int @requires(fields: "price weight")
}
"""
CATALOG_FED2 = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { items: [Item] }
interface Item @key(fields: "upc") { upc: String! }
type Product implements Item @key(fields: "upc") { upc: String! }
"""
REVIEWS_FED2 = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
                    import: ["@key", "@interfaceObject"])
type Review { stars: Int }
type Item @key(fields: "upc") @interfaceObject { upc: String! rating: Int reviews: [Review] }
"""
PRODUCTS = {
    "1": {"upc": "1", "name": "Table", "price": 899, "weight": 100},
    "2": {"upc": "2", "name": "Couch", "price": 1299, "weight": 1000},
}
STARS = {"1": [5, 4], "2": [2]}

QUERY = """
{
  topProducts { upc name inStock shippingEstimate reviews { stars } }
  items { upc rating ... on Product { name } }
}
"""


def _product(rep: dict[str, Any]) -> dict[str, Any] | None:
    found = PRODUCTS.get(rep["upc"])
    return None if found is None else {"__typename": "Product", **found}


def _inventory(rep: dict[str, Any]) -> dict[str, Any]:
    # Computed from the @requires inputs the gateway sends in the representation.
    return {
        "__typename": "Product",
        "upc": rep["upc"],
        "inStock": rep["upc"] == "1",
        "shippingEstimate": rep["price"] * rep["weight"] // 1000,
    }


def _reviews_item(rep: dict[str, Any]) -> dict[str, Any]:
    stars = STARS[rep["upc"]]
    return {
        "__typename": "Item",
        "upc": rep["upc"],
        "rating": sum(stars) // len(stars),
        "reviews": [{"stars": s} for s in stars],
    }


@functools.cache
def _ensure_peers() -> None:
    if (PEERS_DIR / "node_modules" / "@apollo" / "gateway").is_dir():
        return
    npm = shutil.which("npm")
    assert npm is not None, "node is installed but npm is not"
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PEERS_DIR, check=True, timeout=600)


@contextlib.contextmanager
def apollo_gateway(supergraph: Path) -> Iterator[str]:
    _ensure_peers()
    node = shutil.which("node")
    assert node is not None
    port = free_port()
    process = subprocess.Popen(
        [node, str(GATEWAY_SCRIPT), "--supergraph", str(supergraph), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(
                    f"gateway exited: {process.stderr.read() if process.stderr else ''}"
                )
            with contextlib.suppress(httpx.TransportError):
                httpx.get(url, timeout=1)
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the gateway did not start in time")
        yield url
    finally:
        stop_processes(process)


def test_apollo_gateway_serves_our_supergraph(tmp_path: Path) -> None:
    with (
        serve_subgraph(
            PRODUCTS_FED1,
            entities={"Product": _product},
            root={"topProducts": list(PRODUCTS.values())},
        ) as products,
        serve_subgraph(INVENTORY_FED1, entities={"Product": _inventory}) as inventory,
        serve_subgraph(
            CATALOG_FED2,
            entities={"Product": _product, "Item": _product},
            root={"items": [{"__typename": "Product", "upc": upc} for upc in PRODUCTS]},
        ) as catalog,
        serve_subgraph(REVIEWS_FED2, entities={"Item": _reviews_item}) as reviews,
    ):
        result = compose(
            [
                SubgraphSource("products", products, PRODUCTS_FED1),
                SubgraphSource("inventory", inventory, INVENTORY_FED1),
                SubgraphSource("catalog", catalog, CATALOG_FED2),
                SubgraphSource("reviews", reviews, REVIEWS_FED2),
            ]
        )
        assert result.ok, [str(e) for e in result.errors]
        supergraph = tmp_path / "supergraph.graphql"
        supergraph.write_text(result.supergraph_sdl or "", encoding="utf-8")

        with apollo_gateway(supergraph) as gateway:
            response = httpx.post(gateway, json={"query": QUERY}, timeout=30)

    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    assert body["data"] == {
        "topProducts": [
            {
                "upc": "1",
                "name": "Table",
                "inStock": True,
                "shippingEstimate": 89,
                "reviews": [{"stars": 5}, {"stars": 4}],
            },
            {
                "upc": "2",
                "name": "Couch",
                "inStock": False,
                "shippingEstimate": 1299,
                "reviews": [{"stars": 2}],
            },
        ],
        "items": [
            {"upc": "1", "rating": 4, "name": "Table"},
            {"upc": "2", "rating": 2, "name": "Couch"},
        ],
    }
