"""A ``@requires`` chain that goes back and forth through lists of entities: the gateway
fetches each post's comments (second subgraph), each comment's author id (first subgraph),
then the post's lead author id computed from them (second subgraph, ``@requires`` of
``comments { authorId }``), then the author computed from that (first subgraph,
``@requires`` of ``leadAuthorId``) — five fetches, each representation complete."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

COMMENTS: dict[str, dict[str, Any]] = {
    "c1": {"id": "c1", "post": "p1", "authorId": "u2"},
    "c2": {"id": "c2", "post": "p1", "authorId": "u1"},
    "c3": {"id": "c3", "post": "p2", "authorId": "u1"},
}
USERS = {"u1": "Maya", "u2": "Tom"}


def _need(obj: Mapping[str, Any], field: str) -> Any:
    if field not in obj:
        raise ValueError(f"required field not provided: {field}")
    return obj[field]


def _lead(post: Mapping[str, Any]) -> str | None:
    comments = _need(post, "comments")
    if not all("authorId" in c for c in comments):
        raise ValueError("every comment needs its authorId")
    return comments[0]["authorId"] if comments else None


def _author(post: Mapping[str, Any]) -> dict[str, Any] | None:
    lead = _need(post, "leadAuthorId")
    return {"id": lead, "name": USERS[lead]} if lead else None


forum = Subgraph(
    name="forum",
    sdl=link("@key", "@external", "@requires")
    + """
    type Query { feed: [Post] }
    type Post @key(fields: "id") {
      id: ID!
      leadAuthorId: ID @external
      author: Author @requires(fields: "leadAuthorId")
    }
    type Comment @key(fields: "id") { id: ID! authorId: ID }
    type Author { id: ID! name: String }
    """,
    resolvers={
        "Query": {"feed": lambda *_: [{"id": "p1"}, {"id": "p2"}, {"id": "p3"}]},
        "Post": {"author": lambda p, _: _author(p)},
    },
    references={
        "Post": lambda ref: dict(ref),
        "Comment": lambda ref: COMMENTS.get(ref["id"]),
    },
)

threads = Subgraph(
    name="threads",
    sdl=link("@key", "@external", "@requires")
    + """
    type Post @key(fields: "id") {
      id: ID!
      comments: [Comment!]!
      leadAuthorId: ID @requires(fields: "comments { authorId }")
    }
    type Comment @key(fields: "id") { id: ID! authorId: ID @external }
    """,
    resolvers={
        "Post": {
            "comments": lambda p, _: [
                {"id": c["id"]} for c in COMMENTS.values() if c["post"] == p["id"]
            ],
            "leadAuthorId": lambda p, _: _lead(p),
        }
    },
    references={"Post": lambda ref: dict(ref)},
)

CASE = Case(
    name="requires-through-entity-lists",
    behaviour="@requires of a list of entities whose required field lives back in the root",
    subgraphs=(forum, threads),
    probes=(
        Probe(
            label="author-from-the-lead-comment",
            query="{ feed { author { id name } } }",
            data={
                "feed": [
                    {"author": {"id": "u2", "name": "Tom"}},
                    {"author": {"id": "u1", "name": "Maya"}},
                    {"author": None},
                ]
            },
            requests={"forum": 3, "threads": 2},
        ),
        Probe(
            label="intermediate-fields-asked-too",
            query="{ feed { id leadAuthorId comments { id authorId } author { name } } }",
            data={
                "feed": [
                    {
                        "id": "p1",
                        "leadAuthorId": "u2",
                        "comments": [
                            {"id": "c1", "authorId": "u2"},
                            {"id": "c2", "authorId": "u1"},
                        ],
                        "author": {"name": "Tom"},
                    },
                    {
                        "id": "p2",
                        "leadAuthorId": "u1",
                        "comments": [{"id": "c3", "authorId": "u1"}],
                        "author": {"name": "Maya"},
                    },
                    {"id": "p3", "leadAuthorId": None, "comments": [], "author": None},
                ]
            },
        ),
        Probe(
            label="lead-author-id-only",
            query="{ feed { leadAuthorId } }",
            data={"feed": [{"leadAuthorId": "u2"}, {"leadAuthorId": "u1"}, {"leadAuthorId": None}]},
            requests={"forum": 2, "threads": 2},
        ),
    ),
)
