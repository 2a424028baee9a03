# ruff: noqa: E501  (SDL and expected answers read best on one line)
"""@override: a moved field, a field moved on an implementation reached through its interface,
and a progressive override whose label the caller turns on."""

from __future__ import annotations

from tests.engine.harness import Case
from tests.engine.kit import Subgraph


def subgraphs() -> list[Subgraph]:
    old = Subgraph(
        "old",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])
        interface Animal { id: ID! sound: String }
        type Dog implements Animal @key(fields: "id") { id: ID! sound: String name: String legs: Int }
        type Cat implements Animal @key(fields: "id") { id: ID! sound: String name: String }
        type Query { animals: [Animal] dog: Dog }
        """,
        root={
            "animals": lambda info: [
                {"__typename": "Dog", "id": "d1", "sound": "old woof", "name": "Rex", "legs": 4},
                {"__typename": "Cat", "id": "c1", "sound": "old meow", "name": "Tom"},
            ],
            "dog": lambda info: {
                "__typename": "Dog",
                "id": "d1",
                "sound": "old woof",
                "name": "Rex",
                "legs": 4,
            },
        },
        references={
            "Dog": lambda rep: {"id": rep["id"], "sound": "old woof", "name": "Rex", "legs": 4},
            "Cat": lambda rep: {"id": rep["id"], "sound": "old meow", "name": "Tom"},
        },
    )
    new = Subgraph(
        "new",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@override"])
        type Dog @key(fields: "id") { id: ID! sound: String @override(from: "old") legs: Int @override(from: "old", label: "percent(25)") }
        """,
        references={"Dog": lambda rep: {"id": rep["id"], "sound": "new woof", "legs": 44}},
    )
    return [old, new]


CASES = [
    Case(
        "override through an interface",
        "{ animals { id sound } }",
        {
            "data": {
                "animals": [{"id": "d1", "sound": "new woof"}, {"id": "c1", "sound": "old meow"}]
            }
        },
    ),
    Case(
        "override on the object",
        "{ dog { name sound legs } }",
        {"data": {"dog": {"name": "Rex", "sound": "new woof", "legs": 4}}},
    ),
    Case(
        "progressive override with its label on",
        "{ dog { legs } }",
        {"data": {"dog": {"legs": 44}}},
        labels=frozenset({"percent(25)"}),
    ),
]
