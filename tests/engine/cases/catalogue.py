# ruff: noqa: E501  (SDL and expected answers read best on one line)
"""The classic shape: products, inventory (@requires), reviews (@provides), accounts; keys on
several fields, an entity reached A → B → C through a key only the middle subgraph has."""

from __future__ import annotations

from tests.engine.harness import Case
from tests.engine.kit import Subgraph, by_id

USERS = [
    {"id": "u1", "name": "Ada", "username": "ada"},
    {"id": "u2", "name": "Alan", "username": "alan"},
]
PRODUCTS = [
    {"upc": "p1", "sku": "s1", "name": "Table", "price": 899, "weight": 100},
    {"upc": "p2", "sku": "s2", "name": "Couch", "price": 1299, "weight": 1000},
    {"upc": "p3", "sku": "s3", "name": "Chair", "price": 54, "weight": 50},
]
REVIEWS = [
    {"id": "r1", "body": "Love it", "author": "u1", "product": "p1"},
    {"id": "r2", "body": "Too big", "author": "u1", "product": "p2"},
    {"id": "r3", "body": "Meh", "author": "u2", "product": "p3"},
]
STOCK = {"s1": 3, "s2": 0, "s3": 12}


def subgraphs() -> list[Subgraph]:
    accounts = Subgraph(
        "accounts",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
        type Query { me: User users: [User!]! }
        type User @key(fields: "id") { id: ID! name: String username: String @shareable }
        """,
        root={"me": lambda info: dict(USERS[0]), "users": lambda info: [dict(u) for u in USERS]},
        references={"User": by_id(USERS)},
    )
    products = Subgraph(
        "products",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { topProducts(first: Int = 5): [Product] product(upc: String!): Product }
        type Product @key(fields: "upc") @key(fields: "sku") { upc: String! sku: String! name: String price: Int weight: Int }
        """,
        root={
            "topProducts": lambda info, first=5: [dict(p) for p in PRODUCTS[:first]],
            "product": lambda info, upc: next((dict(p) for p in PRODUCTS if p["upc"] == upc), None),
        },
        references={
            "Product": lambda rep: next(
                (
                    dict(p)
                    for p in PRODUCTS
                    if p["upc"] == rep.get("upc") or p["sku"] == rep.get("sku")
                ),
                None,
            )
        },
    )
    inventory = Subgraph(
        "inventory",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
        type Product @key(fields: "sku") {
          sku: String!
          price: Int @external
          weight: Int @external
          inStock: Boolean
          shippingEstimate: Int @requires(fields: "price weight")
        }
        """,
        references={
            "Product": lambda rep: {
                "sku": rep["sku"],
                "inStock": STOCK.get(rep["sku"], 0) > 0,
                "shippingEstimate": None
                if rep.get("price") is None
                else (0 if rep["price"] > 1000 else rep["weight"] // 2),
            }
        },
    )
    reviews = Subgraph(
        "reviews",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides", "@shareable"])
        type Review @key(fields: "id") { id: ID! body: String author: User @provides(fields: "username") product: Product }
        type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
        type Product @key(fields: "upc") { upc: String! reviews: [Review] }
        """,
        references={
            "Review": lambda rep: _review(rep["id"]),
            "User": lambda rep: {
                "id": rep["id"],
                "reviews": [_review(r["id"]) for r in REVIEWS if r["author"] == rep["id"]],
            },
            "Product": lambda rep: {
                "upc": rep["upc"],
                "reviews": [_review(r["id"]) for r in REVIEWS if r["product"] == rep["upc"]],
            },
        },
    )
    return [accounts, products, inventory, reviews]


def _review(review_id: str) -> dict[str, object] | None:
    row = next((r for r in REVIEWS if r["id"] == review_id), None)
    if row is None:
        return None
    author = next(u for u in USERS if u["id"] == row["author"])
    return {
        "id": row["id"],
        "body": row["body"],
        "author": {"id": author["id"], "username": author["username"]},
        "product": {"upc": row["product"]},
    }


CASES = [
    Case(
        "requires and a key only products has",
        "{ topProducts(first: 2) { name inStock shippingEstimate } }",
        {
            "data": {
                "topProducts": [
                    {"name": "Table", "inStock": True, "shippingEstimate": 50},
                    {"name": "Couch", "inStock": False, "shippingEstimate": 0},
                ]
            }
        },
    ),
    Case(
        "provides saves a fetch",
        "{ me { reviews { body author { username } } } }",
        {
            "data": {
                "me": {
                    "reviews": [
                        {"body": "Love it", "author": {"username": "ada"}},
                        {"body": "Too big", "author": {"username": "ada"}},
                    ]
                }
            }
        },
    ),
    Case(
        "provided field not provided: back to accounts",
        "{ me { reviews { author { name } product { name inStock } } } }",
        {
            "data": {
                "me": {
                    "reviews": [
                        {"author": {"name": "Ada"}, "product": {"name": "Table", "inStock": True}},
                        {"author": {"name": "Ada"}, "product": {"name": "Couch", "inStock": False}},
                    ]
                }
            }
        },
    ),
    Case(
        "client alias reuses the key's name",
        "{ topProducts(first: 1) { upc: name sku: price reviews { body } inStock } }",
        {
            "data": {
                "topProducts": [
                    {"upc": "Table", "sku": 899, "reviews": [{"body": "Love it"}], "inStock": True}
                ]
            }
        },
    ),
    Case(
        "an aliased __typename beside a field from another subgraph",
        "{ me { kind: __typename reviews { body } } }",
        {"data": {"me": {"kind": "User", "reviews": [{"body": "Love it"}, {"body": "Too big"}]}}},
        fetches=2,
    ),
    Case(
        "unknown entity: null, not data",
        '{ product(upc: "nope") { name inStock } }',
        {"data": {"product": None}},
    ),
]
