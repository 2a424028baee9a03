"""GraphQL response semantics through the gateway: a null for a non-null field — in a root
field, in an entity fetched from another subgraph, deep in a list — bubbles to the nearest
nullable parent as the client's schema says, with one error at the full path of the field
that failed; the rest of the answer stays (partial data)."""

from typing import Any

from tests.federation.support import Case, ExpectedError, Probe, Subgraph, link

DEPOTS: dict[str, dict[str, Any]] = {
    "d1": {"id": "d1", "name": "Hyde Road", "manager": {"name": "Ada"}},
    "d2": {"id": "d2", "name": None, "manager": {"name": None}},
    "d3": {"id": "d3", "name": "Queens Road", "manager": None},
}

VANS: dict[str, list[dict[str, Any]]] = {
    "d1": [{"reg": "MA1", "mot": "2027-01"}, {"reg": "MA2", "mot": None}],
    "d2": [{"reg": "MB1", "mot": "2026-03"}],
    "d3": [{"reg": "MC1", "mot": None}, {"reg": None, "mot": "2026-12"}],
}

CAPACITY = {"d1": 12, "d2": 4, "d3": None}

depots = Subgraph(
    name="depots",
    sdl=link("@key")
    + """
    type Query {
      depot(id: ID!): Depot
      depots: [Depot]!
      strictDepot(id: ID!): Depot!
      strictDepots: [Depot!]
      headcount: Int
    }
    type Depot @key(fields: "id") { id: ID! name: String! manager: Manager }
    type Manager { name: String! }
    """,
    resolvers={
        "Query": {
            "depot": lambda _, a: DEPOTS.get(a["id"]),
            "depots": lambda *_: list(DEPOTS.values()),
            "strictDepot": lambda _, a: DEPOTS.get(a["id"]),
            "strictDepots": lambda *_: list(DEPOTS.values()),
            "headcount": lambda *_: 31,
        }
    },
    references={"Depot": lambda ref: DEPOTS.get(ref["id"])},
)

fleet = Subgraph(
    name="fleet",
    sdl=link("@key")
    + """
    type Depot @key(fields: "id") { id: ID! capacity: Int! vans: [Van!]! }
    type Van { reg: String! mot: String }
    """,
    references={
        "Depot": lambda ref: {
            "id": ref["id"],
            "capacity": CAPACITY.get(ref["id"]),
            "vans": VANS.get(ref["id"], []),
        }
    },
)

CASE = Case(
    name="null-propagation",
    behaviour="a null for a non-null field bubbles to the nearest nullable parent",
    subgraphs=(depots, fleet),
    probes=(
        Probe(
            label="root-object-nulled-by-its-own-field",
            query='{ depot(id: "d2") { id name } headcount }',
            data={"depot": None, "headcount": 31},
            errors=(ExpectedError(path=("depot", "name")),),
        ),
        Probe(
            label="nested-value-object-nulled",
            query='{ depot(id: "d2") { id manager { name } } }',
            data={"depot": {"id": "d2", "manager": None}},
            errors=(ExpectedError(path=("depot", "manager", "name")),),
        ),
        Probe(
            label="non-null-root-field-nulls-data",
            query='{ strictDepot(id: "d2") { name } }',
            data=None,
            errors=(ExpectedError(path=("strictDepot", "name")),),
        ),
        Probe(
            label="list-item-nulled-by-its-own-field",
            query="{ depots { id name } }",
            data={
                "depots": [
                    {"id": "d1", "name": "Hyde Road"},
                    None,
                    {"id": "d3", "name": "Queens Road"},
                ]
            },
            errors=(ExpectedError(path=("depots", 1, "name")),),
        ),
        Probe(
            label="entity-field-null-bubbles-to-the-list-item",
            query="{ depots { id capacity } }",
            data={"depots": [{"id": "d1", "capacity": 12}, {"id": "d2", "capacity": 4}, None]},
            errors=(ExpectedError(path=("depots", 2, "capacity")),),
        ),
        Probe(
            label="entity-field-null-bubbles-through-non-null-items",
            query="{ strictDepots { id capacity } headcount }",
            data={"strictDepots": None, "headcount": 31},
            errors=(ExpectedError(path=("strictDepots", 2, "capacity")),),
        ),
        Probe(
            label="deep-in-an-entity-list",
            query='{ depot(id: "d3") { name vans { reg mot } } }',
            data={"depot": None},
            errors=(ExpectedError(path=("depot", "vans", 1, "reg")),),
        ),
        Probe(
            label="nullable-leaves-stay",
            query='{ depot(id: "d1") { name vans { reg mot } } }',
            data={
                "depot": {
                    "name": "Hyde Road",
                    "vans": [{"reg": "MA1", "mot": "2027-01"}, {"reg": "MA2", "mot": None}],
                }
            },
        ),
        Probe(
            label="aliases-in-the-error-path",
            query="""{
              second: depot(id: "d2") { label: name }
              first: depot(id: "d1") { label: name }
            }""",
            data={"second": None, "first": {"label": "Hyde Road"}},
            errors=(ExpectedError(path=("second", "label")),),
        ),
    ),
)
