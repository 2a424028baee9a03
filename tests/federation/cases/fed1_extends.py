"""Federation 1 subgraphs (no ``@link``): ``@extends`` and ``extend type`` with ``@external``
key fields, value types shared without ``@shareable``, ``@provides`` of an external field, and
``@external`` key fields of an extension that its own subgraph resolves (keys it owns)."""

from tests.federation.support import Case, Probe, Subgraph

RESIDENTS = {
    "u1": {"name": "Ada", "nick": "ada", "ward": "w1"},
    "u2": {"name": "Bo", "nick": "bo", "ward": "w2"},
}
LIBRARIES = {"lib1": {"code": "CEN", "name": "Central", "branch": "central", "opens": "09:00"}}

accounts = Subgraph(
    name="accounts",
    sdl="""
    type Query { resident(id: ID!): Resident }
    type Resident @key(fields: "id") { id: ID! name: String! nickname: String }
    type Contact { phone: String }
    """,
    resolvers={
        "Query": {
            "resident": lambda _, a: {
                "id": a["id"],
                "name": RESIDENTS[a["id"]]["name"],
                "nickname": RESIDENTS[a["id"]]["nick"],
            }
        }
    },
    references={
        "Resident": lambda ref: {
            "id": ref["id"],
            "name": RESIDENTS[ref["id"]]["name"],
            "nickname": RESIDENTS[ref["id"]]["nick"],
        }
    },
)

wards = Subgraph(
    name="wards",
    sdl="""
    type Query { randomResident: Resident providedResident: Resident @provides(fields: "name") }
    type Resident @key(fields: "id") @extends {
      id: ID! @external
      name: String! @external
      ward: String
      contact: Contact
    }
    type Contact { phone: String }
    """,
    resolvers={
        "Query": {
            "randomResident": lambda *_: {"id": "u1", "ward": "w1", "contact": {"phone": "0161"}},
            "providedResident": lambda *_: {"id": "u2", "ward": "w2", "name": "Bo"},
        },
        "Resident": {"name": lambda r, _: r.get("name", "NEVER: not provided")},
    },
    references={
        "Resident": lambda ref: {
            "id": ref["id"],
            "ward": RESIDENTS[ref["id"]]["ward"],
            "contact": {"phone": "0161"},
        }
    },
)

libraries = Subgraph(
    name="libraries",
    sdl="""
    type Query { library: Library }
    type Library @key(fields: "id") { id: ID! name: String! branch: String! }
    """,
    resolvers={
        "Query": {"library": lambda *_: {"id": "lib1", "name": "Central", "branch": "central"}}
    },
    references={"Library": lambda ref: {"id": ref["id"], **LIBRARIES[ref["id"]]}},
)

hours = Subgraph(
    name="hours",
    sdl="""
    type Query { earliestLibrary: Library }
    extend type Library @key(fields: "id name") @key(fields: "code") {
      id: ID @external
      name: String @external
      code: String @external
      opens: String!
    }
    """,
    resolvers={
        "Query": {
            "earliestLibrary": lambda *_: {
                "id": "lib1",
                "name": "Central",
                "code": "CEN",
                "opens": "09:00",
            }
        }
    },
    references={
        "Library": lambda ref: next(
            (
                {"id": k, **v}
                for k, v in LIBRARIES.items()
                if ref.get("code") == v["code"] or ref.get("id") == k
            ),
            None,
        )
    },
)

CASE = Case(
    name="fed1-extends",
    behaviour="Federation 1 SDL: @extends, extend type, @external keys, Fed 1 value-type sharing",
    subgraphs=(accounts, wards, libraries, hours),
    probes=(
        Probe(
            label="extended-entity-both-roots",
            query=(
                '{ randomResident { id name ward } resident(id: "u2") { id name nickname ward } }'
            ),
            data={
                "randomResident": {"id": "u1", "name": "Ada", "ward": "w1"},
                "resident": {"id": "u2", "name": "Bo", "nickname": "bo", "ward": "w2"},
            },
        ),
        Probe(
            label="own-field-only",
            query="{ randomResident { id ward contact { phone } } }",
            data={"randomResident": {"id": "u1", "ward": "w1", "contact": {"phone": "0161"}}},
            requests={"wards": 1, "accounts": 0},
        ),
        Probe(
            label="fed1-provides",
            query="{ providedResident { name ward } }",
            data={"providedResident": {"name": "Bo", "ward": "w2"}},
            requests={"wards": 1, "accounts": 0},
        ),
        Probe(
            label="external-key-field-resolvable-by-own-subgraph",
            query="{ library { id name opens code branch } }",
            data={
                "library": {
                    "id": "lib1",
                    "name": "Central",
                    "opens": "09:00",
                    "code": "CEN",
                    "branch": "central",
                }
            },
        ),
        Probe(
            label="extension-root-with-external-keys",
            query="{ earliestLibrary { code opens branch } }",
            data={"earliestLibrary": {"code": "CEN", "opens": "09:00", "branch": "central"}},
        ),
    ),
)
