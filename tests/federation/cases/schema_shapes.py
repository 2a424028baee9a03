"""Subgraph SDL shapes ordinary subgraphs print: custom root type names (``schema { query:
RootQuery }``), interfaces implementing interfaces, a federation ``@link`` with renamed
imports and an unimported ``federation__`` directive, a recent federation version, block-string
descriptions, ``@specifiedBy`` scalars, and a type-system directive of the subgraph's own."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph

PITCHES: list[dict[str, Any]] = [
    {"__typename": "GrassPitch", "id": "pt1", "name": "Hough End 1", "surface": "grass"},
    {"__typename": "AstroPitch", "id": "pt2", "name": "Platt Lane", "surface": "3G"},
]

sport = Subgraph(
    name="sport",
    sdl='''
    extend schema
      @link(url: "https://specs.apollo.dev/federation/v2.9", import: [{ name: "@key", as: "@id" }])

    schema { query: RootQuery }

    directive @audited(reason: String) on FIELD_DEFINITION | OBJECT

    """
    Times are "HH:MM", local.
    """
    scalar LocalTime @specifiedBy(url: "https://www.rfc-editor.org/rfc/rfc3339")

    type RootQuery {
      """Every pitch, in booking order."""
      pitches: [Facility!]!
    }

    interface Node { id: ID! }
    interface Facility implements Node { id: ID! name: String! }

    type GrassPitch implements Facility & Node @id(fields: "id") @audited {
      id: ID!
      name: String!
      opens: LocalTime @audited(reason: "dusk varies")
    }

    type AstroPitch implements Facility & Node @id(fields: "id") @federation__tag(name: "3g") {
      id: ID!
      name: String!
      opens: LocalTime
    }
    ''',
    resolvers={
        "RootQuery": {"pitches": lambda *_: [{**p, "opens": "08:00"} for p in PITCHES]},
    },
    references={
        "GrassPitch": lambda ref: next((p for p in PITCHES if p["id"] == ref["id"]), None),
        "AstroPitch": lambda ref: next((p for p in PITCHES if p["id"] == ref["id"]), None),
    },
)

bookings = Subgraph(
    name="bookings",
    sdl="""
    extend schema
      @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

    schema { query: Queries mutation: Changes }

    type Queries { pitchBooked(id: ID!): GrassPitch }
    type Changes { book(id: ID!): Boolean! }

    type GrassPitch @key(fields: "id") { id: ID! booked: Boolean! }
    type AstroPitch @key(fields: "id") { id: ID! booked: Boolean! }
    """,
    resolvers={
        "Queries": {"pitchBooked": lambda _, a: {"id": a["id"], "booked": True}},
        "Changes": {"book": lambda *_: True},
    },
    references={
        "GrassPitch": lambda ref: {"id": ref["id"], "booked": ref["id"] == "pt1"},
        "AstroPitch": lambda ref: {"id": ref["id"], "booked": False},
    },
)

CASE = Case(
    name="schema-shapes",
    behaviour="custom root type names, interface hierarchies, renamed federation imports",
    subgraphs=(sport, bookings),
    probes=(
        Probe(
            label="custom-roots-are-query-and-mutation",
            query='{ __typename pitches { __typename id } pitchBooked(id: "pt1") { name } }',
            data={
                "__typename": "Query",
                "pitches": [
                    {"__typename": "GrassPitch", "id": "pt1"},
                    {"__typename": "AstroPitch", "id": "pt2"},
                ],
                "pitchBooked": {"name": "Hough End 1"},
            },
        ),
        Probe(
            label="mutation-under-a-custom-root",
            query='mutation { __typename book(id: "pt2") }',
            data={"__typename": "Mutation", "book": True},
        ),
        Probe(
            label="interface-hierarchy-and-renamed-key",
            query="""{ pitches {
              ... on Node { id } ... on Facility { name }
              ... on GrassPitch { opens booked } ... on AstroPitch { booked }
            } }""",
            data={
                "pitches": [
                    {"id": "pt1", "name": "Hough End 1", "opens": "08:00", "booked": True},
                    {"id": "pt2", "name": "Platt Lane", "booked": False},
                ]
            },
        ),
        Probe(
            label="scalar-and-descriptions-in-introspection",
            query="""{
              t: __type(name: "LocalTime") { kind description specifiedByURL }
              f: __type(name: "Facility") { interfaces { name } }
              q: __type(name: "Query") { fields { name description } }
            }""",
            data={
                "t": {
                    "kind": "SCALAR",
                    "description": 'Times are "HH:MM", local.',
                    "specifiedByURL": "https://www.rfc-editor.org/rfc/rfc3339",
                },
                "f": {"interfaces": [{"name": "Node"}]},
                "q": {
                    "fields": [
                        {"name": "pitchBooked", "description": None},
                        {"name": "pitches", "description": "Every pitch, in booking order."},
                    ]
                },
            },
        ),
    ),
)
