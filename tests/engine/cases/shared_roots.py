# ruff: noqa: E501  (SDL and expected answers read best on one line)
"""A @shareable root field over a value type split across subgraphs, null keys skipping an
entity fetch, and mutations answered strictly in order."""

from __future__ import annotations

from tests.engine.harness import Case
from tests.engine.kit import Subgraph

STATE = {"count": 0}


def subgraphs() -> list[Subgraph]:
    STATE["count"] = 0
    a = Subgraph(
        "a",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
        type Query { stats: Stats @shareable  owners: [Owner] }
        type Stats @shareable { visits: Int }
        type Owner @key(fields: "id") { id: ID  name: String }
        type Mutation { bump(by: Int!): Int  note(text: String!): String }
        """,
        root={
            "stats": lambda info: {"visits": 7},
            "owners": lambda info: [{"id": "o1", "name": "Ann"}, {"id": None, "name": "Nobody"}],
            "bump": lambda info, by: (
                STATE.__setitem__("count", STATE["count"] + by) or STATE["count"]
            ),
            "note": lambda info, text: f"{text} at {STATE['count']}",
        },
        references={"Owner": lambda rep: {"id": rep["id"], "name": "Ann"}},
    )
    b = Subgraph(
        "b",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
        type Query { stats: Stats @shareable }
        type Stats @shareable { errors: Int }
        type Owner @key(fields: "id") { id: ID  pets: Int }
        type Mutation { double: Int }
        """,
        root={
            "stats": lambda info: {"errors": 2},
            "double": lambda info: STATE.__setitem__("count", STATE["count"] * 2) or STATE["count"],
        },
        references={"Owner": lambda rep: {"id": rep["id"], "pets": 3} if rep.get("id") else None},
    )
    return [a, b]


CASES = [
    Case(
        "shareable root split over value types",
        "{ stats { visits errors } }",
        {"data": {"stats": {"visits": 7, "errors": 2}}},
    ),
    Case(
        "a null key skips the entity",
        "{ owners { name pets } }",
        {"data": {"owners": [{"name": "Ann", "pets": 3}, {"name": "Nobody", "pets": None}]}},
    ),
    Case(
        "mutations in order across subgraphs",
        'mutation { first: bump(by: 2) second: double third: bump(by: 1) note(text: "now") }',
        {"data": {"first": 2, "second": 4, "third": 5, "note": "now at 5"}},
    ),
]
