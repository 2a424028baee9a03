# ruff: noqa: E501  (SDL and expected answers read best on one line)
"""@requires whose inputs live in a third subgraph, a @requires chain, and @requires with a
nested selection and a fragment."""

from __future__ import annotations

from typing import Any

from tests.engine.harness import Case
from tests.engine.kit import Subgraph

ITEMS = [
    {
        "id": "i1",
        "name": "Kettle",
        "price": 20,
        "dimensions": {"size": 2, "weight": 1},
        "shape": {"__typename": "Box", "side": 3},
    },
    {
        "id": "i2",
        "name": "Piano",
        "price": 900,
        "dimensions": {"size": 40, "weight": 300},
        "shape": {"__typename": "Tube", "length": 7},
    },
]


def _item(rep: dict[str, object]) -> dict[str, object] | None:
    return next((dict(i) for i in ITEMS if i["id"] == rep.get("id")), None)


def subgraphs() -> list[Subgraph]:
    catalogue = Subgraph(
        "catalogue",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires"])
        type Item @key(fields: "id") { id: ID! name: String cost: Int @external total: Int @requires(fields: "cost") }
        type Query { items: [Item!]! }
        """,
        root={"items": lambda info: [{"id": i["id"], "name": i["name"]} for i in ITEMS]},
        references={
            "Item": lambda rep: {
                **{k: v for k, v in (_item(rep) or {}).items() if k in ("id", "name")},
                **({"total": rep["cost"] * 2} if rep.get("cost") is not None else {}),
            }
        },
    )
    pricing = Subgraph(
        "pricing",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
        type Item @key(fields: "id") { id: ID! price: Int dimensions: Dimensions shape: Shape }
        type Dimensions @shareable { size: Int weight: Int }
        union Shape = Box | Tube
        type Box @shareable { side: Int }
        type Tube @shareable { length: Int }
        """,
        references={
            "Item": lambda rep: (
                {
                    k: v
                    for k, v in (_item(rep) or {}).items()
                    if k in ("id", "price", "dimensions", "shape")
                }
                or None
            )
        },
    )
    shipping = Subgraph(
        "shipping",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@shareable"])
        type Item @key(fields: "id") {
          id: ID!
          price: Int @external
          dimensions: Dimensions @external
          shape: Shape @external
          cost: Int @requires(fields: "price dimensions { weight }")
          packaging: String @requires(fields: "shape { ... on Box { side } ... on Tube { length } }")
        }
        type Dimensions @shareable { size: Int weight: Int }
        union Shape = Box | Tube
        type Box @shareable { side: Int }
        type Tube @shareable { length: Int }
        """,
        references={"Item": lambda rep: _shipping(rep)},
    )
    return [catalogue, pricing, shipping]


def _shipping(rep: dict[str, Any]) -> dict[str, object]:
    out: dict[str, object] = {"id": rep["id"]}
    if "price" in rep:
        dims: dict[str, Any] = rep.get("dimensions") or {}
        out["cost"] = int(rep["price"]) // 10 + int(dims.get("weight", 0))
    if "shape" in rep:
        shape: dict[str, Any] = rep["shape"] or {}
        out["packaging"] = (
            f"box {shape['side']}" if "side" in shape else f"tube {shape.get('length')}"
        )
    return out


CASES = [
    Case(
        "requires from a third subgraph, nested selection",
        "{ items { name cost } }",
        {"data": {"items": [{"name": "Kettle", "cost": 3}, {"name": "Piano", "cost": 390}]}},
    ),
    Case(
        "requires with fragments on a union",
        "{ items { packaging } }",
        {"data": {"items": [{"packaging": "box 3"}, {"packaging": "tube 7"}]}},
    ),
    Case(
        "requires chain",
        "{ items { id total cost } }",
        {
            "data": {
                "items": [
                    {"id": "i1", "total": 6, "cost": 3},
                    {"id": "i2", "total": 780, "cost": 390},
                ]
            }
        },
    ),
    Case(
        "client selects a required field under another key",
        "{ items { price: name weight: cost dimensions { weight: size } } }",
        {
            "data": {
                "items": [
                    {"price": "Kettle", "weight": 3, "dimensions": {"weight": 2}},
                    {"price": "Piano", "weight": 390, "dimensions": {"weight": 40}},
                ]
            }
        },
    ),
]
