"""A ``Node`` interface with ``id``, resolved across subgraphs: the node subgraph only knows
ids and types; the other fields come from the subgraph that owns each type."""

from tests.federation.support import Case, Probe, Subgraph, link

PARKS = {"pk1": {"name": "Heaton Park", "acres": 600}}
RANGERS = {"rg1": {"name": "J. Byrne"}}

nodes = Subgraph(
    name="nodes",
    sdl=link("@key")
    + """
    type Query { node(id: ID!): Node nodes(ids: [ID!]!): [Node]! }
    interface Node { id: ID! }
    type Park implements Node @key(fields: "id") { id: ID! }
    type Ranger implements Node @key(fields: "id") { id: ID! }
    """,
    resolvers={
        "Query": {
            "node": lambda _, a: (
                {"__typename": "Park", "id": a["id"]}
                if a["id"] in PARKS
                else {"__typename": "Ranger", "id": a["id"]}
                if a["id"] in RANGERS
                else None
            ),
            "nodes": lambda _, a: [
                {"__typename": "Park", "id": i}
                if i in PARKS
                else {"__typename": "Ranger", "id": i}
                if i in RANGERS
                else None
                for i in a["ids"]
            ],
        }
    },
)

parks = Subgraph(
    name="parks",
    sdl=link("@key", "@shareable")
    + """
    type Park @key(fields: "id") { id: ID! name: String! acres: Int! }
    type Ranger @key(fields: "id") { id: ID! name: String! @shareable }
    """,
    references={
        "Park": lambda ref: {"id": ref["id"], **PARKS[ref["id"]]},
        "Ranger": lambda ref: {"id": ref["id"], **RANGERS[ref["id"]]},
    },
)

CASE = Case(
    name="node-interface",
    behaviour="Node { id } resolved by a node subgraph, other fields by each type's owner",
    subgraphs=(nodes, parks),
    probes=(
        Probe(
            label="node-by-id",
            query='{ node(id: "pk1") { id __typename ... on Park { name acres } } }',
            data={"node": {"id": "pk1", "__typename": "Park", "name": "Heaton Park", "acres": 600}},
        ),
        Probe(
            label="nodes-mixed-and-missing",
            query=(
                '{ nodes(ids: ["rg1", "zz", "pk1"]) { id ... on Ranger { name } ... on Park { '
                "name } } }"
            ),
            data={
                "nodes": [
                    {"id": "rg1", "name": "J. Byrne"},
                    None,
                    {"id": "pk1", "name": "Heaton Park"},
                ]
            },
        ),
        Probe(
            label="unknown-node",
            query='{ node(id: "nope") { id } }',
            data={"node": None},
        ),
    ),
)
