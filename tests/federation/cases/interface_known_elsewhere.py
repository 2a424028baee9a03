"""A fragment on an interface that the subgraph answering the list does not know: ``items``
(an ``Item`` list from ``catalogue``) spread with ``... on Reviewable``, an interface only
``reviews`` declares and only some item types implement there. The gateway must apply it per
concrete type (never forward it where it is unknown), also nested, named and with fields of
the first subgraph inside it."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

ITEMS: list[dict[str, Any]] = [
    {"__typename": "Book", "id": "i1", "sku": "BK-1"},
    {"__typename": "Magazine", "id": "i2", "sku": "MG-1"},
    {"__typename": "Toy", "id": "i3", "sku": "TY-1"},
    {"__typename": "Book", "id": "i4", "sku": "BK-2"},
]
SCORES = {"i1": 4.5, "i4": 3.0, "i3": 5.0}

catalogue = Subgraph(
    name="catalogue",
    sdl=link("@key")
    + """
    type Query { items: [Item!]! }
    interface Item { id: ID! sku: String! }
    type Book implements Item @key(fields: "id") { id: ID! sku: String! }
    type Magazine implements Item @key(fields: "id") { id: ID! sku: String! }
    type Toy implements Item @key(fields: "id") { id: ID! sku: String! }
    """,
    resolvers={"Query": {"items": lambda *_: ITEMS}},
    references={
        name: (lambda ref: next((i for i in ITEMS if i["id"] == ref["id"]), None))
        for name in ("Book", "Magazine", "Toy")
    },
)

reviews = Subgraph(
    name="reviews",
    sdl=link("@key")
    + """
    interface Reviewable { score: Float reviews: [String!]! }
    type Book implements Reviewable @key(fields: "id") {
      id: ID! score: Float reviews: [String!]!
    }
    type Toy implements Reviewable @key(fields: "id") {
      id: ID! score: Float reviews: [String!]! ageRange: String
    }
    type Magazine @key(fields: "id") { id: ID! issue: Int }
    """,
    references={
        "Book": lambda ref: {"id": ref["id"], "score": SCORES[ref["id"]], "reviews": ["good"]},
        "Toy": lambda ref: {
            "id": ref["id"],
            "score": SCORES[ref["id"]],
            "reviews": ["fun", "loud"],
            "ageRange": "3-5",
        },
        "Magazine": lambda ref: {"id": ref["id"], "issue": 12},
    },
)

CASE = Case(
    name="interface-known-elsewhere",
    behaviour="a fragment on an interface the list's subgraph does not know, applied per type",
    subgraphs=(catalogue, reviews),
    probes=(
        Probe(
            label="interface-fragment-from-another-subgraph",
            query="{ items { sku ... on Reviewable { score } } }",
            data={
                "items": [
                    {"sku": "BK-1", "score": 4.5},
                    {"sku": "MG-1"},
                    {"sku": "TY-1", "score": 5.0},
                    {"sku": "BK-2", "score": 3.0},
                ]
            },
        ),
        Probe(
            label="typename-and-first-subgraph-fields-inside-it",
            query="""{ items { ... on Reviewable {
              kind: __typename reviews ... on Book { sku } ... on Toy { ageRange }
            } } }""",
            data={
                "items": [
                    {"kind": "Book", "reviews": ["good"], "sku": "BK-1"},
                    {},
                    {"kind": "Toy", "reviews": ["fun", "loud"], "ageRange": "3-5"},
                    {"kind": "Book", "reviews": ["good"], "sku": "BK-2"},
                ]
            },
        ),
        Probe(
            label="named-fragment-on-the-other-interface",
            query="""
            { items { id ...Rated ... on Magazine { issue } } }
            fragment Rated on Reviewable { score ... on Item { sku } }
            """,
            data={
                "items": [
                    {"id": "i1", "score": 4.5, "sku": "BK-1"},
                    {"id": "i2", "issue": 12},
                    {"id": "i3", "score": 5.0, "sku": "TY-1"},
                    {"id": "i4", "score": 3.0, "sku": "BK-2"},
                ]
            },
        ),
        Probe(
            label="only-the-other-interface",
            query="{ items { ... on Reviewable { __typename } } }",
            data={
                "items": [{"__typename": "Book"}, {}, {"__typename": "Toy"}, {"__typename": "Book"}]
            },
        ),
    ),
)
