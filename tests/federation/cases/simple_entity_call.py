"""Simple entity call: a root field in one subgraph, one more field of the same entity from
another subgraph through its ``@key``."""

from tests.federation.support import Case, Probe, Subgraph, link

TITLES = {
    "978-0": {"isbn": "978-0", "name": "Moorland Birds", "copies": 3},
    "978-1": {"isbn": "978-1", "name": "Canal Walks", "copies": 0},
}

catalogue = Subgraph(
    name="catalogue",
    sdl=link("@key")
    + """
    type Query { featuredTitle: Title }
    type Title @key(fields: "isbn") { isbn: ID! name: String! }
    """,
    resolvers={"Query": {"featuredTitle": lambda *_: {"isbn": "978-0", "name": "Moorland Birds"}}},
    references={"Title": lambda ref: TITLES.get(ref["isbn"])},
)

loans = Subgraph(
    name="loans",
    sdl=link("@key")
    + """
    type Title @key(fields: "isbn") { isbn: ID! copiesOnShelf: Int! }
    """,
    references={
        "Title": lambda ref: (
            {"isbn": ref["isbn"], "copiesOnShelf": TITLES[ref["isbn"]]["copies"]}
            if ref["isbn"] in TITLES
            else None
        )
    },
)

CASE = Case(
    name="simple-entity-call",
    behaviour="a field of an entity resolved by a second subgraph through the entity's key",
    subgraphs=(catalogue, loans),
    probes=(
        Probe(
            label="entity-fields-from-two-subgraphs",
            query="{ featuredTitle { isbn name copiesOnShelf } }",
            data={"featuredTitle": {"isbn": "978-0", "name": "Moorland Birds", "copiesOnShelf": 3}},
            requests={"catalogue": 1, "loans": 1},
        ),
        Probe(
            label="only-the-owning-subgraph",
            query="{ featuredTitle { name } }",
            data={"featuredTitle": {"name": "Moorland Birds"}},
            requests={"catalogue": 1, "loans": 0},
        ),
        Probe(
            label="only-the-extending-subgraph-field",
            query="{ featuredTitle { copiesOnShelf } }",
            data={"featuredTitle": {"copiesOnShelf": 3}},
            requests={"catalogue": 1, "loans": 1},
        ),
    ),
)
