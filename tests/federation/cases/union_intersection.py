"""Unions whose members differ between subgraphs: a member one subgraph does not know must not
be sent to it in a fragment, and a ``@shareable`` field typed by the union in one subgraph can
be answered by another that knows fewer members."""

from tests.federation.support import Case, Probe, Subgraph, link

exhibit = {"__typename": "Painting", "title": "Peterloo"}

gallery = Subgraph(
    name="gallery",
    sdl=link("@shareable")
    + """
    type Query { featured: Exhibit @shareable tour: Tour @shareable }
    union Exhibit = Painting | Sculpture
    type Painting { title: String! @shareable }
    type Sculpture { title: String! @shareable }
    type Tour { first: Exhibit @shareable }
    """,
    resolvers={
        "Query": {"featured": lambda *_: exhibit, "tour": lambda *_: {"first": exhibit}},
    },
)

archive = Subgraph(
    name="archive",
    sdl=link("@shareable")
    + """
    type Query { featured: Exhibit @shareable tour: Tour @shareable }
    union Exhibit = Painting | Photograph
    type Painting { title: String! @shareable }
    type Photograph { title: String! year: Int! }
    type Tour { first: Exhibit @shareable audio: Exhibit }
    """,
    resolvers={
        "Query": {
            "featured": lambda *_: exhibit,
            "tour": lambda *_: {
                "first": exhibit,
                "audio": {"__typename": "Photograph", "title": "Mill Girls", "year": 1911},
            },
        },
    },
)

CASE = Case(
    name="union-intersection",
    behaviour="union members known to only some subgraphs; fragments on unknown members",
    subgraphs=(gallery, archive),
    probes=(
        Probe(
            label="member-only-in-one-subgraph",
            query="{ featured { ... on Sculpture { title } } }",
            data={"featured": {}},
        ),
        Probe(
            label="member-in-both",
            query="{ featured { ... on Painting { title } } }",
            data={"featured": {"title": "Peterloo"}},
        ),
        Probe(
            label="every-member",
            query=(
                "{ featured { __typename ... on Painting { title } ... on Sculpture { title } ... "
                "on Photograph { title year } } }"
            ),
            data={"featured": {"__typename": "Painting", "title": "Peterloo"}},
        ),
        Probe(
            label="nested-and-field-of-one-subgraph",
            query="""{ tour {
                first { __typename ... on Sculpture { title } ... on Painting { title } }
                audio { __typename ... on Sculpture { title } ... on Photograph { title year } }
            } }""",
            data={
                "tour": {
                    "first": {"__typename": "Painting", "title": "Peterloo"},
                    "audio": {"__typename": "Photograph", "title": "Mill Girls", "year": 1911},
                }
            },
        ),
    ),
)
