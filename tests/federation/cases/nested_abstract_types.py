"""Abstract types inside abstract types across subgraphs: an interface list whose members
carry a union-typed field, each member and union member completed by other subgraphs through
their keys; named fragments nested three deep, on the interface, a member and the union, with
``__typename`` aliased at each level."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

ASSETS: list[dict[str, Any]] = [
    {
        "__typename": "Vehicle",
        "id": "v1",
        "reg": "MX70 AAA",
        "owner": {"__typename": "Council", "id": "c1"},
    },
    {"__typename": "Building", "id": "bl1", "address": "1 Albert Sq", "owner": None},
    {
        "__typename": "Vehicle",
        "id": "v2",
        "reg": "MX71 BBB",
        "owner": {"__typename": "Contractor", "id": "k1"},
    },
]

registry = Subgraph(
    name="registry",
    sdl=link("@key")
    + """
    type Query { assets: [Asset!]! }
    interface Asset { id: ID! owner: Owner }
    union Owner = Council | Contractor
    type Vehicle implements Asset @key(fields: "id") { id: ID! reg: String! owner: Owner }
    type Building implements Asset @key(fields: "id") { id: ID! address: String! owner: Owner }
    type Council @key(fields: "id") { id: ID! }
    type Contractor @key(fields: "id") { id: ID! }
    """,
    resolvers={"Query": {"assets": lambda *_: ASSETS}},
)

finance = Subgraph(
    name="finance",
    sdl=link("@key")
    + """
    type Vehicle @key(fields: "id") { id: ID! value: Int! }
    type Council @key(fields: "id") { id: ID! budget: Int! }
    type Contractor @key(fields: "id") { id: ID! rating: String! }
    """,
    references={
        "Vehicle": lambda ref: {"id": ref["id"], "value": {"v1": 21000, "v2": 9000}[ref["id"]]},
        "Council": lambda ref: {"id": ref["id"], "budget": 5_000_000},
        "Contractor": lambda ref: {"id": ref["id"], "rating": "B"},
    },
)

estates = Subgraph(
    name="estates",
    sdl=link("@key")
    + """
    type Building @key(fields: "id") { id: ID! floors: Int! }
    type Council @key(fields: "id") { id: ID! name: String! }
    """,
    references={
        "Building": lambda ref: {"id": ref["id"], "floors": 5},
        "Council": lambda ref: {"id": ref["id"], "name": "Manchester City Council"},
    },
)

CASE = Case(
    name="nested-abstract-types",
    behaviour="a union field on interface members, each level completed by other subgraphs",
    subgraphs=(registry, finance, estates),
    probes=(
        Probe(
            label="inline-fragments-at-each-level",
            query="""{ assets {
              kind: __typename
              ... on Vehicle { value owner { who: __typename ... on Council { budget name }
                                                           ... on Contractor { rating } } }
              ... on Building { floors owner { __typename } }
            } }""",
            data={
                "assets": [
                    {
                        "kind": "Vehicle",
                        "value": 21000,
                        "owner": {
                            "who": "Council",
                            "budget": 5_000_000,
                            "name": "Manchester City Council",
                        },
                    },
                    {"kind": "Building", "floors": 5, "owner": None},
                    {
                        "kind": "Vehicle",
                        "value": 9000,
                        "owner": {"who": "Contractor", "rating": "B"},
                    },
                ]
            },
        ),
        Probe(
            label="named-fragments-three-deep",
            query="""
            query { assets { ...AssetParts } }
            fragment AssetParts on Asset { id owner { ...OwnerParts } ...VehicleParts }
            fragment VehicleParts on Vehicle { reg value owner { ... on Council { name } } }
            fragment OwnerParts on Owner { t: __typename ... on Contractor { rating } }
            """,
            data={
                "assets": [
                    {
                        "id": "v1",
                        "owner": {"t": "Council", "name": "Manchester City Council"},
                        "reg": "MX70 AAA",
                        "value": 21000,
                    },
                    {"id": "bl1", "owner": None},
                    {
                        "id": "v2",
                        "owner": {"t": "Contractor", "rating": "B"},
                        "reg": "MX71 BBB",
                        "value": 9000,
                    },
                ]
            },
        ),
        Probe(
            label="interface-field-then-union-fields",
            query="{ assets { owner { ... on Council { budget } ... on Contractor { id } } } }",
            data={
                "assets": [
                    {"owner": {"budget": 5_000_000}},
                    {"owner": None},
                    {"owner": {"id": "k1"}},
                ]
            },
        ),
    ),
)
