"""Variables: defaults used when a variable is omitted, an explicit ``null`` overriding a
default (not replaced by it), nullable variables into non-null-with-default arguments,
lists and input objects, and bad variables rejected before any subgraph is asked."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import ANY_ERROR, Case, Probe, Subgraph, link


def _describe(args: Mapping[str, Any]) -> str:
    return ",".join(f"{k}={args[k]!r}" for k in sorted(args))


echo = Subgraph(
    name="echo",
    sdl=link("@key")
    + """
    type Query {
      search(term: String, limit: Int = 10): String!
      tags(names: [String!]): String!
      filter(by: Filter): String!
      sized(size: Int! = 3): String!
    }
    input Filter { ward: String status: String = "open" }
    """,
    resolvers={
        "Query": {
            "search": lambda _, a: _describe(a),
            "tags": lambda _, a: _describe(a),
            "filter": lambda _, a: _describe(a),
            "sized": lambda _, a: _describe(a),
        }
    },
)

CASE = Case(
    name="variables",
    behaviour=(
        "variable defaults, explicit nulls, lists, input objects; invalid variables rejected early"
    ),
    subgraphs=(echo,),
    probes=(
        Probe(
            label="omitted-variable-uses-its-default",
            query='query ($t: String = "bins") { search(term: $t) }',
            data={"search": "limit=10,term='bins'"},
        ),
        Probe(
            label="explicit-null-overrides-variable-default",
            query='query ($t: String = "bins") { search(term: $t) }',
            variables={"t": None},
            data={"search": "limit=10,term=None"},
        ),
        Probe(
            label="explicit-null-argument-overrides-argument-default",
            query="query ($n: Int) { search(limit: $n) }",
            variables={"n": None},
            data={"search": "limit=None"},
        ),
        Probe(
            label="omitted-variable-leaves-argument-default",
            query="query ($n: Int) { search(limit: $n) }",
            data={"search": "limit=10"},
        ),
        Probe(
            label="list-coercion-and-input-object-defaults",
            query="query ($n: [String!], $f: Filter) { tags(names: $n) filter(by: $f) }",
            variables={"n": "single", "f": {"ward": "w1"}},
            data={"tags": "names=['single']", "filter": "by={'ward': 'w1', 'status': 'open'}"},
        ),
        Probe(
            label="nullable-variable-into-non-null-with-default",
            query="query ($s: Int) { sized(size: $s) }",
            data={"sized": "size=3"},
        ),
        Probe(
            label="wrong-variable-type-rejected",
            query="query ($n: Int) { search(limit: $n) }",
            variables={"n": "ten"},
            data=None,
            errors=ANY_ERROR,
            requests={"echo": 0},
        ),
        Probe(
            label="missing-required-variable-rejected",
            query="query ($n: Int!) { search(limit: $n) }",
            data=None,
            errors=ANY_ERROR,
            requests={"echo": 0},
        ),
    ),
)
