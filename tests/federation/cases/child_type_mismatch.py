"""The same response key with different types under two union members (``id: ID`` on one
member, ``id: ID!`` on the other in one subgraph): sent as-is the subgraph query would be
invalid there, so the gateway must alias one of them and answer under the client's key."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

MEMBERS: list[dict[str, Any]] = [
    {"__typename": "Volunteer", "id": "vo1", "name": "Sam"},
    {"__typename": "Trustee", "id": "tr1", "name": "Lee"},
]


def _similar(_: Any, __: Any) -> list[dict[str, Any]]:
    return [dict(m) for m in MEMBERS]


charity = Subgraph(
    name="charity",
    sdl=link("@key", "@shareable")
    + """
    type Query { members: [Member!]! }
    union Member = Volunteer | Trustee
    type Volunteer @key(fields: "id") { id: ID! name: String! @shareable similar: [Member!]! }
    type Trustee @key(fields: "id") { id: ID name: String! @shareable similar: [Member!]! }
    """,
    resolvers={
        "Query": {"members": lambda *_: [dict(m) for m in MEMBERS]},
        "Volunteer": {"similar": _similar},
        "Trustee": {"similar": _similar},
    },
    references={
        "Volunteer": lambda ref: next((dict(m) for m in MEMBERS if m["id"] == ref["id"]), None),
        "Trustee": lambda ref: next((dict(m) for m in MEMBERS if m["id"] == ref["id"]), None),
    },
)

directory = Subgraph(
    name="directory",
    sdl=link("@key", "@shareable")
    + """
    type Query { volunteers: [Volunteer!]! }
    type Volunteer @key(fields: "id") { id: ID name: String! @shareable }
    type Trustee @key(fields: "id") { id: ID name: String! @shareable }
    """,
    resolvers={"Query": {"volunteers": lambda *_: [dict(MEMBERS[0])]}},
)

CASE = Case(
    name="child-type-mismatch",
    behaviour="one response key typed ID! and ID under two members of a union in one subgraph",
    subgraphs=(charity, directory),
    probes=(
        Probe(
            label="members-both-ids",
            query=(
                "{ volunteers { id name } members { ... on Volunteer { id name } ... on Trustee { "
                "id name } } }"
            ),
            data={
                "volunteers": [{"id": "vo1", "name": "Sam"}],
                "members": [{"id": "vo1", "name": "Sam"}, {"id": "tr1", "name": "Lee"}],
            },
        ),
        Probe(
            label="nested",
            query="""{ members {
                ... on Volunteer { id similar { ... on Volunteer { id } ... on Trustee { id } } }
                ... on Trustee { id similar { ... on Volunteer { id } ... on Trustee { id } } }
            } }""",
            data={
                "members": [
                    {"id": "vo1", "similar": [{"id": "vo1"}, {"id": "tr1"}]},
                    {"id": "tr1", "similar": [{"id": "vo1"}, {"id": "tr1"}]},
                ]
            },
        ),
        Probe(
            label="user-alias-over-mismatched-key",
            query="{ members { ... on Volunteer { key: id } ... on Trustee { key: id } } }",
            data={"members": [{"key": "vo1"}, {"key": "tr1"}]},
        ),
    ),
)
