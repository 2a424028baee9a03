"""``@provides`` on abstract types: type conditions in the provided selection
(``... on Book { title }``) for a field typed by an interface and by a union."""

from tests.federation.support import Case, Probe, Subgraph, link

ITEMS = {
    "b1": {"__typename": "Book", "id": "b1", "title": "Tideline", "pages": 310},
    "d1": {"__typename": "Dvd", "id": "d1", "title": "Cotton Town", "minutes": 96},
}

stock = Subgraph(
    name="stock",
    sdl=link("@key", "@shareable")
    + """
    interface Item { id: ID! title: String! }
    type Book implements Item @key(fields: "id") { id: ID! title: String! @shareable pages: Int! }
    type Dvd implements Item @key(fields: "id") { id: ID! title: String! @shareable minutes: Int! }
    """,
    references={"Book": lambda ref: ITEMS[ref["id"]], "Dvd": lambda ref: ITEMS[ref["id"]]},
)

returns = Subgraph(
    name="returns",
    sdl=link("@key", "@external", "@provides")
    + """
    type Query {
      returnedToday: [Item!]! @provides(fields: "... on Book { title }")
      returnedLoans: [Loan!]! @provides(fields: "... on Dvd { title }")
    }
    interface Item { id: ID! }
    union Loan = Book | Dvd
    type Book implements Item @key(fields: "id") { id: ID! title: String! @external }
    type Dvd implements Item @key(fields: "id") { id: ID! title: String! @external }
    """,
    resolvers={
        "Query": {
            "returnedToday": lambda *_: [
                {"__typename": "Book", "id": "b1", "title": "Tideline"},
                {"__typename": "Dvd", "id": "d1"},
            ],
            "returnedLoans": lambda *_: [
                {"__typename": "Book", "id": "b1"},
                {"__typename": "Dvd", "id": "d1", "title": "Cotton Town"},
            ],
        },
    },
)

CASE = Case(
    name="provides-abstract",
    behaviour="@provides with type conditions on interface- and union-typed fields",
    subgraphs=(stock, returns),
    probes=(
        Probe(
            label="interface-provided-member",
            query="{ returnedToday { id ... on Book { title } } }",
            data={"returnedToday": [{"id": "b1", "title": "Tideline"}, {"id": "d1"}]},
            requests={"returns": 1, "stock": 0},
        ),
        Probe(
            label="interface-unprovided-member",
            query="{ returnedToday { ... on Dvd { title } ... on Book { title } } }",
            data={"returnedToday": [{"title": "Tideline"}, {"title": "Cotton Town"}]},
            requests={"returns": 1, "stock": 1},
        ),
        Probe(
            label="interface-field-through-interface",
            query="{ returnedToday { __typename ... on Item { id } } }",
            data={
                "returnedToday": [
                    {"__typename": "Book", "id": "b1"},
                    {"__typename": "Dvd", "id": "d1"},
                ]
            },
            requests={"returns": 1, "stock": 0},
        ),
        Probe(
            label="union-provided-member",
            query="{ returnedLoans { ... on Dvd { title } } }",
            data={"returnedLoans": [{}, {"title": "Cotton Town"}]},
            requests={"returns": 1, "stock": 0},
        ),
        Probe(
            label="union-both-members",
            query="{ returnedLoans { ... on Book { title pages } ... on Dvd { title minutes } } }",
            data={
                "returnedLoans": [
                    {"title": "Tideline", "pages": 310},
                    {"title": "Cotton Town", "minutes": 96},
                ]
            },
        ),
    ),
)
