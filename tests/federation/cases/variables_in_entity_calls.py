"""Variables that travel past the root: used in arguments of fields fetched through
``_entities`` (several subgraphs, several levels), enums and lists of input objects with
nested defaults, scalar coercion (an ``Int`` where a ``Float`` is expected, a number as an
``ID``), a variable used by two subgraphs, and a variable only one fetch needs."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import ANY_ERROR, Case, Probe, Subgraph, link


def _describe(args: Mapping[str, Any]) -> str:
    return ",".join(f"{k}={args[k]!r}" for k in sorted(args))


SCHOOLS = {"s1": {"id": "s1", "name": "Trinity"}, "42": {"id": "42", "name": "Loreto"}}

schools = Subgraph(
    name="schools",
    sdl=link("@key")
    + """
    type Query {
      school(id: ID!): School
      schools(filter: [Filter!], phase: Phase = PRIMARY): [School!]!
    }
    type School @key(fields: "id") { id: ID! name: String! }
    enum Phase { PRIMARY SECONDARY SPECIAL }
    input Filter { ward: String! within: Radius = { km: 1.5 } }
    input Radius { km: Float! unit: Unit = KM }
    enum Unit { KM MILE }
    """,
    resolvers={
        "Query": {
            "school": lambda _, a: SCHOOLS.get(a["id"]),
            "schools": lambda _, a: [{"id": "s1", "name": _describe(a)}],
        }
    },
    references={"School": lambda ref: SCHOOLS.get(ref["id"])},
)

inspections = Subgraph(
    name="inspections",
    sdl=link("@key")
    + """
    type School @key(fields: "id") {
      id: ID!
      rating(scheme: Scheme! = OFSTED, since: Float): String!
      reports(last: Int = 1): [Report!]!
    }
    type Report { year: Int! findings(kind: Phase): String! }
    enum Scheme { OFSTED SIAMS }
    enum Phase { PRIMARY SECONDARY SPECIAL }
    """,
    resolvers={
        "School": {
            "rating": lambda s, a: f"{s['id']}:{_describe(a)}",
            "reports": lambda s, a: [{"year": 2025 - i} for i in range(a["last"])],
        },
        "Report": {"findings": lambda r, a: f"{r['year']}:{_describe(a)}"},
    },
    references={"School": lambda ref: {"id": ref["id"]}},
)

admissions = Subgraph(
    name="admissions",
    sdl=link("@key")
    + """
    type School @key(fields: "id") { id: ID! places(phase: Phase!): Int! }
    enum Phase { PRIMARY SECONDARY SPECIAL }
    """,
    resolvers={
        "School": {"places": lambda s, a: {"PRIMARY": 30, "SECONDARY": 180}.get(a["phase"], 8)}
    },
    references={"School": lambda ref: {"id": ref["id"]}},
)

CASE = Case(
    name="variables-in-entity-calls",
    behaviour="variables in entity-field arguments, enums, nested input defaults, coercion",
    subgraphs=(schools, inspections, admissions),
    probes=(
        Probe(
            label="enum-variable-in-entity-field-and-default",
            query="""query ($scheme: Scheme!, $phase: Phase!) {
              school(id: "s1") { name rating(scheme: $scheme) places(phase: $phase) plain: rating }
            }""",
            variables={"scheme": "SIAMS", "phase": "SECONDARY"},
            data={
                "school": {
                    "name": "Trinity",
                    "rating": "s1:scheme='SIAMS'",
                    "places": 180,
                    "plain": "s1:scheme='OFSTED'",
                }
            },
        ),
        Probe(
            label="int-variable-coerced-to-float-in-an-entity-call",
            query='query ($since: Float) { school(id: "s1") { rating(since: $since) } }',
            variables={"since": 2020},
            data={"school": {"rating": "s1:scheme='OFSTED',since=2020.0"}},
        ),
        Probe(
            label="number-as-id-variable",
            query="query ($id: ID!) { school(id: $id) { id name } }",
            variables={"id": 42},
            data={"school": {"id": "42", "name": "Loreto"}},
        ),
        Probe(
            label="list-of-input-objects-with-nested-defaults",
            query="query ($f: [Filter!]) { schools(filter: $f) { name } }",
            variables={"f": [{"ward": "Hulme"}, {"ward": "Moss Side", "within": {"km": 3}}]},
            data={
                "schools": [
                    {
                        "name": "filter=[{'ward': 'Hulme', 'within': {'km': 1.5, 'unit': 'KM'}}, "
                        "{'ward': 'Moss Side', 'within': {'km': 3.0, 'unit': 'KM'}}],"
                        "phase='PRIMARY'"
                    }
                ]
            },
        ),
        Probe(
            label="one-variable-in-two-subgraphs-and-two-levels",
            query="""query ($phase: Phase!, $n: Int) {
              schools(phase: $phase) {
                places(phase: $phase)
                reports(last: $n) { year findings(kind: $phase) }
              }
            }""",
            variables={"phase": "SPECIAL", "n": 2},
            data={
                "schools": [
                    {
                        "places": 8,
                        "reports": [
                            {"year": 2025, "findings": "2025:kind='SPECIAL'"},
                            {"year": 2024, "findings": "2024:kind='SPECIAL'"},
                        ],
                    }
                ]
            },
        ),
        Probe(
            label="omitted-nullable-variable-keeps-entity-argument-default",
            query='query ($n: Int) { school(id: "s1") { reports(last: $n) { year } } }',
            data={"school": {"reports": [{"year": 2025}]}},
        ),
        Probe(
            label="bad-enum-variable-rejected-before-any-fetch",
            query='query ($scheme: Scheme!) { school(id: "s1") { rating(scheme: $scheme) } }',
            variables={"scheme": "ESTYN"},
            data=None,
            errors=ANY_ERROR,
            requests={"schools": 0, "inspections": 0},
        ),
        Probe(
            label="null-for-non-null-variable-rejected",
            query='query ($phase: Phase!) { school(id: "s1") { places(phase: $phase) } }',
            variables={"phase": None},
            data=None,
            errors=ANY_ERROR,
            requests={"schools": 0, "admissions": 0},
        ),
        Probe(
            label="input-object-missing-a-required-field-rejected",
            query="query ($f: [Filter!]) { schools(filter: $f) { name } }",
            variables={"f": [{"within": {"km": 2}}]},
            data=None,
            errors=ANY_ERROR,
            requests={"schools": 0},
        ),
    ),
)
