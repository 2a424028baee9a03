"""``@provides`` on a covariant field: an interface field typed by the interface itself
(``companion: Exhibit``) that an implementation narrows (``companion: Painting``) and on
which it provides an ``@external`` field. The provided field is local on that path only;
at the root the same field needs an entity call, and the recursion through the interface
keeps its type conditions."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

PAINTINGS = {"pa1": 500, "pa2": 900, "pa3": 500}  # id -> valuation (£k)


def _companion(painting: Mapping[str, Any], _: object) -> dict[str, Any] | None:
    """Another painting of the same valuation, with that valuation (what @provides promises)."""
    own = PAINTINGS[painting["id"]]
    for other, valuation in PAINTINGS.items():
        if other != painting["id"] and valuation == own:
            return {"__typename": "Painting", "id": other, "valuation": valuation}
    return None


def _valuation(painting: Mapping[str, Any], _: object) -> int:
    if "valuation" not in painting:
        raise ValueError("valuation is only known where it is provided")
    return int(painting["valuation"])


galleries = Subgraph(
    name="galleries",
    sdl=link("@key", "@external", "@provides")
    + """
    type Query { featured: Exhibit }
    interface Exhibit { companion: Exhibit }
    type Painting implements Exhibit @key(fields: "id") {
      id: ID!
      companion: Painting @provides(fields: "valuation")
      valuation: Int @external
    }
    """,
    resolvers={
        "Query": {"featured": lambda *_: {"__typename": "Painting", "id": "pa1"}},
        "Painting": {"companion": _companion, "valuation": _valuation},
    },
)

insurance = Subgraph(
    name="insurance",
    sdl=link("@key", "@shareable")
    + """
    type Painting @key(fields: "id") { id: ID! valuation: Int @shareable }
    """,
    references={"Painting": lambda ref: {"id": ref["id"], "valuation": PAINTINGS[ref["id"]]}},
)

CASE = Case(
    name="provides-covariant",
    behaviour="@provides on an implementation's narrowed interface field, through recursion",
    subgraphs=(galleries, insurance),
    probes=(
        Probe(
            label="recursion-through-the-interface",
            query="{ featured { companion { ... on Painting { companion { __typename } } } } }",
            data={"featured": {"companion": {"companion": {"__typename": "Painting"}}}},
            requests={"galleries": 1, "insurance": 0},
        ),
        Probe(
            label="provided-on-the-narrowed-field-only",
            query="""{
              featured {
                __typename
                companion {
                  __typename
                  ... on Painting { id }
                  companion { __typename ... on Painting { id } }
                }
                ... on Painting { __typename id valuation companion { id valuation } }
              }
            }""",
            data={
                "featured": {
                    "__typename": "Painting",
                    "companion": {
                        "__typename": "Painting",
                        "id": "pa3",
                        "companion": {"__typename": "Painting", "id": "pa1"},
                        "valuation": 500,
                    },
                    "id": "pa1",
                    "valuation": 500,
                }
            },
            requests={"galleries": 1, "insurance": 1},
        ),
        Probe(
            label="provided-field-alone",
            query="{ featured { ... on Painting { companion { valuation } } } }",
            data={"featured": {"companion": {"valuation": 500}}},
            requests={"galleries": 1, "insurance": 0},
        ),
    ),
)
