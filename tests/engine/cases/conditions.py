# ruff: noqa: E501  (SDL and expected answers read best on one line)
"""@skip/@include on variables: fetches that only a skipped selection needs are not made (the
field's resolver fails if it is ever called), defaults apply when the variable is omitted."""

from __future__ import annotations

from tests.engine.harness import Case
from tests.engine.kit import Subgraph


def _answer(rep: dict[str, object]) -> dict[str, object]:
    def never(info: object) -> bool:
        raise RuntimeError("this field should not have been asked for")

    return {
        "id": rep["id"],
        "include": True,
        "skip": True,
        "neverCalledInclude": never,
        "neverCalledSkip": never,
    }


def subgraphs() -> list[Subgraph]:
    a = Subgraph(
        "a",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { product: Product }
        type Product @key(fields: "id") { id: ID! price: Float }
        """,
        root={"product": lambda info: {"id": "p1", "price": 699.99}},
        references={"Product": lambda rep: {"id": rep["id"], "price": 699.99}},
    )
    b = Subgraph(
        "b",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
        type Product @key(fields: "id") {
          id: ID!
          price: Float @external
          neverCalledInclude: Boolean @requires(fields: "price")
          neverCalledSkip: Boolean @requires(fields: "price")
          include: Boolean @requires(fields: "price")
          skip: Boolean @requires(fields: "price")
        }
        """,
        references={"Product": _answer},
    )
    return [a, b]


CASES = [
    Case(
        "include false by default: no fetch",
        "query ($bool: Boolean = false) { product { price neverCalledInclude @include(if: $bool) } }",
        {"data": {"product": {"price": 699.99}}},
        fetches=2,
        plan="""
QueryPlan {
  Sequence {
    Fetch(service: "a") {
      {
        product {
          __typename
          price
          id
        }
      }
    },
    Include(if: $bool) {
      Flatten(path: "product") {
        Fetch(service: "b") {
          {
            ... on Product {
              __typename
              id
              price
            }
          } =>
          {
            ... on Product {
              neverCalledInclude @include(if: $bool)
            }
          }
        },
      },
    },
  },
}""",
    ),
    Case(
        "skip true by default: no fetch",
        "query ($bool: Boolean = true) { product { price neverCalledSkip @skip(if: $bool) } }",
        {"data": {"product": {"price": 699.99}}},
    ),
    Case(
        "include true",
        "query ($bool: Boolean = true) { product { price include @include(if: $bool) } }",
        {"data": {"product": {"price": 699.99, "include": True}}},
    ),
    Case(
        "skip false, given",
        "query ($bool: Boolean!) { product { price skip @skip(if: $bool) } }",
        {"data": {"product": {"price": 699.99, "skip": True}}},
        variables={"bool": False},
    ),
]
