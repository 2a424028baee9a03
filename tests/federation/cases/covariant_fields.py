"""Covariant field types: an interface field typed by the interface that an implementation
narrows (``next: Stage`` vs ``next: Trial``), and a ``@shareable`` field typed by a union in
one subgraph and by a member of that union in another."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

TRIALS: dict[str, dict[str, Any]] = {
    "t1": {"next": "t2", "phase": 2},
    "t2": {"next": "t1", "phase": 3},
}

research = Subgraph(
    name="research",
    sdl=link("@key", "@external", "@provides", "@shareable")
    + """
    type Query { stage: Stage result: Outcome @shareable }
    interface Stage { next: Stage }
    type Trial implements Stage @key(fields: "id") {
      id: ID!
      next: Trial @provides(fields: "phase")
      phase: Int! @external
    }
    union Outcome = Approved | Rejected
    type Approved { note: String! @shareable }
    type Rejected { reason: String! }
    """,
    resolvers={
        "Query": {
            "stage": lambda *_: {"__typename": "Trial", "id": "t1"},
            "result": lambda *_: {"__typename": "Approved", "note": "ok"},
        },
        "Trial": {
            "next": lambda t, _: {
                "__typename": "Trial",
                "id": TRIALS[t["id"]]["next"],
                "phase": TRIALS[TRIALS[t["id"]]["next"]]["phase"],
            },
        },
    },
    references={"Trial": lambda ref: {"id": ref["id"]}},
)

registry = Subgraph(
    name="registry",
    sdl=link("@key", "@shareable")
    + """
    type Query { result: Approved @shareable }
    type Trial @key(fields: "id") { id: ID! phase: Int! @shareable }
    type Approved { note: String! @shareable }
    """,
    resolvers={"Query": {"result": lambda *_: {"note": "ok"}}},
    references={"Trial": lambda ref: {"id": ref["id"], "phase": TRIALS[ref["id"]]["phase"]}},
)

CASE = Case(
    name="covariant-fields",
    behaviour=(
        "an implementation narrows an interface field's type; union vs member across subgraphs"
    ),
    subgraphs=(research, registry),
    probes=(
        Probe(
            label="narrowed-field-through-interface",
            query="{ stage { next { ... on Stage { next { __typename } } } } }",
            data={"stage": {"next": {"next": {"__typename": "Trial"}}}},
        ),
        Probe(
            label="narrowed-field-and-provides",
            query="""{ stage { __typename next { __typename ... on Trial { id phase } }
                       ... on Trial { id next { id phase } } } }""",
            data={
                "stage": {
                    "__typename": "Trial",
                    "next": {"__typename": "Trial", "id": "t2", "phase": 3},
                    "id": "t1",
                }
            },
        ),
        Probe(
            label="union-in-one-member-in-other",
            query="{ result { __typename ... on Approved { note } ... on Rejected { reason } } }",
            data={"result": {"__typename": "Approved", "note": "ok"}},
        ),
    ),
)
