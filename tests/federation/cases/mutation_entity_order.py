"""Mutations whose results need entity fields (and a ``@requires``) from other subgraphs: a
mutation's entity fetches run before the next mutation to another subgraph (the state they
read is the state that mutation left), and a failing mutation field does not stop the ones
after it. (Consecutive mutations to one subgraph share a request, as in Apollo's plans, so
their entity fetches follow the last of them.)"""

from typing import Any

from tests.federation.support import Case, ExpectedError, Probe, Subgraph, link

NAMES: dict[str, str] = {}
FEES: dict[str, int] = {}


def _reset() -> None:
    NAMES.clear()
    NAMES["pl1"] = "Allotment 1"
    FEES.clear()
    FEES["pl1"] = 40


def _rename(plot_id: str, name: str) -> dict[str, Any]:
    if not name:
        raise ValueError("a plot needs a name")
    NAMES[plot_id] = name
    return {"id": plot_id}


def _set_fee(plot_id: str, fee: int) -> dict[str, Any]:
    FEES[plot_id] = fee
    return {"id": plot_id, "fee": fee}


_reset()

plots = Subgraph(
    name="plots",
    sdl=link("@key")
    + """
    type Query { plot(id: ID!): Plot }
    type Mutation { rename(id: ID!, name: String!): Plot }
    type Plot @key(fields: "id") { id: ID! }
    """,
    resolvers={
        "Query": {"plot": lambda _, a: {"id": a["id"]}},
        "Mutation": {"rename": lambda _, a: _rename(a["id"], a["name"])},
    },
    references={"Plot": lambda ref: {"id": ref["id"]}},
)

register = Subgraph(
    name="register",
    sdl=link("@key", "@external", "@requires")
    + """
    type Mutation { setFee(id: ID!, fee: Int!): Plot }
    type Plot @key(fields: "id") {
      id: ID!
      name: String!
      fee: Int @external
      feeLabel: String @requires(fields: "fee")
    }
    """,
    resolvers={
        "Mutation": {"setFee": lambda _, a: _set_fee(a["id"], a["fee"])},
        "Plot": {
            "name": lambda p, _: NAMES[p["id"]],
            "feeLabel": lambda p, _: f"{NAMES[p['id']]}: £{p['fee']}",
        },
    },
    references={"Plot": lambda ref: dict(ref)},
)

fees = Subgraph(
    name="fees",
    sdl=link("@key", "@shareable")
    + """
    type Plot @key(fields: "id") { id: ID! fee: Int @shareable }
    """,
    references={"Plot": lambda ref: {"id": ref["id"], "fee": FEES[ref["id"]]}},
)

CASE = Case(
    name="mutation-entity-order",
    behaviour="each mutation's entity fetches run before the next mutation",
    subgraphs=(plots, register, fees),
    reset=_reset,
    probes=(
        Probe(
            label="requires-in-its-place-in-the-order",
            query="""mutation {
              a: rename(id: "pl1", name: "Orchard") { feeLabel }
              b: setFee(id: "pl1", fee: 55) { feeLabel }
              c: rename(id: "pl1", name: "Meadow") { feeLabel }
            }""",
            data={
                "a": {"feeLabel": "Orchard: £40"},
                "b": {"feeLabel": "Orchard: £55"},
                "c": {"feeLabel": "Meadow: £55"},
            },
        ),
        Probe(
            label="a-failing-mutation-does-not-stop-the-next",
            query="""mutation {
              bad: rename(id: "pl1", name: "") { id name }
              good: rename(id: "pl1", name: "Pond") { id name }
            }""",
            data={"bad": None, "good": {"id": "pl1", "name": "Pond"}},
            errors=(ExpectedError(path=("bad",), message="a plot needs a name"),),
        ),
    ),
)
