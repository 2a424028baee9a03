"""Shared root fields: ``@shareable`` root fields over value types (no keys) split across
subgraphs, each resolving different fields: the gateway asks each and merges the objects."""

from tests.federation.support import Case, Probe, Subgraph, link

facilities = Subgraph(
    name="facilities",
    sdl=link("@shareable")
    + """
    type Query { pool: Pool! @shareable pools: [Pool!]! @shareable }
    type Pool { id: ID! @shareable name: String! }
    """,
    resolvers={
        "Query": {
            "pool": lambda *_: {"id": "pl1", "name": "Victoria Baths"},
            "pools": lambda *_: [{"id": "pl1", "name": "Victoria Baths"}],
        }
    },
)

timetables = Subgraph(
    name="timetables",
    sdl=link("@shareable")
    + """
    type Query { pool: Pool! @shareable pools: [Pool!]! @shareable }
    type Pool { id: ID! @shareable laneSwim: String! }
    """,
    resolvers={
        "Query": {
            "pool": lambda *_: {"id": "pl1", "laneSwim": "07:00"},
            "pools": lambda *_: [{"id": "pl1", "laneSwim": "07:00"}],
        }
    },
)

prices = Subgraph(
    name="prices",
    sdl=link("@shareable")
    + """
    type Query { pool: Pool! @shareable pools: [Pool!]! @shareable }
    type Pool { id: ID! @shareable adultPence: Int! }
    """,
    resolvers={
        "Query": {
            "pool": lambda *_: {"id": "pl1", "adultPence": 450},
            "pools": lambda *_: [{"id": "pl1", "adultPence": 450}],
        }
    },
)

CASE = Case(
    name="shared-root",
    behaviour="one @shareable root field over value types, its fields split across subgraphs",
    subgraphs=(facilities, timetables, prices),
    probes=(
        Probe(
            label="fields-from-three-subgraphs",
            query="{ pool { id name laneSwim adultPence } }",
            data={
                "pool": {
                    "id": "pl1",
                    "name": "Victoria Baths",
                    "laneSwim": "07:00",
                    "adultPence": 450,
                }
            },
            requests={"facilities": 1, "timetables": 1, "prices": 1},
        ),
        Probe(
            label="lists",
            query="{ pools { name adultPence } }",
            data={"pools": [{"name": "Victoria Baths", "adultPence": 450}]},
            requests={"facilities": 1, "prices": 1, "timetables": 0},
        ),
        Probe(
            label="one-subgraph-suffices",
            query="{ pool { id laneSwim } }",
            data={"pool": {"id": "pl1", "laneSwim": "07:00"}},
            requests={"timetables": 1, "facilities": 0, "prices": 0},
        ),
    ),
)
