# ruff: noqa: E501  (SDL and expected answers read best on one line)
"""Federation 1 subgraphs (no @link): `extend type` with @key, @external key fields,
@requires and @provides in Fed 1 syntax, and a key chain through a middle subgraph."""

from __future__ import annotations

from tests.engine.harness import Case
from tests.engine.kit import Subgraph

PRODUCTS = [
    {"id": "p1", "pid": "pid1", "upc": "u1", "name": "One", "price": 10.5, "weight": 3},
    {"id": "p2", "pid": "pid2", "upc": "u2", "name": "Two", "price": 20.0, "weight": 4},
]


def _find(**key: object) -> dict[str, object] | None:
    return next((dict(p) for p in PRODUCTS if all(p.get(k) == v for k, v in key.items())), None)


def subgraphs() -> list[Subgraph]:
    a = Subgraph(
        "a",
        """
        type Query { productInA: Product products: [Product] }
        type Product @key(fields: "id") @key(fields: "pid") { id: ID! pid: ID! }
        """,
        root={
            "productInA": lambda info: {"id": "p1", "pid": "pid1"},
            "products": lambda info: [{"id": p["id"], "pid": p["pid"]} for p in PRODUCTS],
        },
        references={
            "Product": lambda rep: {
                k: v
                for k, v in (
                    (_find(id=rep["id"]) if "id" in rep else _find(pid=rep["pid"])) or {}
                ).items()
                if k in ("id", "pid")
            }
        },
    )
    b = Subgraph(
        "b",
        """
        type Query { productInB: Product }
        extend type Product @key(fields: "id name") @key(fields: "upc") {
          id: ID @external
          name: String @external
          upc: String @external
          price: Float!
          weight: Int @external
          label: String @requires(fields: "weight")
        }
        """,
        root={"productInB": lambda info: dict(PRODUCTS[1])},
        references={
            "Product": lambda rep: (
                lambda p: (
                    None
                    if p is None
                    else {**p, "label": f"{rep['weight']} kg" if "weight" in rep else None}
                )
            )(_find(upc=rep["upc"]) if "upc" in rep else _find(id=rep["id"], name=rep["name"]))
        },
    )
    c = Subgraph(
        "c",
        """
        extend type Product @key(fields: "pid") { pid: ID! @external upc: String name: String weight: Int }
        """,
        references={
            "Product": lambda rep: {
                k: v
                for k, v in (_find(pid=rep["pid"]) or {}).items()
                if k in ("pid", "upc", "name", "weight")
            }
        },
    )
    return [a, b, c]


CASES = [
    Case(
        "A to C by pid, then B by upc",
        "{ productInA { id pid price upc name } }",
        {
            "data": {
                "productInA": {"id": "p1", "pid": "pid1", "price": 10.5, "upc": "u1", "name": "One"}
            }
        },
    ),
    Case(
        "external key fields of an extension answered by their own subgraph",
        "{ productInB { id name upc price pid } }",
        {
            "data": {
                "productInB": {"id": "p2", "name": "Two", "upc": "u2", "price": 20.0, "pid": "pid2"}
            }
        },
    ),
    Case(
        "fed 1 requires",
        "{ products { label } }",
        {"data": {"products": [{"label": "3 kg"}, {"label": "4 kg"}]}},
    ),
]
