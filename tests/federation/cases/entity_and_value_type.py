"""A type that is an entity in one subgraph and a plain value type (no ``@key``) in another:
reached from the value-type side, the gateway still jumps to the entity's subgraph with the
key fields the value type carries; reached from the entity side, the value-type subgraph
(which cannot be called by key) only answers on its own paths."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

WARDS: dict[str, dict[str, Any]] = {
    "w1": {"id": "w1", "name": "Ancoats", "population": 14000},
    "w2": {"id": "w2", "name": "Hulme", "population": 17000},
}

wards = Subgraph(
    name="wards",
    sdl=link("@key", "@shareable")
    + """
    type Query { ward(id: ID!): Ward }
    type Ward @key(fields: "id") { id: ID! name: String! @shareable population: Int! }
    """,
    resolvers={"Query": {"ward": lambda _, a: WARDS.get(a["id"])}},
    references={"Ward": lambda ref: WARDS.get(ref["id"])},
)

elections = Subgraph(
    name="elections",
    sdl=link("@shareable")
    + """
    type Query { results: [Result!]! }
    type Result { ward: Ward! turnout: Float! }
    type Ward @shareable { id: ID! name: String! }
    """,
    resolvers={
        "Query": {
            "results": lambda *_: [
                {"ward": {"id": "w2", "name": "Hulme"}, "turnout": 0.31},
                {"ward": {"id": "w1", "name": "Ancoats"}, "turnout": 0.27},
            ]
        }
    },
)

CASE = Case(
    name="entity-and-value-type",
    behaviour="a value type in one subgraph is an entity in another: key jump from the value",
    subgraphs=(wards, elections),
    probes=(
        Probe(
            label="value-side-only",
            query="{ results { turnout ward { id name } } }",
            data={
                "results": [
                    {"turnout": 0.31, "ward": {"id": "w2", "name": "Hulme"}},
                    {"turnout": 0.27, "ward": {"id": "w1", "name": "Ancoats"}},
                ]
            },
            requests={"elections": 1, "wards": 0},
        ),
        Probe(
            label="jump-from-the-value-to-the-entity",
            query="{ results { ward { name population } } }",
            data={
                "results": [
                    {"ward": {"name": "Hulme", "population": 17000}},
                    {"ward": {"name": "Ancoats", "population": 14000}},
                ]
            },
            requests={"elections": 1, "wards": 1},
        ),
        Probe(
            label="entity-side-only",
            query='{ ward(id: "w1") { id name population } }',
            data={"ward": {"id": "w1", "name": "Ancoats", "population": 14000}},
            requests={"wards": 1, "elections": 0},
        ),
    ),
)
