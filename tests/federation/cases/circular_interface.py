"""An interface whose field returns the interface itself, narrowed by its implementation
(``similar: Listing`` on the interface, ``similar: Flat`` on ``Flat``): selections on the
interface and under ``... on Flat`` on the same path merge into one object, and a field of
another subgraph is fetched for the object wherever the client asked for it."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

FLATS: dict[str, dict[str, Any]] = {
    "f1": {"id": "f1", "__typename": "Flat", "similar": "f3", "rooms": 2},
    "f2": {"id": "f2", "__typename": "Flat", "similar": "f1", "rooms": 3},
    "f3": {"id": "f3", "__typename": "Flat", "similar": "f1", "rooms": 2},
}
RENT = {"f1": 725.5, "f2": 910.0, "f3": 740.25}


def _flat(flat_id: str) -> dict[str, Any]:
    return FLATS[flat_id]


listings = Subgraph(
    name="listings",
    sdl=link("@key", "@shareable")
    + """
    type Query { listing: Listing }
    interface Listing { id: ID! similar: Listing }
    type Flat implements Listing @key(fields: "id") {
      id: ID!
      similar: Flat
      rooms: Int!
      rent: Float @shareable
    }
    """,
    resolvers={
        "Query": {"listing": lambda *_: _flat("f1")},
        "Flat": {
            "similar": lambda f, _: _flat(f["similar"]),
            "rent": lambda f, _: RENT[f["id"]],
        },
    },
    references={"Flat": lambda ref: FLATS.get(ref["id"])},
)

rents = Subgraph(
    name="rents",
    sdl=link("@key", "@shareable")
    + """
    type Flat @key(fields: "id") { id: ID! rent: Float @shareable deposit: Float }
    """,
    references={
        "Flat": lambda ref: {
            "id": ref["id"],
            "rent": RENT[ref["id"]],
            "deposit": RENT[ref["id"]] * 1.5,
        }
    },
)

CASE = Case(
    name="circular-interface",
    behaviour="a self-referencing interface field narrowed by its implementation, merged per path",
    subgraphs=(listings, rents),
    probes=(
        Probe(
            label="fragment-on-the-interface-itself",
            query="{ listing { similar { ... on Listing { similar { __typename id } } } } }",
            data={"listing": {"similar": {"similar": {"__typename": "Flat", "id": "f1"}}}},
        ),
        Probe(
            label="interface-and-type-condition-on-one-path",
            query="""{ listing {
              __typename
              similar { __typename ... on Flat { id } similar { __typename ... on Flat { id } } }
              ... on Flat { id rent similar { id rent rooms } }
            } }""",
            data={
                "listing": {
                    "__typename": "Flat",
                    "similar": {
                        "__typename": "Flat",
                        "id": "f3",
                        "similar": {"__typename": "Flat", "id": "f1"},
                        "rent": 740.25,
                        "rooms": 2,
                    },
                    "id": "f1",
                    "rent": 725.5,
                }
            },
        ),
        Probe(
            label="other-subgraph-field-at-two-depths",
            query="""{ listing {
              ... on Flat { deposit similar { deposit similar { id deposit } } }
            } }""",
            data={
                "listing": {
                    "deposit": 1088.25,
                    "similar": {"deposit": 1110.375, "similar": {"id": "f1", "deposit": 1088.25}},
                }
            },
        ),
    ),
)
