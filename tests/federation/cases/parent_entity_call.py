"""Parent entity call: a field of a value type (no key) that only one subgraph resolves is
reached by calling that subgraph back through the *parent* entity; the same object is an
entity in other subgraphs (``Head @key(fields: "id")``) whose fields come by its own key."""

from tests.federation.support import Case, Probe, Subgraph, link

SCHOOLS = {"s1": {"name": "Oakfield Primary", "head": "h7", "title": "Dr"}}
HEADS = {"h7": "Priya Shah"}

registry = Subgraph(
    name="registry",
    sdl=link("@key")
    + """
    type Query { school(id: ID!): School }
    type School @key(fields: "id") { id: ID! name: String! }
    """,
    resolvers={
        "Query": {
            "school": lambda _, a: (
                {"id": a["id"], "name": SCHOOLS[a["id"]]["name"]} if a["id"] in SCHOOLS else None
            )
        }
    },
)

staffing = Subgraph(
    name="staffing",
    sdl=link("@key", "@external", "@shareable")
    + """
    type School @key(fields: "id") { id: ID! @external headteacher: Head @shareable }
    type Head { title: String }
    """,
    references={
        "School": lambda ref: {
            "id": ref["id"],
            "headteacher": {"title": SCHOOLS[ref["id"]]["title"]},
        }
    },
)

contacts = Subgraph(
    name="contacts",
    sdl=link("@key", "@shareable")
    + """
    type School @key(fields: "id") { id: ID! headteacher: Head @shareable }
    type Head @key(fields: "id") { id: ID! }
    """,
    references={
        "School": lambda ref: {"id": ref["id"], "headteacher": {"id": SCHOOLS[ref["id"]]["head"]}}
    },
)

people = Subgraph(
    name="people",
    sdl=link("@key")
    + """
    type Head @key(fields: "id") { id: ID! name: String! }
    """,
    references={"Head": lambda ref: {"id": ref["id"], "name": HEADS[ref["id"]]}},
)

CASE = Case(
    name="parent-entity-call",
    behaviour="a value-type field reached by calling back through its parent entity",
    subgraphs=(registry, staffing, contacts, people),
    probes=(
        Probe(
            label="through-the-parent",
            query='{ school(id: "s1") { name headteacher { title } } }',
            data={"school": {"name": "Oakfield Primary", "headteacher": {"title": "Dr"}}},
            requests={"registry": 1, "staffing": 1},
        ),
        Probe(
            label="parent-and-child-entity",
            query='{ school(id: "s1") { headteacher { id name title } } }',
            data={"school": {"headteacher": {"id": "h7", "name": "Priya Shah", "title": "Dr"}}},
        ),
        Probe(
            label="child-entity-only",
            query='{ school(id: "s1") { headteacher { name } } }',
            data={"school": {"headteacher": {"name": "Priya Shah"}}},
        ),
    ),
)
