"""Chains of ``@requires``: a required field that is itself ``@requires`` elsewhere, and a
requirement whose input lives in a third subgraph (neither the root's nor the requirer's)."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

HOMES = {"h1": {"band": "D", "rooms": 5, "floodZone": True}}


def _need(obj: Mapping[str, Any], *fields: str) -> None:
    missing = [f for f in fields if f not in obj]
    if missing:
        raise ValueError(f"required fields not provided: {missing}")


valuation = Subgraph(
    name="valuation",
    sdl=link("@key")
    + """
    type Query { home(id: ID!): Home }
    type Home @key(fields: "id") { id: ID! councilTaxBand: String! }
    """,
    resolvers={"Query": {"home": lambda _, a: {"id": a["id"], "councilTaxBand": "D"}}},
    references={"Home": lambda ref: {"id": ref["id"], "councilTaxBand": HOMES[ref["id"]]["band"]}},
)

survey = Subgraph(
    name="survey",
    sdl=link("@key")
    + """
    type Home @key(fields: "id") { id: ID! rooms: Int! floodZone: Boolean! }
    """,
    references={
        "Home": lambda ref: {
            "id": ref["id"],
            "rooms": HOMES[ref["id"]]["rooms"],
            "floodZone": HOMES[ref["id"]]["floodZone"],
        }
    },
)


def _annual(home: Mapping[str, Any]) -> int:
    _need(home, "councilTaxBand", "rooms")
    return {"D": 2100}[home["councilTaxBand"]] + 40 * int(home["rooms"])


def _affordable(home: Mapping[str, Any]) -> bool:
    _need(home, "annualCost")
    return bool(home["annualCost"] < 2500)


def _premium(home: Mapping[str, Any]) -> int:
    _need(home, "annualCost", "floodZone")
    return int(home["annualCost"]) // 10 + (300 if home["floodZone"] else 0)


costs = Subgraph(
    name="costs",
    sdl=link("@key", "@external", "@requires")
    + """
    type Home @key(fields: "id") {
      id: ID!
      councilTaxBand: String! @external
      rooms: Int! @external
      annualCost: Int! @requires(fields: "councilTaxBand rooms")
    }
    """,
    resolvers={"Home": {"annualCost": lambda h, _: _annual(h)}},
    references={"Home": lambda ref: dict(ref)},
)

insurance = Subgraph(
    name="insurance",
    sdl=link("@key", "@external", "@requires")
    + """
    type Home @key(fields: "id") {
      id: ID!
      annualCost: Int! @external
      floodZone: Boolean! @external
      premium: Int! @requires(fields: "annualCost floodZone")
      affordable: Boolean! @requires(fields: "annualCost")
    }
    """,
    resolvers={
        "Home": {
            "premium": lambda h, _: _premium(h),
            "affordable": lambda h, _: _affordable(h),
        }
    },
    references={"Home": lambda ref: dict(ref)},
)

CASE = Case(
    name="requires-chain",
    behaviour="@requires on a @requires field, with inputs from two other subgraphs",
    subgraphs=(valuation, survey, costs, insurance),
    probes=(
        Probe(
            label="inputs-from-root-and-third-subgraph",
            query='{ home(id: "h1") { annualCost } }',
            data={"home": {"annualCost": 2300}},
        ),
        Probe(
            label="requires-of-requires",
            query='{ home(id: "h1") { premium } }',
            data={"home": {"premium": 530}},
        ),
        Probe(
            label="both-levels-and-a-sibling",
            query='{ home(id: "h1") { affordable annualCost premium councilTaxBand } }',
            data={
                "home": {
                    "affordable": True,
                    "annualCost": 2300,
                    "premium": 530,
                    "councilTaxBand": "D",
                }
            },
        ),
    ),
)
