"""``@inaccessible``: hidden fields, types, enum values and arguments are not in the API
schema (asking for them is a validation error), yet subgraphs still use them among themselves
(a hidden key field, a hidden field a ``@requires`` needs)."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import ANY_ERROR, ApolloDifference, Case, Probe, Subgraph, link

CASES = {
    "c1": {"internalRef": "X-19", "risk": "LOW", "officer": "o1"},
    "c2": {"internalRef": "X-20", "risk": "SECRET", "officer": "o2"},
}


def _need(obj: Mapping[str, Any], field: str) -> Any:
    if field not in obj:
        raise ValueError(f"{field} was not provided")
    return obj[field]


casework = Subgraph(
    name="casework",
    sdl=link("@key", "@inaccessible", "@shareable")
    + """
    type Query {
      casefile(id: ID!, audit: Boolean @inaccessible): Casefile
      officers: [Officer!]! @inaccessible
    }
    type Casefile @key(fields: "id") {
      id: ID!
      internalRef: String! @inaccessible
      risk: Risk!
      officer: Officer! @inaccessible
    }
    type Officer @inaccessible { id: ID! }
    enum Risk { LOW HIGH SECRET @inaccessible }
    """,
    resolvers={
        "Query": {
            "casefile": lambda _, a: {
                "id": a["id"],
                **CASES[a["id"]],
                "officer": {"id": CASES[a["id"]]["officer"]},
            },
            "officers": lambda *_: [],
        }
    },
    references={"Casefile": lambda ref: {"id": ref["id"], **CASES[ref["id"]]}},
)

archive = Subgraph(
    name="archive",
    sdl=link("@key", "@external", "@requires")
    + """
    type Casefile @key(fields: "id") {
      id: ID!
      internalRef: String! @external
      boxNumber: String! @requires(fields: "internalRef")
    }
    """,
    resolvers={"Casefile": {"boxNumber": lambda c, _: "BOX-" + _need(c, "internalRef")[2:]}},
    references={"Casefile": lambda ref: dict(ref)},
)

CASE = Case(
    name="inaccessible",
    behaviour="@inaccessible on fields, types, enum values and arguments",
    subgraphs=(casework, archive),
    probes=(
        Probe(
            label="hidden-field-used-by-requires",
            query='{ casefile(id: "c1") { risk boxNumber } }',
            data={"casefile": {"risk": "LOW", "boxNumber": "BOX-19"}},
        ),
        Probe(
            label="hidden-field-rejected",
            query='{ casefile(id: "c1") { internalRef } }',
            data=None,
            errors=ANY_ERROR,
            requests={"casework": 0, "archive": 0},
        ),
        Probe(
            label="hidden-type-rejected",
            query='{ casefile(id: "c1") { officer { id } } }',
            data=None,
            errors=ANY_ERROR,
        ),
        Probe(
            label="hidden-root-field-rejected",
            query="{ officers { id } }",
            data=None,
            errors=ANY_ERROR,
        ),
        Probe(
            label="hidden-argument-rejected",
            query='{ casefile(id: "c1", audit: true) { risk } }',
            data=None,
            errors=ANY_ERROR,
        ),
        Probe(
            label="hidden-enum-value-in-output",
            query='{ casefile(id: "c2") { id risk } }',
            data={"casefile": None},
            errors=ANY_ERROR,
            apollo=ApolloDifference(
                reason="Apollo nulls the field but reports the invalid enum value under "
                "extensions.valueCompletion instead of errors: the client sees no error"
            ),
        ),
        Probe(
            label="hidden-enum-value-not-in-introspection",
            query='{ __type(name: "Risk") { enumValues { name } } }',
            data={"__type": {"enumValues": [{"name": "LOW"}, {"name": "HIGH"}]}},
        ),
    ),
)
