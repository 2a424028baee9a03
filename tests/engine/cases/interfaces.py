# ruff: noqa: E501  (SDL and expected answers read best on one line)
"""Abstract types across subgraphs: an entity interface with an @interfaceObject extension,
a union whose members live in different subgraphs, fragments on either, and __typename."""

from __future__ import annotations

from typing import Any

from tests.engine.harness import Case
from tests.engine.kit import Subgraph

ACCOUNTS = [
    {"__typename": "Admin", "id": "a1", "email": "root@x", "level": 9},
    {"__typename": "Member", "id": "m1", "email": "m@x", "since": 2020},
]
NAMES = {"a1": "Root", "m1": "Mia"}
MEDIA: list[dict[str, Any]] = [
    {"__typename": "Book", "id": "b1", "title": "Dune"},
    {"__typename": "Film", "id": "f1", "title": "Alien", "minutes": 117},
]


def _account(rep: dict[str, object]) -> dict[str, object] | None:
    return next((dict(a) for a in ACCOUNTS if a["id"] == rep.get("id")), None)


def subgraphs() -> list[Subgraph]:
    users = Subgraph(
        "users",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
        interface Account @key(fields: "id") { id: ID! email: String }
        type Admin implements Account @key(fields: "id") { id: ID! email: String level: Int }
        type Member implements Account @key(fields: "id") { id: ID! email: String since: Int }
        type Query { accounts: [Account!]! account(id: ID!): Account }
        """,
        root={
            "accounts": lambda info: [dict(a) for a in ACCOUNTS],
            "account": lambda info, id: _account({"id": id}),
        },
        references={"Account": _account, "Admin": _account, "Member": _account},
    )
    profiles = Subgraph(
        "profiles",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
        type Account @key(fields: "id") @interfaceObject { id: ID! displayName: String favourite: Media }
        union Media = Book | Film
        type Book @key(fields: "id") { id: ID! }
        type Film @key(fields: "id") { id: ID! }
        type Query { newest: Account }
        """,
        root={"newest": lambda info: {"__typename": "Account", "id": "m1", "displayName": "Mia"}},
        references={
            "Account": lambda rep: {
                "id": rep["id"],
                "displayName": NAMES.get(rep["id"]),
                "favourite": {"__typename": "Book", "id": "b1"}
                if rep["id"] == "a1"
                else {"__typename": "Film", "id": "f1"},
            }
        },
    )
    media = Subgraph(
        "media",
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        union Media = Book | Film
        type Book @key(fields: "id") { id: ID! title: String }
        type Film @key(fields: "id") { id: ID! title: String minutes: Int }
        type Query { media: [Media] }
        """,
        root={"media": lambda info: [dict(m) for m in MEDIA]},
        references={
            "Book": lambda rep: next((dict(m) for m in MEDIA if m["id"] == rep["id"]), None),
            "Film": lambda rep: next((dict(m) for m in MEDIA if m["id"] == rep["id"]), None),
        },
    )
    return [users, profiles, media]


CASES = [
    Case(
        "interface object field on every implementation",
        "{ accounts { id displayName ... on Admin { level } } }",
        {
            "data": {
                "accounts": [
                    {"id": "a1", "displayName": "Root", "level": 9},
                    {"id": "m1", "displayName": "Mia"},
                ]
            }
        },
    ),
    Case(
        "interface object root: the real type from the interface's subgraph",
        "{ newest { __typename id displayName email ... on Member { since } } }",
        {
            "data": {
                "newest": {
                    "__typename": "Member",
                    "id": "m1",
                    "displayName": "Mia",
                    "email": "m@x",
                    "since": 2020,
                }
            }
        },
    ),
    Case(
        "interface object root without __typename still shapes",
        "{ newest { id displayName } }",
        {"data": {"newest": {"id": "m1", "displayName": "Mia"}}},
    ),
    Case(
        "union members resolved elsewhere",
        "{ accounts { favourite { __typename ... on Book { title } ... on Film { title minutes } } } }",
        {
            "data": {
                "accounts": [
                    {"favourite": {"__typename": "Book", "title": "Dune"}},
                    {"favourite": {"__typename": "Film", "title": "Alien", "minutes": 117}},
                ]
            }
        },
    ),
    Case(
        "typename only",
        '{ media { __typename } account(id: "a1") { __typename t: __typename } }',
        {
            "data": {
                "media": [{"__typename": "Book"}, {"__typename": "Film"}],
                "account": {"__typename": "Admin", "t": "Admin"},
            }
        },
    ),
    Case(
        "fragment on a type the subgraph lacks is dropped",
        "{ media { ... on Film { minutes } ... on Book { id } } }",
        {"data": {"media": [{"id": "b1"}, {"minutes": 117}]}},
    ),
    Case(
        "skip and include with variables",
        "query($a: Boolean!, $b: Boolean = true) { accounts { id displayName @include(if: $a) ... on Admin @skip(if: $b) { level } } }",
        {"data": {"accounts": [{"id": "a1"}, {"id": "m1"}]}},
        variables={"a": False},
    ),
    Case(
        "literal skip removes a branch at plan time",
        "{ accounts { id displayName @skip(if: true) ... on Admin @include(if: false) { level } } }",
        {"data": {"accounts": [{"id": "a1"}, {"id": "m1"}]}},
    ),
]
