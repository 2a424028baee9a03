"""``@requires`` of a field with an argument that a third subgraph resolves, on entities in
nested lists, while the client asks the same field with another argument (or a variable):
the requirement and the client's field must both be fetched, each with its own argument."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

HOMES = {"h1": {"floor": 80, "rooms": 3}, "h2": {"floor": 120, "rooms": 5}}


def _area(home: Mapping[str, Any], args: Mapping[str, Any]) -> int:
    return int(home["floor"]) * (10 if args["unit"] == "ft2" else 1)


def _bill(home: Mapping[str, Any], _: Any) -> int:
    return int(home["area"]) // 10 + int(home["rooms"])


registry = Subgraph(
    name="registry",
    sdl=link("@key")
    + """
    type Query { streets: [Street!]! }
    type Street { name: String! homes: [Home!]! }
    type Home @key(fields: "id") { id: ID! rooms: Int! }
    """,
    resolvers={
        "Query": {
            "streets": lambda *_: [
                {"name": "Elm", "homes": [{"id": "h1", "rooms": 3}, {"id": "h2", "rooms": 5}]},
                {"name": "Ash", "homes": []},
            ]
        }
    },
    references={"Home": lambda ref: {"id": ref["id"], "rooms": HOMES[ref["id"]]["rooms"]}},
)

survey = Subgraph(
    name="survey",
    sdl=link("@key")
    + """
    type Home @key(fields: "id") { id: ID! area(unit: String = "m2"): Int! }
    """,
    resolvers={"Home": {"area": _area}},
    references={"Home": lambda ref: {"id": ref["id"], "floor": HOMES[ref["id"]]["floor"]}},
)

tax = Subgraph(
    name="tax",
    sdl=link("@key", "@external", "@requires")
    + """
    type Home @key(fields: "id") {
      id: ID!
      area(unit: String = "m2"): Int! @external
      rooms: Int! @external
      bill: Int! @requires(fields: "area(unit: \\"ft2\\") rooms")
    }
    """,
    resolvers={"Home": {"bill": _bill}},
    references={"Home": lambda ref: dict(ref)},
)

NO_HOMES: dict[str, Any] = {"homes": []}

CASE = Case(
    name="requires-argument-from-third",
    behaviour="@requires of a field with an argument from a third subgraph, nested lists",
    subgraphs=(registry, survey, tax),
    probes=(
        Probe(
            label="requirement-only",
            query="{ streets { name homes { bill } } }",
            data={
                "streets": [
                    {"name": "Elm", "homes": [{"bill": 83}, {"bill": 125}]},
                    {"name": "Ash", "homes": []},
                ]
            },
        ),
        Probe(
            label="client-asks-the-default-argument",
            query="{ streets { homes { area bill } } }",
            data={
                "streets": [
                    {"homes": [{"area": 80, "bill": 83}, {"area": 120, "bill": 125}]},
                    NO_HOMES,
                ]
            },
            apollo=ApolloDifference(
                reason="@apollo/gateway sends the client's area (m2) as the required "
                "area(unit: ft2), so the bill is computed from the wrong value"
            ),
        ),
        Probe(
            label="client-asks-the-same-argument-by-variable",
            query="query($u: String) { streets { homes { area(unit: $u) bill } } }",
            variables={"u": "ft2"},
            data={
                "streets": [
                    {"homes": [{"area": 800, "bill": 83}, {"area": 1200, "bill": 125}]},
                    NO_HOMES,
                ]
            },
        ),
        Probe(
            label="aliases-swap-the-requirement-and-the-requirer",
            query="{ streets { homes { rooms: bill bill: rooms } } }",
            data={
                "streets": [
                    {"homes": [{"rooms": 83, "bill": 3}, {"rooms": 125, "bill": 5}]},
                    NO_HOMES,
                ]
            },
        ),
    ),
)
