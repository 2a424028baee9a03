"""``@override``: a field moved to another subgraph is always fetched there — directly, through
an interface the type implements in the old subgraph, and when the new owner ``@requires``
an input. ``@override(from:)`` naming a subgraph that does not exist changes nothing."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

BINS = {
    "b1": {"ward": "w1", "day": "Tuesday", "litres": 240},
    "b2": {"ward": "w2", "day": "Friday", "litres": 140},
}


def _need(obj: Mapping[str, Any], field: str) -> Any:
    if field not in obj:
        raise ValueError(f"{field} was not provided")
    return obj[field]


legacy = Subgraph(
    name="legacy",
    sdl=link("@key", "@shareable")
    + """
    type Query { collections: [Collection!]! bins: [Bin!]! }
    interface Collection { id: ID! day: String! }
    type Bin implements Collection @key(fields: "id") {
      id: ID!
      day: String!
      litres: Int! @shareable
      colour: String!
    }
    """,
    resolvers={
        "Query": {
            "collections": lambda *_: [{"__typename": "Bin", "id": k} for k in BINS],
            "bins": lambda *_: [{"id": k} for k in BINS],
        },
        "Bin": {
            "day": lambda *_: "LEGACY: overridden",
            "litres": lambda b, _: BINS[b["id"]]["litres"],
            "colour": lambda *_: "grey",
        },
    },
    references={"Bin": lambda ref: {"id": ref["id"]}},
)

rounds = Subgraph(
    name="rounds",
    sdl=link("@key", "@override", "@external", "@requires", "@shareable")
    + """
    type Query { nextRound: [Bin!]! @shareable }
    interface Collection { id: ID! day: String! }
    type Sack implements Collection @key(fields: "id") { id: ID! day: String! }
    type Bin @key(fields: "id") {
      id: ID!
      day: String! @override(from: "legacy")
      ward: String! @override(from: "legacy")
      litres: Int! @external
      lifts: Int! @requires(fields: "litres")
      capacityNote: String! @override(from: "nowhere")
    }
    """,
    resolvers={
        "Query": {"nextRound": lambda *_: [{"id": "b2"}]},
        "Bin": {
            "day": lambda b, _: BINS[b["id"]]["day"],
            "ward": lambda b, _: BINS[b["id"]]["ward"],
            "lifts": lambda b, _: 1 + _need(b, "litres") // 200,
            "capacityNote": lambda b, _: f"{b['id']} capacity",
        },
    },
    references={"Bin": lambda ref: dict(ref)},
)

CASE = Case(
    name="override",
    behaviour="@override: the new owner answers, also through an interface and with @requires",
    subgraphs=(legacy, rounds),
    probes=(
        Probe(
            label="overridden-field",
            query="{ bins { id day colour } }",
            data={
                "bins": [
                    {"id": "b1", "day": "Tuesday", "colour": "grey"},
                    {"id": "b2", "day": "Friday", "colour": "grey"},
                ]
            },
        ),
        Probe(
            label="through-the-interface",
            query="{ collections { id day } }",
            data={"collections": [{"id": "b1", "day": "Tuesday"}, {"id": "b2", "day": "Friday"}]},
        ),
        Probe(
            label="through-a-fragment-on-the-type",
            query="{ collections { ... on Bin { day } } }",
            data={"collections": [{"day": "Tuesday"}, {"day": "Friday"}]},
        ),
        Probe(
            label="member-known-only-elsewhere",
            query="{ collections { ... on Sack { id day } } }",
            data={"collections": [{}, {}]},
            requests={"legacy": 1, "rounds": 0},
        ),
        Probe(
            label="moved-field-that-did-not-exist-before",
            query="{ bins { ward } }",
            data={"bins": [{"ward": "w1"}, {"ward": "w2"}]},
        ),
        Probe(
            label="override-with-requires",
            query="{ nextRound { day lifts } }",
            data={"nextRound": [{"day": "Friday", "lifts": 1}]},
        ),
        Probe(
            label="override-from-unknown-subgraph",
            query="{ nextRound { capacityNote } bins { capacityNote } }",
            data={
                "nextRound": [{"capacityNote": "b2 capacity"}],
                "bins": [{"capacityNote": "b1 capacity"}, {"capacityNote": "b2 capacity"}],
            },
        ),
    ),
)
