"""``@provides`` is a shortcut, not an order: the providing subgraph is asked only for the
provided fields the client selected (through aliases, inline and named fragments, untyped
fragments and ``@skip``/``@include``), and the owner is asked only for what nobody provides.

Both subgraphs refuse loudly what a correct plan never asks: the provider's ``hazard`` and
entity calls, the owner's ``title`` and ``hazard``."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

ITEMS = [
    {"id": "i1", "title": "Grit bin", "hazard": "none", "depot": "Trafford"},
    {"id": "i2", "title": "Salt spreader", "hazard": "moving parts", "depot": "Bury"},
]


def _refuse(what: str) -> Any:
    def refuse(*_: Any) -> Any:
        raise RuntimeError(f"a correct plan never asks for {what}")

    return refuse


stock = Subgraph(
    name="stock",
    sdl=link("@key", "@shareable")
    + """
    type Query { stockCount: Int }
    type Item @key(fields: "id") {
      id: ID!
      title: String! @shareable
      hazard: String! @shareable
      depot: String!
    }
    """,
    resolvers={
        "Query": {"stockCount": lambda *_: len(ITEMS)},
        "Item": {"title": _refuse("the owner's title"), "hazard": _refuse("the owner's hazard")},
    },
    references={"Item": lambda ref: next((dict(i) for i in ITEMS if i["id"] == ref["id"]), None)},
)

catalogue = Subgraph(
    name="catalogue",
    sdl=link("@key", "@external", "@provides")
    + """
    type Query {
      item: Item @provides(fields: "title hazard")
      items: [Item!]! @provides(fields: "title hazard")
    }
    type Item @key(fields: "id") {
      id: ID!
      title: String! @external
      hazard: String! @external
    }
    """,
    resolvers={
        "Query": {"item": lambda *_: dict(ITEMS[0]), "items": lambda *_: [dict(i) for i in ITEMS]},
        "Item": {"hazard": _refuse("hazard, which no probe selects")},
    },
    references={"Item": _refuse("an entity call into the provider")},
)

ONE = {"id": "i1", "title": "Grit bin"}
PROVIDER_ONLY = {"catalogue": 1, "stock": 0}

CASE = Case(
    name="provides-only-requested",
    behaviour="@provides answers only the provided fields the client selected; owner for the rest",
    subgraphs=(stock, catalogue),
    probes=(
        Probe(
            label="key-only",
            query="{ item { id } }",
            data={"item": {"id": "i1"}},
            requests=PROVIDER_ONLY,
        ),
        Probe(
            label="one-of-two-provided",
            query="{ item { id title } }",
            data={"item": ONE},
            requests=PROVIDER_ONLY,
        ),
        Probe(
            label="aliased-provided-field",
            query="{ item { id label: title } }",
            data={"item": {"id": "i1", "label": "Grit bin"}},
            requests=PROVIDER_ONLY,
        ),
        Probe(
            label="inline-fragment-on-the-type",
            query="{ item { id ... on Item { title } } }",
            data={"item": ONE},
            requests=PROVIDER_ONLY,
        ),
        Probe(
            label="named-fragment",
            query="query { item { id ...Label } } fragment Label on Item { title }",
            data={"item": ONE},
            requests=PROVIDER_ONLY,
        ),
        Probe(
            label="provided-and-owner-field",
            query="{ item { id title depot } }",
            data={"item": {"id": "i1", "title": "Grit bin", "depot": "Trafford"}},
            requests={"catalogue": 1, "stock": 1},
        ),
        Probe(
            label="list-of-provided",
            query="{ items { id title } }",
            data={"items": [ONE, {"id": "i2", "title": "Salt spreader"}]},
            requests=PROVIDER_ONLY,
        ),
        Probe(
            label="list-provided-and-owner-field",
            query="{ items { title depot } }",
            data={
                "items": [
                    {"title": "Grit bin", "depot": "Trafford"},
                    {"title": "Salt spreader", "depot": "Bury"},
                ]
            },
            requests={"catalogue": 1, "stock": 1},
        ),
        Probe(
            label="skipped-fragment-with-provided-field",
            query="{ item { id ... on Item @skip(if: true) { hazard } } }",
            data={"item": {"id": "i1"}},
            requests=PROVIDER_ONLY,
        ),
        Probe(
            label="excluded-fragment-with-provided-field-variable",
            query="query ($withHazard: Boolean!) { item { id ... @include(if: $withHazard) { "
            "hazard } } }",
            variables={"withHazard": False},
            data={"item": {"id": "i1"}},
            requests=PROVIDER_ONLY,
        ),
        Probe(
            label="sibling-untyped-fragments",
            query="{ item { id ... { title } ... { depot } } }",
            data={"item": {"id": "i1", "title": "Grit bin", "depot": "Trafford"}},
            requests={"catalogue": 1, "stock": 1},
        ),
    ),
)
