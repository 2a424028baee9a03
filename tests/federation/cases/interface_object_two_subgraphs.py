"""An entity interface extended by ``@interfaceObject`` in two subgraphs, one of which also
``@requires`` a field of the interface: from either interface object's root or from the
owner's, interface-object fields, requirements and fragments on implementations are served; a
requirer asked under one implementation is never asked of the others' objects (the subgraph
sees them all as the interface, so one request cannot ask it of some of them only)."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

ACCOUNTS: dict[str, dict[str, Any]] = {
    "a1": {"__typename": "Admin", "id": "a1", "name": "Ann", "level": 3},
    "a2": {"__typename": "Guest", "id": "a2", "name": "Gus", "ttl": 9},
}
QUOTAS = {"a1": 1, "a2": 2}
LOGINS = {"a1": 10, "a2": 20}


def _greeting(account: Mapping[str, Any], _: Any) -> str:
    return f"hi {account['name']}"


owner = Subgraph(
    name="owner",
    sdl=link("@key")
    + """
    type Query { accounts: [Account!]! }
    interface Account @key(fields: "id") { id: ID! name: String! }
    type Admin implements Account @key(fields: "id") { id: ID! name: String! level: Int! }
    type Guest implements Account @key(fields: "id") { id: ID! name: String! ttl: Int! }
    """,
    resolvers={"Query": {"accounts": lambda *_: list(ACCOUNTS.values())}},
    references={
        name: (lambda ref: ACCOUNTS.get(ref["id"])) for name in ("Account", "Admin", "Guest")
    },
)

quota = Subgraph(
    name="quota",
    sdl=link("@key", "@interfaceObject", "@external", "@requires")
    + """
    type Query { heavy: [Account!]! }
    type Account @key(fields: "id") @interfaceObject {
      id: ID!
      name: String! @external
      quota: Int!
      greeting: String! @requires(fields: "name")
    }
    """,
    resolvers={
        "Query": {"heavy": lambda *_: [{"id": i, "quota": QUOTAS[i]} for i in ("a2", "a1")]},
        "Account": {"greeting": _greeting},
    },
    references={"Account": lambda ref: {**ref, "quota": QUOTAS[ref["id"]]}},
)

audit = Subgraph(
    name="audit",
    sdl=link("@key", "@interfaceObject")
    + """
    type Account @key(fields: "id") @interfaceObject { id: ID! logins: Int! }
    """,
    references={"Account": lambda ref: {"id": ref["id"], "logins": LOGINS[ref["id"]]}},
)

CASE = Case(
    name="interface-object-two-subgraphs",
    behaviour="two @interfaceObject subgraphs, one with @requires, and the interface's owner",
    subgraphs=(owner, quota, audit),
    probes=(
        Probe(
            label="one-interface-object-to-the-other",
            query="{ heavy { quota logins } }",
            data={"heavy": [{"quota": 2, "logins": 20}, {"quota": 1, "logins": 10}]},
            requests={"owner": 0},
        ),
        Probe(
            label="requires-from-the-interface-object-root",
            query="{ heavy { greeting } }",
            data={"heavy": [{"greeting": "hi Gus"}, {"greeting": "hi Ann"}]},
        ),
        Probe(
            label="implementation-fragments-from-the-interface-object-root",
            query=("{ heavy { logins ... on Admin { level greeting } ... on Guest { ttl } } }"),
            data={
                "heavy": [
                    {"logins": 20, "ttl": 9},
                    {"logins": 10, "level": 3, "greeting": "hi Ann"},
                ]
            },
            apollo=ApolloDifference(
                reason="@apollo/gateway sends quota a representation without its key "
                "(quota's error \"'id'\" at heavy.0), though the data is right"
            ),
        ),
        Probe(
            label="both-interface-objects-from-the-owner",
            query="{ accounts { __typename name quota logins greeting } }",
            data={
                "accounts": [
                    {
                        "__typename": "Admin",
                        "name": "Ann",
                        "quota": 1,
                        "logins": 10,
                        "greeting": "hi Ann",
                    },
                    {
                        "__typename": "Guest",
                        "name": "Gus",
                        "quota": 2,
                        "logins": 20,
                        "greeting": "hi Gus",
                    },
                ]
            },
        ),
        Probe(
            label="interface-object-fields-under-implementation-fragments",
            query="{ accounts { ... on Guest { logins } ... on Admin { quota } } }",
            data={"accounts": [{"quota": 1}, {"logins": 20}]},
        ),
        Probe(
            label="requirer-under-one-implementation-beside-a-field-for-all",
            query="{ accounts { quota ... on Admin { greeting } } }",
            data={"accounts": [{"quota": 1, "greeting": "hi Ann"}, {"quota": 2}]},
            apollo=ApolloDifference(
                reason="@apollo/gateway asks greeting of every account in one request, the "
                "guest without the name it requires, and loses the whole answer"
            ),
        ),
        Probe(
            label="required-field-aliased-under-one-implementation",
            query="{ accounts { __typename quota ... on Admin { nameAlias: name greeting } } }",
            data={
                "accounts": [
                    {"__typename": "Admin", "quota": 1, "nameAlias": "Ann", "greeting": "hi Ann"},
                    {"__typename": "Guest", "quota": 2},
                ]
            },
            apollo=ApolloDifference(
                reason="@apollo/gateway asks greeting of every account in one request, the "
                "guest without the name it requires, and loses the whole answer"
            ),
        ),
    ),
)
