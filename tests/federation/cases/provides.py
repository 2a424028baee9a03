"""``@provides``: a subgraph that can answer an ``@external`` field on one path saves an entity
call there, and only there; nested provides reach two levels down."""

from tests.federation.support import Case, Probe, Subgraph, link

STOPS = {
    "st1": {"name": "Piccadilly", "shelter": True},
    "st2": {"name": "Oxford Road", "shelter": False},
}
OPERATORS = {"op1": {"name": "Bee Network", "depot": "Queens Road"}}

network = Subgraph(
    name="network",
    sdl=link("@key", "@shareable")
    + """
    type Stop @key(fields: "id") { id: ID! name: String! @shareable shelter: Boolean! }
    type Operator @key(fields: "id") { id: ID! name: String! @shareable depot: String! }
    """,
    references={
        "Stop": lambda ref: {"id": ref["id"], **STOPS[ref["id"]]},
        "Operator": lambda ref: {"id": ref["id"], **OPERATORS[ref["id"]]},
    },
)

departures = Subgraph(
    name="departures",
    sdl=link("@key", "@external", "@provides", "@shareable")
    + """
    type Query {
      nextStop: Stop @provides(fields: "name")
      anyStop: Stop
      board: Board! @provides(fields: "services { operator { name } }")
    }
    type Board { services: [Service!]! }
    type Service @key(fields: "id") { id: ID! operator: Operator! }
    type Stop @key(fields: "id") { id: ID! name: String! @external }
    type Operator @key(fields: "id") { id: ID! name: String! @external }
    """,
    resolvers={
        "Query": {
            "nextStop": lambda *_: {"id": "st1", "name": "Piccadilly"},
            "anyStop": lambda *_: {"id": "st2"},
            "board": lambda *_: {
                "services": [{"id": "sv1", "operator": {"id": "op1", "name": "Bee Network"}}]
            },
        },
        "Stop": {"name": lambda s, _: s.get("name", "NEVER: not provided on this path")},
    },
    references={"Service": lambda ref: {"id": ref["id"], "operator": {"id": "op1"}}},
)

CASE = Case(
    name="provides",
    behaviour="@provides saves the entity call on its path only; nested @provides",
    subgraphs=(network, departures),
    probes=(
        Probe(
            label="provided-field-no-entity-call",
            query="{ nextStop { id name } }",
            data={"nextStop": {"id": "st1", "name": "Piccadilly"}},
            requests={"departures": 1, "network": 0},
        ),
        Probe(
            label="provided-and-unprovided-fields",
            query="{ nextStop { name shelter } }",
            data={"nextStop": {"name": "Piccadilly", "shelter": True}},
            requests={"departures": 1, "network": 1},
        ),
        Probe(
            label="not-provided-on-this-path",
            query="{ anyStop { name } }",
            data={"anyStop": {"name": "Oxford Road"}},
            requests={"departures": 1, "network": 1},
        ),
        Probe(
            label="nested-provides",
            query="{ board { services { operator { name } } } }",
            data={"board": {"services": [{"operator": {"name": "Bee Network"}}]}},
            requests={"departures": 1, "network": 0},
        ),
        Probe(
            label="nested-provides-plus-unprovided",
            query="{ board { services { operator { name depot } } } }",
            data={
                "board": {
                    "services": [{"operator": {"name": "Bee Network", "depot": "Queens Road"}}]
                }
            },
            requests={"departures": 1, "network": 1},
        ),
    ),
)
