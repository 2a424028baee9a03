"""``@requires`` on fields with arguments: the required selection carries its own arguments,
which may clash with what the client asks of the same field (the gateway must alias)."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

KWH = {"m1": 120.0, "m2": 40.0}
VISITS = {
    "m1": [
        {"id": "v1", "engineer": "e1"},
        {"id": "v2", "engineer": "e2"},
        {"id": "v3", "engineer": "e3"},
    ],
    "m2": [{"id": "v4", "engineer": "e9"}],
}
ENGINEERS = {"e1": "Ola", "e2": "Ken", "e3": "Ife", "e9": "Mo"}


def _reading(meter: dict[str, Any], unit: str) -> float:
    kwh = KWH[meter["id"]]
    return kwh if unit == "kWh" else round(kwh * 3.6, 1)


def _bill(meter: Mapping[str, Any]) -> float:
    if "reading" not in meter:
        raise ValueError("bill needs reading(unit: kWh)")
    return round(float(meter["reading"]) * 0.25, 2)


def _last_engineer(meter: Mapping[str, Any]) -> dict[str, str] | None:
    visits = meter.get("visits")
    if visits is None:
        raise ValueError("lastEngineer needs visits(last: 2) { engineerId }")
    if len(visits) > 2:
        raise ValueError("lastEngineer got more than two visits")
    engineer = visits[-1]["engineerId"] if visits else None
    return {"id": engineer, "name": ENGINEERS[engineer]} if engineer else None


meters = Subgraph(
    name="meters",
    sdl=link("@key")
    + """
    type Query { meters: [Meter!]! }
    type Meter @key(fields: "id") { id: ID! reading(unit: String!): Float! }
    type Visit @key(fields: "id") { id: ID! engineerId: ID! }
    """,
    resolvers={
        "Query": {"meters": lambda *_: [{"id": "m1"}, {"id": "m2"}]},
        "Meter": {"reading": lambda m, a: _reading(m, a["unit"])},
    },
    references={
        "Meter": lambda ref: {"id": ref["id"]},
        "Visit": lambda ref: next(
            (
                {"id": v["id"], "engineerId": v["engineer"]}
                for vs in VISITS.values()
                for v in vs
                if v["id"] == ref["id"]
            ),
            None,
        ),
    },
)

billing = Subgraph(
    name="billing",
    sdl=link("@key", "@external", "@requires")
    + """
    type Meter @key(fields: "id") {
      id: ID!
      reading(unit: String!): Float! @external
      bill: Float! @requires(fields: "reading(unit: \\"kWh\\")")
      visits(last: Int!): [Visit!]!
      lastEngineer: Engineer @requires(fields: "visits(last: 2) { engineerId }")
    }
    type Visit @key(fields: "id") { id: ID! engineerId: ID! @external }
    type Engineer { id: ID! name: String! }
    """,
    resolvers={
        "Meter": {
            "bill": lambda m, _: _bill(m),
            "visits": lambda m, a: [{"id": v["id"]} for v in VISITS[m["id"]][-a["last"] :]],
            "lastEngineer": lambda m, _: _last_engineer(m),
        }
    },
    references={"Meter": lambda ref: dict(ref)},
)

CASE = Case(
    name="requires-with-arguments",
    behaviour="@requires selections with field arguments, clashing with the client's arguments",
    subgraphs=(meters, billing),
    probes=(
        Probe(
            label="required-field-with-argument",
            query="{ meters { id bill } }",
            data={"meters": [{"id": "m1", "bill": 30.0}, {"id": "m2", "bill": 10.0}]},
        ),
        Probe(
            label="client-asks-other-argument",
            query='{ meters { reading(unit: "MJ") bill } }',
            data={"meters": [{"reading": 432.0, "bill": 30.0}, {"reading": 144.0, "bill": 10.0}]},
            apollo=ApolloDifference(
                reason="Apollo merges the required reading(unit: kWh) with the client's "
                "reading(unit: MJ) under one response key, so bill is computed from MJ (108, 36)"
            ),
        ),
        Probe(
            label="client-asks-same-argument",
            query='{ meters { reading(unit: "kWh") bill } }',
            data={"meters": [{"reading": 120.0, "bill": 30.0}, {"reading": 40.0, "bill": 10.0}]},
        ),
        Probe(
            label="requires-through-local-field-with-argument",
            query="{ meters { lastEngineer { name } } }",
            data={"meters": [{"lastEngineer": {"name": "Ife"}}, {"lastEngineer": {"name": "Mo"}}]},
        ),
        Probe(
            label="client-asks-local-field-with-other-argument",
            query="{ meters { visits(last: 1) { id } lastEngineer { id } } }",
            data={
                "meters": [
                    {"visits": [{"id": "v3"}], "lastEngineer": {"id": "e3"}},
                    {"visits": [{"id": "v4"}], "lastEngineer": {"id": "e9"}},
                ]
            },
            apollo=ApolloDifference(
                reason="Apollo answers the client's visits(last: 1) with the required "
                "visits(last: 2) selection (same response key), returning two visits"
            ),
        ),
    ),
)
