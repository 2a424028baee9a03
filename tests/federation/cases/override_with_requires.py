"""``@override`` of a field other subgraphs ``@requires``: ``displayName`` moved from
``accounts`` to ``profiles``; ``accounts`` (its old owner) and ``mailing`` still compute
fields from it, so from whichever subgraph the user is reached the gateway fetches it from
``profiles`` first and hands it to both."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

NAMES = {"u1": "Asha", "u2": "Ben", "u3": "Cy"}


def _name(user: Mapping[str, Any]) -> str:
    if "displayName" not in user:
        raise ValueError("displayName was not provided")
    return str(user["displayName"])


accounts = Subgraph(
    name="accounts",
    sdl=link("@key", "@external", "@requires")
    + """
    type Query { accountUser: User }
    type User @key(fields: "id") {
      id: ID!
      displayName: String! @external
      greeting: String! @requires(fields: "displayName")
    }
    """,
    resolvers={
        "Query": {"accountUser": lambda *_: {"id": "u1"}},
        "User": {"greeting": lambda u, _: f"Hello {_name(u)}"},
    },
    references={"User": lambda ref: dict(ref)},
)

profiles = Subgraph(
    name="profiles",
    sdl=link("@key", "@override")
    + """
    type Query { profileUser: User }
    type User @key(fields: "id") {
      id: ID!
      displayName: String! @override(from: "accounts")
    }
    """,
    resolvers={"Query": {"profileUser": lambda *_: {"id": "u2", "displayName": NAMES["u2"]}}},
    references={"User": lambda ref: {"id": ref["id"], "displayName": NAMES[ref["id"]]}},
)

mailing = Subgraph(
    name="mailing",
    sdl=link("@key", "@external", "@requires")
    + """
    type Query { mailingUser: User }
    type User @key(fields: "id") {
      id: ID!
      displayName: String! @external
      envelope: String! @requires(fields: "displayName")
    }
    """,
    resolvers={
        "Query": {"mailingUser": lambda *_: {"id": "u3"}},
        "User": {"envelope": lambda u, _: f"To: {_name(u).upper()}"},
    },
    references={"User": lambda ref: dict(ref)},
)


def _user(user_id: str) -> dict[str, str]:
    name = NAMES[user_id]
    return {
        "id": user_id,
        "displayName": name,
        "greeting": f"Hello {name}",
        "envelope": f"To: {name.upper()}",
    }


CASE = Case(
    name="override-with-requires",
    behaviour="a field moved by @override is fetched from its new owner for every @requires",
    subgraphs=(accounts, profiles, mailing),
    probes=(
        Probe(
            label="from-every-subgraph",
            query="""{
              accountUser { id displayName greeting envelope }
              profileUser { id displayName greeting envelope }
              mailingUser { id displayName greeting envelope }
            }""",
            data={
                "accountUser": _user("u1"),
                "profileUser": _user("u2"),
                "mailingUser": _user("u3"),
            },
        ),
        Probe(
            label="requirer-reached-from-itself",
            query="{ mailingUser { envelope } }",
            data={"mailingUser": {"envelope": "To: CY"}},
            requests={"mailing": 2, "profiles": 1, "accounts": 0},
        ),
        Probe(
            label="old-owner-requires-the-moved-field",
            query="{ accountUser { greeting } }",
            data={"accountUser": {"greeting": "Hello Asha"}},
            requests={"accounts": 2, "profiles": 1, "mailing": 0},
        ),
        Probe(
            label="other-requirer",
            query="{ accountUser { envelope } }",
            data={"accountUser": {"envelope": "To: ASHA"}},
            requests={"accounts": 1, "profiles": 1, "mailing": 1},
        ),
    ),
)
