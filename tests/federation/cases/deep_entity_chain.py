"""A deep chain of entity calls that goes back and forth between two subgraphs
(A → B → A → B): each level is fetched once for all objects at that level, the same entity met
at two levels is answered at both, and empty lists or null links end the chain quietly."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

AUTHORS: dict[str, dict[str, Any]] = {
    "a1": {"id": "a1", "name": "Gaskell", "bestseller": "b1"},
    "a2": {"id": "a2", "name": "Burgess", "bestseller": "b2"},
    "a3": {"id": "a3", "name": "Unpublished", "bestseller": None},
}
BOOKS: dict[str, dict[str, Any]] = {
    "b1": {"id": "b1", "title": "North and South", "author": "a1", "cites": ["b2"]},
    "b2": {"id": "b2", "title": "A Clockwork Orange", "author": "a2", "cites": []},
    "b3": {"id": "b3", "title": "Mary Barton", "author": "a1", "cites": ["b1", "b2"]},
}

catalogue = Subgraph(
    name="catalogue",
    sdl=link("@key")
    + """
    type Query { books: [Book!]! emptyShelf: [Book!]! }
    type Book @key(fields: "id") { id: ID! title: String! author: Author cites: [Book!]! }
    type Author @key(fields: "id") { id: ID! }
    """,
    resolvers={
        "Query": {
            "books": lambda *_: [BOOKS["b3"], BOOKS["b2"]],
            "emptyShelf": lambda *_: [],
        },
        "Book": {
            "author": lambda b, _: {"id": b["author"]} if b["author"] else None,
            "cites": lambda b, _: [BOOKS[c] for c in b["cites"]],
        },
    },
    references={"Book": lambda ref: BOOKS.get(ref["id"])},
)

people = Subgraph(
    name="people",
    sdl=link("@key")
    + """
    type Query { authors: [Author]! }
    type Author @key(fields: "id") { id: ID! name: String! bestseller: Book }
    type Book @key(fields: "id", resolvable: false) { id: ID! }
    """,
    resolvers={
        "Query": {"authors": lambda *_: [AUTHORS["a3"], None, AUTHORS["a2"]]},
        "Author": {"bestseller": lambda a, _: {"id": a["bestseller"]} if a["bestseller"] else None},
    },
    references={"Author": lambda ref: AUTHORS.get(ref["id"])},
)

CASE = Case(
    name="deep-entity-chain",
    behaviour="entity calls back and forth between two subgraphs, one fetch per level",
    subgraphs=(catalogue, people),
    probes=(
        Probe(
            label="four-levels",
            query="""{ books { title author { name bestseller { title author { name
              bestseller { id title } } } } } }""",
            data={
                "books": [
                    {
                        "title": "Mary Barton",
                        "author": {
                            "name": "Gaskell",
                            "bestseller": {
                                "title": "North and South",
                                "author": {
                                    "name": "Gaskell",
                                    "bestseller": {"id": "b1", "title": "North and South"},
                                },
                            },
                        },
                    },
                    {
                        "title": "A Clockwork Orange",
                        "author": {
                            "name": "Burgess",
                            "bestseller": {
                                "title": "A Clockwork Orange",
                                "author": {
                                    "name": "Burgess",
                                    "bestseller": {"id": "b2", "title": "A Clockwork Orange"},
                                },
                            },
                        },
                    },
                ]
            },
            requests={"catalogue": 3, "people": 2},
        ),
        Probe(
            label="null-and-empty-links-end-the-chain",
            query="{ authors { name bestseller { title cites { title author { name } } } } }",
            data={
                "authors": [
                    {"name": "Unpublished", "bestseller": None},
                    None,
                    {
                        "name": "Burgess",
                        "bestseller": {"title": "A Clockwork Orange", "cites": []},
                    },
                ]
            },
            requests={"people": 1, "catalogue": 1},
        ),
        Probe(
            label="empty-root-list-asks-nothing-more",
            query="{ emptyShelf { title author { name } } }",
            data={"emptyShelf": []},
            requests={"catalogue": 1, "people": 0},
        ),
        Probe(
            label="lists-within-lists",
            query="{ books { cites { title author { name } } } }",
            data={
                "books": [
                    {
                        "cites": [
                            {"title": "North and South", "author": {"name": "Gaskell"}},
                            {"title": "A Clockwork Orange", "author": {"name": "Burgess"}},
                        ]
                    },
                    {"cites": []},
                ]
            },
            requests={"catalogue": 1, "people": 1},
        ),
    ),
)
