"""Circular-looking ``@requires``: ``rota`` needs ``payroll``'s rate for pay, ``payroll``
needs ``rota``'s hours for overtime; both in one query must still resolve (A → B → A)."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

SHIFTS = {"s1": {"hours": 9, "rate": 14}, "s2": {"hours": 6, "rate": 12}}


def _need(obj: Mapping[str, Any], field: str) -> Any:
    if field not in obj:
        raise ValueError(f"{field} was not provided")
    return obj[field]


rota = Subgraph(
    name="rota",
    sdl=link("@key", "@external", "@requires")
    + """
    type Query { shifts: [Shift!]! }
    type Shift @key(fields: "id") {
      id: ID!
      hours: Int!
      rate: Int! @external
      pay: Int! @requires(fields: "rate")
    }
    """,
    resolvers={
        "Query": {"shifts": lambda *_: [{"id": k, "hours": v["hours"]} for k, v in SHIFTS.items()]},
        "Shift": {"pay": lambda s, _: _need(s, "rate") * s["hours"]},
    },
    references={"Shift": lambda ref: {**ref, "hours": SHIFTS[ref["id"]]["hours"]}},
)

payroll = Subgraph(
    name="payroll",
    sdl=link("@key", "@external", "@requires")
    + """
    type Shift @key(fields: "id") {
      id: ID!
      rate: Int!
      hours: Int! @external
      overtime: Boolean! @requires(fields: "hours")
    }
    """,
    resolvers={"Shift": {"overtime": lambda s, _: _need(s, "hours") > 8}},
    references={"Shift": lambda ref: {**ref, "rate": SHIFTS[ref["id"]]["rate"]}},
)

CASE = Case(
    name="requires-circular",
    behaviour="two subgraphs each requiring a field of the other on the same entity",
    subgraphs=(rota, payroll),
    probes=(
        Probe(
            label="both-directions",
            query="{ shifts { id pay overtime } }",
            data={
                "shifts": [
                    {"id": "s1", "pay": 126, "overtime": True},
                    {"id": "s2", "pay": 72, "overtime": False},
                ]
            },
        ),
        Probe(
            label="back-to-the-root-subgraph",
            query="{ shifts { pay } }",
            data={"shifts": [{"pay": 126}, {"pay": 72}]},
            requests={"rota": 2, "payroll": 1},
        ),
    ),
)
