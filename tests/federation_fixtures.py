"""The classic federation demo (accounts, products, inventory, reviews) in Strawberry.

Small enough to read, yet it uses every directive the planner must honour: several keys,
@external with @requires, @provides, @override, @shareable value types, @inaccessible, an
interface and a union. The gateway talks to them over real HTTP semantics (ASGI transport).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import strawberry
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL

from tests.mesh_services import free_ports

USERS = {"1": ("Ada Lovelace", "ada"), "2": ("Alan Turing", "alan")}
PRODUCTS = {"p1": ("Table", 899, 100), "p2": ("Couch", 1299, 1000), "p3": ("Chair", 54, 50)}
REVIEWS = [("r1", "1", "p1", "Love it"), ("r2", "1", "p2", "Too big"), ("r3", "2", "p3", "Meh")]


# --- accounts -------------------------------------------------------------------------------
@strawberry.interface
class Node:
    id: strawberry.ID


@strawberry.federation.type(keys=["id"], name="User")
class AccountsUser(Node):
    name: str
    username: str = strawberry.federation.field(shareable=True)
    secret_score: int = strawberry.federation.field(inaccessible=True, default=0)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> AccountsUser:
        name, username = USERS[str(id)]
        return cls(id=id, name=name, username=username, secret_score=7)


@strawberry.type
class AccountsQuery:
    @strawberry.field
    def me(self) -> AccountsUser:
        return AccountsUser.resolve_reference(strawberry.ID("1"))

    @strawberry.field
    def node(self, id: strawberry.ID) -> Node | None:
        return AccountsUser.resolve_reference(id) if str(id) in USERS else None


# --- products -------------------------------------------------------------------------------
@strawberry.federation.type(keys=["upc"], name="Product")
class ProductsProduct:
    upc: str
    name: str
    price: int
    weight: int

    @classmethod
    def resolve_reference(cls, upc: str) -> ProductsProduct:
        return _product(upc)


@strawberry.type
class Book:
    title: str


@strawberry.type
class Movie:
    title: str
    minutes: int


Media = Annotated[Book | Movie, strawberry.union("Media")]


def _product(upc: str) -> ProductsProduct:
    name, price, weight = PRODUCTS[upc]
    return ProductsProduct(upc=upc, name=name, price=price, weight=weight)


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def top_products(self, first: int = 5) -> list[ProductsProduct]:
        return [_product(upc) for upc in list(PRODUCTS)[:first]]

    @strawberry.field
    def media(self) -> list[Media]:
        return [Book(title="Dune"), Movie(title="Alien", minutes=117)]


# --- inventory ------------------------------------------------------------------------------
@strawberry.federation.type(keys=["upc"], name="Product")
class InventoryProduct:
    upc: str
    price: int = strawberry.federation.field(external=True)
    weight: int = strawberry.federation.field(external=True)

    @strawberry.field
    def in_stock(self) -> bool:
        return self.upc != "p2"

    @strawberry.federation.field(requires=["price", "weight"])
    def shipping_estimate(self) -> int:
        return 0 if self.price > 1000 else self.weight // 2

    @classmethod
    def resolve_reference(
        cls, upc: str, price: int | None = None, weight: int | None = None
    ) -> InventoryProduct:
        return cls(upc=upc, price=price or 0, weight=weight or 0)


@strawberry.type
class InventoryQuery:
    @strawberry.field
    def warehouse_count(self) -> int:
        return 3


# --- reviews --------------------------------------------------------------------------------
@strawberry.federation.type(keys=["id"], name="User")
class ReviewsUser:
    id: strawberry.ID
    username: str = strawberry.federation.field(external=True)

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [_review(r) for r in REVIEWS if r[1] == str(self.id)]

    @strawberry.federation.field(override="accounts")
    def name(self) -> str:
        return USERS[str(self.id)][0].upper()

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ReviewsUser:
        return cls(id=id, username=USERS[str(id)][1])


@strawberry.federation.type(keys=["upc"], name="Product")
class ReviewsProduct:
    upc: str

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [_review(r) for r in REVIEWS if r[2] == self.upc]


@strawberry.type
class Review:
    id: strawberry.ID
    body: str
    author: ReviewsUser = strawberry.federation.field(provides=["username"])
    product: ReviewsProduct


def _review(row: tuple[str, str, str, str]) -> Review:
    review_id, user_id, upc, body = row
    return Review(
        id=strawberry.ID(review_id),
        body=body,
        author=ReviewsUser.resolve_reference(strawberry.ID(user_id)),
        product=ReviewsProduct(upc=upc),
    )


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def latest_reviews(self) -> list[Review]:
        return [_review(r) for r in REVIEWS]


def schemas() -> dict[str, strawberry.federation.Schema]:
    return {
        "accounts": strawberry.federation.Schema(query=AccountsQuery, types=[AccountsUser]),
        "products": strawberry.federation.Schema(
            query=ProductsQuery, types=[ProductsProduct, Book, Movie]
        ),
        "inventory": strawberry.federation.Schema(query=InventoryQuery, types=[InventoryProduct]),
        "reviews": strawberry.federation.Schema(
            query=ReviewsQuery, types=[ReviewsUser, ReviewsProduct]
        ),
    }


@contextmanager
def serving() -> Iterator[dict[str, str]]:
    """The four subgraphs on real sockets (uvicorn in threads), stopped afterwards."""
    servers = []
    threads = []
    ports = dict(zip(schemas(), free_ports(len(schemas())), strict=True))
    for name, schema in schemas().items():
        app = Starlette(routes=[Route("/graphql", GraphQL(schema), methods=["GET", "POST"])])
        config = uvicorn.Config(app, host="127.0.0.1", port=ports[name], log_level="error")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name=f"subgraph-{name}", daemon=True)
        thread.start()
        servers.append(server)
        threads.append(thread)
    try:
        deadline = time.monotonic() + 20
        while not all(server.started for server in servers):
            if time.monotonic() > deadline:
                raise TimeoutError("federation fixture subgraphs did not start")
            time.sleep(0.05)
        yield {name: f"http://127.0.0.1:{port}/graphql" for name, port in ports.items()}
    finally:
        for server in servers:
            server.should_exit = True
        for thread in threads:
            thread.join(timeout=10)
