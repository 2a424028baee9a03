"""``__typename`` at every level: on the root types (query and mutation), on objects, on
abstract types whose members live in other subgraphs, aliased several times, inside type
conditions, and as the only field of an entity branch."""

from tests.federation.support import Case, Probe, Subgraph, link

kitchen = Subgraph(
    name="kitchen",
    sdl=link("@key")
    + """
    type Query { appliance: Appliance socket: Socket staff: [Staff!]! }
    type Mutation { noop: Boolean! }
    interface Appliance { id: ID! }
    type Kettle implements Appliance @key(fields: "id") { id: ID! }
    type Toaster implements Appliance @key(fields: "id") { id: ID! }
    union Socket = Kettle | Toaster
    interface Staff { id: ID! }
    type Cook implements Staff @key(fields: "id") { id: ID! }
    """,
    resolvers={
        "Query": {
            "appliance": lambda *_: {"__typename": "Toaster", "id": "t1"},
            "socket": lambda *_: {"__typename": "Kettle", "id": "k1"},
            "staff": lambda *_: [
                {"__typename": "Cook", "id": "c1"},
                {"__typename": "Cook", "id": "c2"},
            ],
        },
        "Mutation": {"noop": lambda *_: True},
    },
)

safety = Subgraph(
    name="safety",
    sdl=link("@key")
    + """
    type Kettle @key(fields: "id") { id: ID! tested: Boolean! }
    type Toaster @key(fields: "id") { id: ID! tested: Boolean! }
    """,
    references={
        "Kettle": lambda ref: {"id": ref["id"], "tested": True},
        "Toaster": lambda ref: {"id": ref["id"], "tested": False},
    },
)

CASE = Case(
    name="typename",
    behaviour="__typename on roots, objects, abstract types, aliased, inside fragments",
    subgraphs=(kitchen, safety),
    probes=(
        Probe(
            label="root-typename-only",
            query="{ __typename }",
            data={"__typename": "Query"},
            requests={"kitchen": 0, "safety": 0},
        ),
        Probe(
            label="mutation-root-typename",
            query="mutation { __typename noop }",
            data={"__typename": "Mutation", "noop": True},
        ),
        Probe(
            label="union-typename-aliased",
            query="{ socket { __typename kind: __typename } }",
            data={"socket": {"__typename": "Kettle", "kind": "Kettle"}},
        ),
        Probe(
            label="interface-typename-three-times",
            query="{ appliance { id __typename a: __typename b: __typename } }",
            data={
                "appliance": {"id": "t1", "__typename": "Toaster", "a": "Toaster", "b": "Toaster"}
            },
        ),
        Probe(
            label="typename-in-type-conditions",
            query=(
                "{ socket { __typename ... on Kettle { kind: __typename tested } ... on Toaster { "
                "kind: __typename } } }"
            ),
            data={"socket": {"__typename": "Kettle", "kind": "Kettle", "tested": True}},
        ),
        Probe(
            label="typename-with-entity-fields",
            query=(
                "{ __typename appliance { __typename ... on Toaster { tested } } staff { "
                "__typename } }"
            ),
            data={
                "__typename": "Query",
                "appliance": {"__typename": "Toaster", "tested": False},
                "staff": [{"__typename": "Cook"}, {"__typename": "Cook"}],
            },
        ),
    ),
)
