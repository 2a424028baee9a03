"""Documents with several operations: ``operationName`` picks one (the others, and their
fragments, are not run), a document with several operations and no name is a request
error, an unknown name too; fragments defined after use and shared between operations."""

from typing import Any

from tests.federation.support import ANY_ERROR, ApolloDifference, Case, Probe, Subgraph, link

PARKS: list[dict[str, Any]] = [
    {"id": "p1", "name": "Heaton Park"},
    {"id": "p2", "name": "Platt Fields"},
]

parks = Subgraph(
    name="parks",
    sdl=link("@key")
    + """
    type Query { parks: [Park!]! park(id: ID!): Park }
    type Mutation { closePark(id: ID!): Park }
    type Park @key(fields: "id") { id: ID! name: String! }
    """,
    resolvers={
        "Query": {
            "parks": lambda *_: PARKS,
            "park": lambda _, a: next((p for p in PARKS if p["id"] == a["id"]), None),
        },
        "Mutation": {"closePark": lambda *_: (_ for _ in ()).throw(RuntimeError("never run"))},
    },
    references={"Park": lambda ref: next((p for p in PARKS if p["id"] == ref["id"]), None)},
)

events = Subgraph(
    name="events",
    sdl=link("@key")
    + """
    type Park @key(fields: "id") { id: ID! events(limit: Int = 2): [String!]! }
    """,
    references={"Park": lambda ref: {"id": ref["id"]}},
    resolvers={
        "Park": {"events": lambda p, a: [f"{p['id']}-event-{i}" for i in range(a["limit"])]}
    },
)

DOCUMENT = """
query Names { parks { ...Named } }
query WithEvents($limit: Int, $id: ID!) { park(id: $id) { ...Named ...Happening } }
mutation Close { closePark(id: "p1") { id } }
fragment Happening on Park { events(limit: $limit) }
fragment Named on Park { id name }
"""

CASE = Case(
    name="named-operations",
    behaviour="operationName selects one of several operations; ambiguity is a request error",
    subgraphs=(parks, events),
    probes=(
        Probe(
            label="first-by-name",
            query=DOCUMENT,
            operation_name="Names",
            data={
                "parks": [{"id": "p1", "name": "Heaton Park"}, {"id": "p2", "name": "Platt Fields"}]
            },
            requests={"parks": 1, "events": 0},
            apollo=ApolloDifference(
                reason="@apollo/gateway checks the variables of fragments the chosen operation "
                "never spreads ($limit of Happening) and refuses it; the document is valid "
                "(No Undefined Variables looks only at fragments an operation spreads)"
            ),
        ),
        Probe(
            label="second-by-name-with-variables",
            query=DOCUMENT,
            operation_name="WithEvents",
            variables={"limit": 1, "id": "p2"},
            data={"park": {"id": "p2", "name": "Platt Fields", "events": ["p2-event-0"]}},
        ),
        Probe(
            label="omitted-variable-in-fragment-keeps-argument-default",
            query=DOCUMENT,
            operation_name="WithEvents",
            variables={"id": "p1"},
            data={
                "park": {"id": "p1", "name": "Heaton Park", "events": ["p1-event-0", "p1-event-1"]}
            },
        ),
        Probe(
            label="no-name-with-several-operations",
            query=DOCUMENT,
            data=None,
            errors=ANY_ERROR,
            requests={"parks": 0, "events": 0},
        ),
        Probe(
            label="unknown-name",
            query=DOCUMENT,
            operation_name="Nope",
            data=None,
            errors=ANY_ERROR,
            requests={"parks": 0, "events": 0},
        ),
        Probe(
            label="single-anonymous-operation-with-a-name-given",
            query="query Only { parks { id } }",
            operation_name="Only",
            data={"parks": [{"id": "p1"}, {"id": "p2"}]},
        ),
    ),
)
