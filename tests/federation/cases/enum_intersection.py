"""Enums that differ between subgraphs: an output-only enum is the union of the values, an
enum used as input too must agree — a value hidden with ``@inaccessible`` in one subgraph is
not in the API: rejected as an argument, an error when a subgraph returns it."""

from tests.federation.support import (
    ANY_ERROR,
    ApolloDifference,
    Case,
    ExpectedError,
    Probe,
    Subgraph,
    link,
)

PERMITS = [
    {"id": "pe1", "kind": "RESIDENT", "colour": "GREEN"},
    {"id": "pe2", "kind": "TRADE", "colour": "AMBER"},
]

parking = Subgraph(
    name="parking",
    sdl=link("@key", "@inaccessible", "@shareable")
    + """
    type Query { permits: [Permit!]! permitsOf(kind: Kind!): [Permit!]! }
    type Permit @key(fields: "id") { id: ID! kind: Kind colour: Colour! @shareable }
    enum Kind { RESIDENT VISITOR TRADE @inaccessible }
    enum Colour { GREEN AMBER }
    """,
    resolvers={
        "Query": {
            "permits": lambda *_: [dict(p) for p in PERMITS],
            "permitsOf": lambda _, a: [dict(p) for p in PERMITS if p["kind"] == a["kind"]],
        }
    },
)

enforcement = Subgraph(
    name="enforcement",
    sdl=link("@key", "@shareable")
    + """
    type Query { flagged: [Permit!]! }
    type Permit @key(fields: "id") { id: ID! colour: Colour! @shareable }
    enum Colour { GREEN RED }
    enum Kind { RESIDENT VISITOR }
    """,
    resolvers={"Query": {"flagged": lambda *_: [{"id": "pe3", "colour": "RED"}]}},
)

CASE = Case(
    name="enum-intersection",
    behaviour="enum values merged: output-only union; hidden values rejected and never returned",
    subgraphs=(parking, enforcement),
    probes=(
        Probe(
            label="accessible-values",
            query="{ permitsOf(kind: RESIDENT) { id kind } }",
            data={"permitsOf": [{"id": "pe1", "kind": "RESIDENT"}]},
        ),
        Probe(
            label="hidden-value-as-argument",
            query="{ permitsOf(kind: TRADE) { id } }",
            data=None,
            errors=ANY_ERROR,
            requests={"parking": 0},
        ),
        Probe(
            label="hidden-value-as-variable",
            query="query ($k: Kind!) { permitsOf(kind: $k) { id } }",
            variables={"k": "TRADE"},
            data=None,
            errors=ANY_ERROR,
            requests={"parking": 0},
        ),
        Probe(
            label="hidden-value-returned",
            query="{ permits { id kind } }",
            data={"permits": [{"id": "pe1", "kind": "RESIDENT"}, {"id": "pe2", "kind": None}]},
            errors=(ExpectedError(path=("permits", 1, "kind")),),
            apollo=ApolloDifference(
                reason="Apollo nulls the value but reports it under extensions.valueCompletion, "
                "not as an error with a path"
            ),
        ),
        Probe(
            label="output-enum-union",
            query="{ permits { colour } flagged { colour } }",
            data={
                "permits": [{"colour": "GREEN"}, {"colour": "AMBER"}],
                "flagged": [{"colour": "RED"}],
            },
        ),
    ),
)
