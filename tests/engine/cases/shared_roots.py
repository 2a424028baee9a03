# ruff: noqa: E501  (SDL and expected answers read best on one line)
"""A @shareable root field over a value type split across subgraphs, null keys skipping an
entity fetch, and mutations answered strictly in order."""

from __future__ import annotations

from tests.engine.harness import Case
from tests.engine.kit import Subgraph

STATE = {"count": 0}


def _add(amount: int) -> int:
    """A mutation's effect on the shared counter, and the counter after it."""
    STATE["count"] += amount
    return STATE["count"]


def subgraphs() -> list[Subgraph]:
    STATE["count"] = 0
    a = Subgraph(
        "a",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
        type Query { stats: Stats @shareable  owners: [Owner] }
        type Stats @shareable { visits: Int }
        type Owner @key(fields: "id") { id: ID  name: String @shareable }
        type Mutation { bump(by: Int!): Int  note(text: String!): String  addOwner(name: String!): Owner @shareable }
        """,
        root={
            "stats": lambda info: {"visits": 7},
            "owners": lambda info: [{"id": "o1", "name": "Ann"}, {"id": None, "name": "Nobody"}],
            "bump": lambda info, by: _add(by),
            "note": lambda info, text: f"{text} at {STATE['count']}",
            "addOwner": lambda info, name: {"id": f"o{_add(100)}", "name": name},
        },
        references={"Owner": lambda rep: {"id": rep["id"], "name": "Ann"}},
    )
    b = Subgraph(
        "b",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
        type Query { stats: Stats @shareable }
        type Stats @shareable { errors: Int }
        type Owner @key(fields: "id") { id: ID  name: String @shareable  pets: Int }
        type Mutation { double: Int  addOwner(name: String!): Owner @shareable }
        """,
        root={
            "stats": lambda info: {"errors": 2},
            "double": lambda info: _add(STATE["count"]),
            "addOwner": lambda info, name: ({"id": f"o{_add(100)}", "name": name, "pets": 3}),
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
        "a shared mutation field runs once, then its entity's other fields",
        'mutation { addOwner(name: "Bo") { id name pets } after: bump(by: 0) }',
        {"data": {"addOwner": {"id": "o100", "name": "Bo", "pets": 3}, "after": 100}},
        fetches=2,
    ),
    Case(
        "mutations in order across subgraphs",
        'mutation { first: bump(by: 2) second: double third: bump(by: 1) note(text: "now") }',
        {"data": {"first": 102, "second": 204, "third": 205, "note": "now at 205"}},
    ),
]
