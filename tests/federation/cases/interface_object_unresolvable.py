"""An ``@interfaceObject`` whose key is ``resolvable: false``, and an interface no object of
the owning subgraph implements: what can be planned is answered, what cannot is an error."""

from tests.federation.support import ANY_ERROR, ApolloDifference, Case, Probe, Subgraph, link

documents = Subgraph(
    name="documents",
    sdl=link("@key")
    + """
    type Query { document: Document orphan: Orphan }
    interface Document @key(fields: "id") { id: ID! }
    type Letter implements Document @key(fields: "id") { id: ID! sender: String! }
    interface Orphan @key(fields: "id") { id: ID! }
    """,
    resolvers={
        "Query": {
            "document": lambda *_: {"__typename": "Letter", "id": "d1", "sender": "HMRC"},
            "orphan": lambda *_: {"__typename": "Letter", "id": "d1"},
        }
    },
    references={
        "Letter": lambda ref: {"id": ref["id"], "sender": "HMRC"},
        "Document": lambda ref: {"__typename": "Letter", "id": ref["id"], "sender": "HMRC"},
    },
)

retention = Subgraph(
    name="retention",
    sdl=link("@key", "@interfaceObject")
    + """
    type Query { expiring: Document orphans: [Orphan!]! }
    type Document @key(fields: "id", resolvable: false) @interfaceObject { id: ID! }
    type Orphan @key(fields: "id") @interfaceObject { id: ID! keepUntil: String! }
    """,
    resolvers={
        "Query": {
            "expiring": lambda *_: {"id": "d1"},
            "orphans": lambda *_: [{"id": "o1", "keepUntil": "2030"}],
        }
    },
    references={"Orphan": lambda ref: {"id": ref["id"], "keepUntil": "2030"}},
)

CASE = Case(
    name="interface-object-unresolvable",
    behaviour="non-resolvable @interfaceObject keys; interfaces without implementations",
    subgraphs=(documents, retention),
    probes=(
        Probe(
            label="interface-object-root-own-fields",
            query="{ orphans { id keepUntil } }",
            data={"orphans": [{"id": "o1", "keepUntil": "2030"}]},
            requests={"retention": 1, "documents": 0},
        ),
        Probe(
            label="owner-root-then-unresolvable-key",
            query="{ document { id ... on Letter { sender } } }",
            data={"document": {"id": "d1", "sender": "HMRC"}},
        ),
        Probe(
            label="interface-object-root-to-owner",
            query="{ expiring { id ... on Letter { sender } } }",
            data={"expiring": {"id": "d1", "sender": "HMRC"}},
        ),
        Probe(
            label="no-implementation-in-owner",
            query="{ orphan { id } }",
            data={"orphan": None},
            errors=ANY_ERROR,
        ),
        Probe(
            label="interface-object-field-unreachable",
            query="{ orphan { keepUntil } }",
            data=None,
            errors=ANY_ERROR,
            apollo=ApolloDifference(
                reason="keepUntil cannot be reached (no object implements Orphan where orphan "
                "is resolved), so the operation cannot be planned: an error and no data; Apollo "
                "answers orphan: null without any error"
            ),
        ),
    ),
)
