"""Unknown and unresolvable entities: an id no subgraph knows gives null (with the
subgraph's error when it raises), and a ``Node``-style field whose ``id`` is ``@external`` in
the subgraph that returns the object cannot be planned — an error, never made-up data."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import ANY_ERROR, Case, Probe, Subgraph, link

HOUSES = {"hs1": {"address": "1 Mill Lane", "owner": "ow1"}}
OWNERS = {"ow1": {"name": "R. Okafor"}}


def _strict_house(ref: Mapping[str, Any]) -> dict[str, Any]:
    if ref["id"] not in HOUSES:
        raise ValueError(f"unknown house {ref['id']}")
    owner = HOUSES[ref["id"]]["owner"]
    return {"id": ref["id"], "owner": {"id": owner, **OWNERS[owner]}}


houses = Subgraph(
    name="houses",
    sdl=link("@key", "@shareable", "@external")
    + """
    type Query { node(id: ID!): Node @shareable house(id: ID!): House }
    interface Node { id: ID! }
    type House implements Node @key(fields: "id") { id: ID! address: String! }
    type Owner implements Node @key(fields: "id") { id: ID! @external }
    """,
    resolvers={
        "Query": {
            "node": lambda _, a: (
                {"__typename": "House", "id": a["id"], **HOUSES[a["id"]]}
                if a["id"] in HOUSES
                else {"__typename": "Owner", "id": "NOT-THE-ID"}
                if a["id"] in OWNERS
                else None
            ),
            "house": lambda _, a: {
                "id": a["id"],
                "address": HOUSES[a["id"]]["address"] if a["id"] in HOUSES else "unknown",
            },
        }
    },
)

owners = Subgraph(
    name="owners",
    sdl=link("@key", "@shareable", "@external")
    + """
    type Query { node(id: ID!): Node @shareable }
    interface Node { id: ID! }
    type Owner implements Node @key(fields: "id") { id: ID! name: String! }
    type House implements Node @key(fields: "id") { id: ID! @external owner: Owner }
    """,
    resolvers={
        "Query": {
            "node": lambda _, a: (
                {"__typename": "Owner", "id": a["id"], **OWNERS[a["id"]]}
                if a["id"] in OWNERS
                else {"__typename": "House", "id": "NOT-THE-ID"}
                if a["id"] in HOUSES
                else None
            )
        }
    },
    references={"House": _strict_house},
)

CASE = Case(
    name="unknown-entities",
    behaviour="unknown entity ids and unplannable Node ids give errors, not data",
    subgraphs=(houses, owners),
    probes=(
        Probe(
            label="known-entity",
            query='{ house(id: "hs1") { address owner { name } } }',
            data={"house": {"address": "1 Mill Lane", "owner": {"name": "R. Okafor"}}},
        ),
        Probe(
            label="unknown-entity-id",
            query='{ house(id: "hs9") { address owner { id name } } }',
            data={"house": {"address": "unknown", "owner": None}},
            errors=ANY_ERROR,
        ),
        Probe(
            label="node-id-external-in-both",
            query='{ node(id: "hs1") { id } }',
            data=None,
            errors=ANY_ERROR,
        ),
        Probe(
            label="node-typename-only",
            query='{ h: node(id: "hs1") { __typename } o: node(id: "ow1") { __typename } }',
            data={"h": {"__typename": "House"}, "o": {"__typename": "Owner"}},
        ),
        Probe(
            label="node-fragments-route-per-type",
            query=(
                '{ h: node(id: "hs1") { ... on House { id address } } o: node(id: "ow1") { ... on '
                "Owner { id name } } }"
            ),
            data={
                "h": {"id": "hs1", "address": "1 Mill Lane"},
                "o": {"id": "ow1", "name": "R. Okafor"},
            },
        ),
        Probe(
            label="node-fragment-on-the-other-type",
            query=(
                '{ h: node(id: "hs1") { ... on Owner { id } } '
                'o: node(id: "ow1") { ... on House { id } } }'
            ),
            data={"h": {}, "o": {}},
        ),
        Probe(
            label="node-typename-and-fragment-on-the-other-type",
            query=(
                '{ h: node(id: "hs1") { __typename ... on Owner { id } } '
                'o: node(id: "ow1") { __typename ... on House { id } } }'
            ),
            data={"h": {"__typename": "House"}, "o": {"__typename": "Owner"}},
        ),
        Probe(
            label="node-id-plus-fragment-unplannable",
            query='{ h: node(id: "hs1") { id ... on Owner { id } } }',
            data=None,
            errors=ANY_ERROR,
        ),
    ),
)
