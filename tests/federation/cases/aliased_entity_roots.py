"""One root field aliased several times, each alias leading into the same entity fields of
another subgraph: the entity fields of every alias come in one ``_entities`` request (an
entity under two aliases is sent once), and different selections per alias each get exactly
what they asked for. Aliases may also reuse the names of fields a ``@requires`` needs."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

BOOKS = {
    "k1": {"title": "Dune", "pages": 412, "isbn": "111"},
    "k2": {"title": "Emma", "pages": 300, "isbn": "222"},
}
LOANS = {"k1": ["Ada", "Bo"], "k2": ["Cy"]}


def _book(ref: Mapping[str, Any]) -> dict[str, Any] | None:
    for key, book in BOOKS.items():
        if key == ref.get("id") or book["isbn"] == ref.get("isbn"):
            return {"id": key, **book}
    return None


def _on_loan(ref: Mapping[str, Any]) -> dict[str, Any] | None:
    book = _book(ref)
    if book is None:
        return None
    return {**ref, "id": book["id"], "isbn": book["isbn"], "borrowers": LOANS[book["id"]]}


catalogue = Subgraph(
    name="catalogue",
    sdl=link("@key")
    + """
    type Query { book(id: ID!): Book books: [Book!]! }
    type Book @key(fields: "id") @key(fields: "isbn") {
      id: ID!
      isbn: String!
      title: String!
      pages: Int!
    }
    """,
    resolvers={
        "Query": {
            "book": lambda _, a: _book(a),
            "books": lambda *_: [{"id": k, **v} for k, v in BOOKS.items()],
        }
    },
    references={"Book": _book},
)

loans = Subgraph(
    name="loans",
    sdl=link("@key", "@external", "@requires")
    + """
    type Book @key(fields: "id") @key(fields: "isbn") {
      id: ID!
      isbn: String!
      borrowers: [String!]!
      pages: Int! @external
      weight: Int! @requires(fields: "pages")
    }
    """,
    resolvers={"Book": {"weight": lambda b, _: b["pages"] * 2}},
    references={"Book": _on_loan},
)

CASE = Case(
    name="aliased-entity-roots",
    behaviour="aliased roots share one entity request; aliases over required field names",
    subgraphs=(catalogue, loans),
    probes=(
        Probe(
            label="two-aliases-one-entity-request",
            query='{ a: book(id: "k1") { borrowers } b: book(id: "k2") { borrowers } }',
            data={"a": {"borrowers": ["Ada", "Bo"]}, "b": {"borrowers": ["Cy"]}},
            requests={"catalogue": 1, "loans": 1},
            apollo=ApolloDifference(
                reason="@apollo/gateway sends one _entities request per alias (same answers)"
            ),
        ),
        Probe(
            label="same-entity-under-two-aliases",
            query='{ a: book(id: "k1") { title borrowers } b: book(id: "k1") { borrowers } }',
            data={
                "a": {"title": "Dune", "borrowers": ["Ada", "Bo"]},
                "b": {"borrowers": ["Ada", "Bo"]},
            },
            requests={"catalogue": 1, "loans": 1},
            apollo=ApolloDifference(
                reason="@apollo/gateway sends one _entities request per alias (same answers)"
            ),
        ),
        Probe(
            label="different-selections-per-alias",
            query='{ a: book(id: "k1") { borrowers } b: book(id: "k2") { weight } }',
            data={"a": {"borrowers": ["Ada", "Bo"]}, "b": {"weight": 600}},
        ),
        Probe(
            label="alias-over-a-key-name",
            query="{ books { isbn: title weight } }",
            data={"books": [{"isbn": "Dune", "weight": 824}, {"isbn": "Emma", "weight": 600}]},
        ),
        Probe(
            label="alias-over-a-required-field-name",
            query="{ books { pages: title weight } }",
            data={"books": [{"pages": "Dune", "weight": 824}, {"pages": "Emma", "weight": 600}]},
            apollo=ApolloDifference(
                reason="@apollo/gateway sends the aliased title as the required pages, and the "
                "requiring subgraph fails"
            ),
        ),
        Probe(
            label="required-field-and-requirer-swapped-aliases",
            query="{ books { weight: pages pages: weight } }",
            data={"books": [{"weight": 412, "pages": 824}, {"weight": 300, "pages": 600}]},
        ),
    ),
)
