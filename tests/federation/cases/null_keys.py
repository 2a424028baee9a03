"""Null or missing keys: when the key an entity call needs is null (or the hop that would give
it returns null), that entity call is skipped for that object only — no error, the rest
answers."""

from tests.federation.support import Case, Probe, Subgraph, link

TREES = [
    {"ref": "T1", "id": "1"},
    {"ref": "T2", "id": "2"},
    {"ref": "T3", "id": "3"},
]
SPECIES = {"1": "Oak", "2": "Ash", "3": "Lime"}

survey = Subgraph(
    name="survey",
    sdl=link("@key")
    + """
    type Query { plots: [Plot!]! }
    type Plot { tree: Tree }
    type Tree @key(fields: "ref") { ref: ID }
    """,
    resolvers={
        "Query": {
            "plots": lambda *_: (
                [{"tree": {"ref": t["ref"]}} for t in TREES]
                + [{"tree": None}, {"tree": {"ref": None}}]
            )
        }
    },
)

register = Subgraph(
    name="register",
    sdl=link("@key")
    + """
    type Tree @key(fields: "ref") @key(fields: "id") { ref: ID! id: ID! }
    """,
    references={
        "Tree": lambda ref: next(
            (
                {"ref": t["ref"], "id": t["id"]}
                for t in TREES
                if (ref.get("ref") == t["ref"] or ref.get("id") == t["id"]) and t["id"] != "3"
            ),
            None,
        )
    },
)

species = Subgraph(
    name="species",
    sdl=link("@key")
    + """
    type Tree @key(fields: "id") { id: ID! species: String }
    """,
    references={"Tree": lambda ref: {"id": ref["id"], "species": SPECIES[ref["id"]]}},
)

CASE = Case(
    name="null-keys",
    behaviour="a null or missing key skips that entity call; no error, the rest answers",
    subgraphs=(survey, register, species),
    probes=(
        Probe(
            label="middle-hop-returns-null",
            query="{ plots { tree { ref species } } }",
            data={
                "plots": [
                    {"tree": {"ref": "T1", "species": "Oak"}},
                    {"tree": {"ref": "T2", "species": "Ash"}},
                    {"tree": {"ref": "T3", "species": None}},
                    {"tree": None},
                    {"tree": {"ref": None, "species": None}},
                ]
            },
            requests={"survey": 1, "register": 1, "species": 1},
        ),
    ),
)
