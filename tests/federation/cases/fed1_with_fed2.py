"""A Federation 1 subgraph (no ``@link``: ``extend type`` with ``@key`` on the extension,
``@external`` keys, ``@requires``, value types shared without ``@shareable``, multiple keys)
composed with Federation 2 subgraphs, one of which takes a field over from it with
``@override(from:)``."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

BINS: dict[str, dict[str, Any]] = {
    "bn1": {"id": "bn1", "uprn": "100", "colour": "blue", "litres": 240},
    "bn2": {"id": "bn2", "uprn": "200", "colour": "green", "litres": 140},
}

legacy = Subgraph(
    name="legacy",
    sdl="""
    extend type Query { legacyBins: [Bin!]! }
    extend type Bin @key(fields: "id") @key(fields: "uprn") {
      id: ID! @external
      uprn: String! @external
      litres: Int @external
      collectionDay: String
      liftsPerYear: Int @requires(fields: "litres")
    }
    type Crew { name: String }
    """,
    resolvers={
        "Query": {
            "legacyBins": lambda *_: [{"id": "bn2", "uprn": "200"}, {"id": "bn1", "uprn": "100"}]
        },
        "Bin": {
            "collectionDay": lambda b, _: "NEVER: moved to rounds",
            "liftsPerYear": lambda b, _: 26 if b["litres"] > 200 else 52,
        },
    },
    references={"Bin": lambda ref: dict(ref)},
)

containers = Subgraph(
    name="containers",
    sdl=link("@key", "@shareable")
    + """
    type Query { bins: [Bin!]! bin(uprn: String!): Bin }
    type Bin @key(fields: "id") @key(fields: "uprn") {
      id: ID!
      uprn: String!
      colour: String!
      litres: Int
      crew: Crew
    }
    type Crew @shareable { name: String }
    """,
    resolvers={
        "Query": {
            "bins": lambda *_: list(BINS.values()),
            "bin": lambda _, a: next((b for b in BINS.values() if b["uprn"] == a["uprn"]), None),
        },
        "Bin": {"crew": lambda *_: {"name": "Crew 7"}},
    },
    references={
        "Bin": lambda ref: next(
            (b for b in BINS.values() if b["id"] == ref.get("id") or b["uprn"] == ref.get("uprn")),
            None,
        )
    },
)

rounds = Subgraph(
    name="rounds",
    sdl=link("@key", "@override")
    + """
    type Bin @key(fields: "uprn") {
      uprn: String!
      collectionDay: String @override(from: "legacy")
    }
    """,
    references={
        "Bin": lambda ref: {
            "uprn": ref["uprn"],
            "collectionDay": {"100": "Tuesday", "200": "Friday"}[ref["uprn"]],
        }
    },
)

CASE = Case(
    name="fed1-with-fed2",
    behaviour="a Fed 1 extension composed with Fed 2 subgraphs that override one of its fields",
    subgraphs=(legacy, containers, rounds),
    probes=(
        Probe(
            label="overridden-field-from-the-fed1-root",
            query="{ legacyBins { id collectionDay } }",
            data={
                "legacyBins": [
                    {"id": "bn2", "collectionDay": "Friday"},
                    {"id": "bn1", "collectionDay": "Tuesday"},
                ]
            },
            requests={"legacy": 1, "containers": 0, "rounds": 1},
        ),
        Probe(
            label="requires-on-the-fed1-extension",
            query="{ bins { colour liftsPerYear collectionDay } }",
            data={
                "bins": [
                    {"colour": "blue", "liftsPerYear": 26, "collectionDay": "Tuesday"},
                    {"colour": "green", "liftsPerYear": 52, "collectionDay": "Friday"},
                ]
            },
            requests={"legacy": 1, "containers": 1, "rounds": 1},
        ),
        Probe(
            label="second-key-from-the-fed1-root",
            query='{ bin(uprn: "200") { id liftsPerYear crew { name } } }',
            data={"bin": {"id": "bn2", "liftsPerYear": 52, "crew": {"name": "Crew 7"}}},
        ),
        Probe(
            label="value-type-shared-with-fed1",
            query="{ legacyBins { uprn crew { name } } }",
            data={
                "legacyBins": [
                    {"uprn": "200", "crew": {"name": "Crew 7"}},
                    {"uprn": "100", "crew": {"name": "Crew 7"}},
                ]
            },
        ),
    ),
)
