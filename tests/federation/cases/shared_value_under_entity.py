"""A ``@shareable`` value type under an entity, each subgraph resolving different fields of it
(``Address { line1 }`` in one, ``Address { postcode ward }`` in another): the gateway asks
each for its part through the entity's key and merges the one object, in lists too, and
chooses one subgraph when it alone can answer everything asked."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

HOMES: dict[str, dict[str, Any]] = {
    "h1": {"line1": "1 Canal St", "postcode": "M1 3HE", "ward": "Piccadilly"},
    "h2": {"line1": "9 Oak Rd", "postcode": "M20 6RT", "ward": "Didsbury West"},
}

tenancies = Subgraph(
    name="tenancies",
    sdl=link("@key", "@shareable")
    + """
    type Query { homes: [Home!]! }
    type Home @key(fields: "id") { id: ID! address: Address! @shareable rent: Int! }
    type Address @shareable { line1: String! }
    """,
    resolvers={
        "Query": {
            "homes": lambda *_: [
                {"id": k, "rent": 600, "address": {"line1": v["line1"]}} for k, v in HOMES.items()
            ]
        }
    },
    references={
        "Home": lambda ref: {
            "id": ref["id"],
            "rent": 600,
            "address": {"line1": HOMES[ref["id"]]["line1"]},
        }
    },
)

gazetteer = Subgraph(
    name="gazetteer",
    sdl=link("@key", "@shareable")
    + """
    type Query { home(id: ID!): Home }
    type Home @key(fields: "id") { id: ID! address: Address! @shareable }
    type Address @shareable { postcode: String! ward: String }
    """,
    resolvers={
        "Query": {
            "home": lambda _, a: {
                "id": a["id"],
                "address": {k: HOMES[a["id"]][k] for k in ("postcode", "ward")},
            }
        }
    },
    references={
        "Home": lambda ref: {
            "id": ref["id"],
            "address": {k: HOMES[ref["id"]][k] for k in ("postcode", "ward")},
        }
    },
)

CASE = Case(
    name="shared-value-under-entity",
    behaviour="a shareable value type split across subgraphs under an entity, merged",
    subgraphs=(tenancies, gazetteer),
    probes=(
        Probe(
            label="both-parts-in-a-list",
            query="{ homes { rent address { line1 postcode ward } } }",
            data={
                "homes": [
                    {
                        "rent": 600,
                        "address": {
                            "line1": "1 Canal St",
                            "postcode": "M1 3HE",
                            "ward": "Piccadilly",
                        },
                    },
                    {
                        "rent": 600,
                        "address": {
                            "line1": "9 Oak Rd",
                            "postcode": "M20 6RT",
                            "ward": "Didsbury West",
                        },
                    },
                ]
            },
            requests={"tenancies": 1, "gazetteer": 1},
        ),
        Probe(
            label="both-parts-from-the-other-root",
            query='{ home(id: "h2") { address { ward line1 } rent } }',
            data={"home": {"address": {"ward": "Didsbury West", "line1": "9 Oak Rd"}, "rent": 600}},
            requests={"tenancies": 1, "gazetteer": 1},
        ),
        Probe(
            label="one-part-only",
            query="{ homes { address { line1 } } }",
            data={
                "homes": [{"address": {"line1": "1 Canal St"}}, {"address": {"line1": "9 Oak Rd"}}]
            },
            requests={"tenancies": 1, "gazetteer": 0},
        ),
        Probe(
            label="aliased-twice-with-different-parts",
            query="{ homes { a: address { line1 } b: address { postcode } } }",
            data={
                "homes": [
                    {"a": {"line1": "1 Canal St"}, "b": {"postcode": "M1 3HE"}},
                    {"a": {"line1": "9 Oak Rd"}, "b": {"postcode": "M20 6RT"}},
                ]
            },
            requests={"tenancies": 1, "gazetteer": 1},
        ),
    ),
)
