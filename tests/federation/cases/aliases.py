"""Aliases: on root and entity fields, an alias reusing a key field's name for another field
(the gateway still needs the real key), the same alias on different fields of union members,
and one field under two aliases with different arguments across an entity call."""

from typing import Any

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

HOUSEHOLDS = {"hh1": {"size": 4, "tenure": "social"}}


def _rent(household: dict[str, Any], weeks: int) -> int:
    return 95 * weeks


registry = Subgraph(
    name="registry",
    sdl=link("@key")
    + """
    type Query { household(id: ID!): Household things: [Thing!]! }
    type Household @key(fields: "id") { id: ID! size: Int! }
    union Thing = Pet | Car
    type Pet { name: String! legs: Int! }
    type Car { plate: String! wheels: Int! }
    """,
    resolvers={
        "Query": {
            "household": lambda _, a: {"id": a["id"], "size": HOUSEHOLDS[a["id"]]["size"]},
            "things": lambda *_: [
                {"__typename": "Pet", "name": "Biscuit", "legs": 4},
                {"__typename": "Car", "plate": "MA21 XYZ", "wheels": 4},
            ],
        }
    },
    references={"Household": lambda ref: {"id": ref["id"], "size": HOUSEHOLDS[ref["id"]]["size"]}},
)

housing = Subgraph(
    name="housing",
    sdl=link("@key")
    + """
    type Household @key(fields: "id") { id: ID! tenure: String! rent(weeks: Int!): Int! }
    """,
    resolvers={"Household": {"rent": lambda h, a: _rent(h, a["weeks"])}},
    references={
        "Household": lambda ref: {"id": ref["id"], "tenure": HOUSEHOLDS[ref["id"]]["tenure"]}
    },
)

CASE = Case(
    name="aliases",
    behaviour="aliases, including one that reuses the key field's name for another field",
    subgraphs=(registry, housing),
    probes=(
        Probe(
            label="alias-shadowing-the-key",
            query='{ household(id: "hh1") { id: size tenure } }',
            data={"household": {"id": 4, "tenure": "social"}},
            apollo=ApolloDifference(
                reason="Apollo mixes the client's `id: size` with the key field `id` it adds for "
                "the entity call: household comes back null (reported only in "
                "extensions.valueCompletion)"
            ),
        ),
        Probe(
            label="alias-shadowing-the-key-on-the-other-side",
            query='{ household(id: "hh1") { size id: tenure } }',
            data={"household": {"size": 4, "id": "social"}},
        ),
        Probe(
            label="root-alias-and-entity-aliases",
            query='{ home: household(id: "hh1") { people: size kind: tenure realId: id } }',
            data={"home": {"people": 4, "kind": "social", "realId": "hh1"}},
        ),
        Probe(
            label="same-field-two-arguments-after-entity-call",
            query='{ household(id: "hh1") { week: rent(weeks: 1) month: rent(weeks: 4) } }',
            data={"household": {"week": 95, "month": 380}},
            requests={"registry": 1, "housing": 1},
        ),
        Probe(
            label="same-alias-different-member-fields",
            query=(
                "{ things { ... on Pet { label: name count: legs } ... on Car { label: plate "
                "count: wheels } } }"
            ),
            data={"things": [{"label": "Biscuit", "count": 4}, {"label": "MA21 XYZ", "count": 4}]},
        ),
        Probe(
            label="typename-alias",
            query='{ household(id: "hh1") { kind: __typename t: tenure } }',
            data={"household": {"kind": "Household", "t": "social"}},
        ),
    ),
)
