"""An entity interface reached three ways: from its owner, from a subgraph that only extends
one implementation (``extend type Closure @key``, no interface there), and from an
``@interfaceObject`` that knows the interface as an object with just its key. Fields of the
extended implementation are fetched through the interface from every side."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

NOTICES: dict[str, dict[str, Any]] = {
    "n1": {"__typename": "Closure", "id": "n1", "headline": "Baths shut", "days": 3},
    "n2": {"__typename": "Event", "id": "n2", "headline": "Fun run", "venue": "Heaton Park"},
}

content = Subgraph(
    name="content",
    sdl=link("@key")
    + """
    type Query { notice(id: ID!): Notice notices: [Notice!]! }
    interface Notice @key(fields: "id") { id: ID! headline: String! }
    type Closure implements Notice @key(fields: "id") { id: ID! headline: String! days: Int! }
    type Event implements Notice @key(fields: "id") { id: ID! headline: String! venue: String! }
    """,
    resolvers={
        "Query": {
            "notice": lambda _, a: NOTICES.get(a["id"]),
            "notices": lambda *_: list(NOTICES.values()),
        }
    },
    references={"Notice": lambda ref: NOTICES.get(ref["id"])},
)

people = Subgraph(
    name="people",
    sdl=link("@key")
    + """
    type Query { officer: Officer }
    type Officer @key(fields: "id") { id: ID! name: String }
    extend type Closure @key(fields: "id") { id: ID! contactName: String }
    """,
    resolvers={"Query": {"officer": lambda *_: {"id": "o1", "name": "Priya"}}},
    references={
        "Officer": lambda ref: {"id": ref["id"], "name": "Priya"},
        "Closure": lambda ref: {"id": ref["id"], "contactName": f"contact for {ref['id']}"},
    },
)

bulletins = Subgraph(
    name="bulletins",
    sdl=link("@key", "@interfaceObject")
    + """
    type Query { bulletin: Bulletin }
    type Bulletin { id: ID! name: String! lead: Notice items: [Notice!]! }
    type Notice @key(fields: "id") @interfaceObject { id: ID! }
    """,
    resolvers={
        "Query": {
            "bulletin": lambda *_: {
                "id": "bu1",
                "name": "Weekly",
                "lead": {"id": "n1"},
                "items": [{"id": "n2"}, {"id": "n1"}],
            }
        }
    },
    references={"Notice": lambda ref: {"id": ref["id"]}},
)

CASE = Case(
    name="interface-object-indirect",
    behaviour="an implementation extended elsewhere, reached through the interface object",
    subgraphs=(content, people, bulletins),
    probes=(
        Probe(
            label="three-roots-at-once",
            query="""{
              notice(id: "n1") {
                id headline ... on Closure { days contactName } ... on Event { venue }
              }
              officer { id name }
              bulletin { id name lead { id ... on Closure { days } } }
            }""",
            data={
                "notice": {
                    "id": "n1",
                    "headline": "Baths shut",
                    "days": 3,
                    "contactName": "contact for n1",
                },
                "officer": {"id": "o1", "name": "Priya"},
                "bulletin": {"id": "bu1", "name": "Weekly", "lead": {"id": "n1", "days": 3}},
            },
        ),
        Probe(
            label="extension-field-through-the-interface-object",
            query="""{ bulletin { items {
              __typename headline ... on Closure { contactName } ... on Event { venue }
            } } }""",
            data={
                "bulletin": {
                    "items": [
                        {"__typename": "Event", "headline": "Fun run", "venue": "Heaton Park"},
                        {
                            "__typename": "Closure",
                            "headline": "Baths shut",
                            "contactName": "contact for n1",
                        },
                    ]
                }
            },
        ),
        Probe(
            label="extension-field-over-a-list-from-the-owner",
            query="{ notices { id ... on Closure { contactName } } }",
            data={"notices": [{"id": "n1", "contactName": "contact for n1"}, {"id": "n2"}]},
        ),
    ),
)
