"""From an ``@interfaceObject`` root to the interface's owner, fields asked under two
implementations that the owner types differently (``capacity: Int!`` on ``Hall``, ``Int`` on
``Pitch``; ``Int`` in the supergraph): the owner's ``_entities`` operation aliases one, and the
answer, whose objects only the owner knows the concrete type of, is renamed back by that type
(the representation said ``Venue``)."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

VENUES: dict[str, dict[str, Any]] = {
    "v1": {"__typename": "Hall", "id": "v1", "capacity": 300, "name": "Free Trade Hall"},
    "v2": {"__typename": "Pitch", "id": "v2", "capacity": 22, "name": "Hough End"},
}

venues = Subgraph(
    name="venues",
    sdl=link("@key", "@shareable")
    + """
    type Query { venues: [Venue!]! }
    interface Venue @key(fields: "id") { id: ID! name: String! }
    type Hall implements Venue @key(fields: "id") {
      id: ID!
      name: String!
      capacity: Int! @shareable
    }
    type Pitch implements Venue @key(fields: "id") { id: ID! name: String! capacity: Int }
    """,
    resolvers={"Query": {"venues": lambda *_: list(VENUES.values())}},
    references={name: (lambda ref: VENUES.get(ref["id"])) for name in ("Venue", "Hall", "Pitch")},
)

sizes = Subgraph(
    name="sizes",
    sdl=link("@key", "@shareable")
    + """
    type Hall @key(fields: "id") { id: ID! capacity: Int @shareable }
    """,
    references={"Hall": lambda ref: {"id": ref["id"], "capacity": VENUES[ref["id"]]["capacity"]}},
)

bookings = Subgraph(
    name="bookings",
    sdl=link("@key", "@interfaceObject")
    + """
    type Query { popular: [Venue!]! }
    type Venue @key(fields: "id") @interfaceObject { id: ID! booked: Boolean! }
    """,
    resolvers={
        "Query": {
            "popular": lambda *_: [{"id": "v2", "booked": True}, {"id": "v1", "booked": False}]
        }
    },
    references={"Venue": lambda ref: {"id": ref["id"], "booked": ref["id"] == "v2"}},
)

CASE = Case(
    name="interface-object-aliased-members",
    behaviour="an owner's aliased fields under implementations, reached from an interface object",
    subgraphs=(venues, sizes, bookings),
    probes=(
        Probe(
            label="both-implementations",
            query="""{ popular {
              booked ... on Hall { name capacity } ... on Pitch { name capacity }
            } }""",
            data={
                "popular": [
                    {"booked": True, "name": "Hough End", "capacity": 22},
                    {"booked": False, "name": "Free Trade Hall", "capacity": 300},
                ]
            },
        ),
        Probe(
            label="from-the-owner",
            query="{ venues { ... on Hall { capacity } ... on Pitch { capacity } booked } }",
            data={
                "venues": [
                    {"capacity": 300, "booked": False},
                    {"capacity": 22, "booked": True},
                ]
            },
        ),
    ),
)
