"""Two ``@requires`` on one entity that need the same external field with different
arguments: each required field must be computed from the value for its own arguments, so the
representations cannot share one ``charge`` value. Also a required field with an argument under
a type-level ``@external`` value type."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

PARCELS = [
    {"id": "p1", "label": "Ballot papers", "weightKg": 2, "band": "light"},
    {"id": "p2", "label": "Gritting salt", "weightKg": 20, "band": "heavy"},
]
RATE = {"light": 3, "heavy": 5}
ZONE_FACTOR = {"LOCAL": 1, "ABROAD": 4}


def _charge(parcel: Mapping[str, Any], zone: str) -> int:
    if zone not in ZONE_FACTOR:
        raise ValueError(f"no such zone {zone}")
    return RATE[parcel["band"]] * ZONE_FACTOR[zone]


def _parcel(ref: Mapping[str, Any]) -> dict[str, Any] | None:
    return next((dict(p) for p in PARCELS if p["id"] == ref["id"]), None)


tariffs = Subgraph(
    name="tariffs",
    sdl=link("@key")
    + """
    type Query { parcels: [Parcel] }
    type Parcel @key(fields: "id") {
      id: ID!
      label: String
      weightKg: Int
      charge(zone: String!): Int
      service: Service
    }
    type Service { surcharge(zone: String!): Int }
    """,
    resolvers={
        "Query": {"parcels": lambda *_: [dict(p) for p in PARCELS]},
        "Parcel": {
            "charge": lambda p, a: _charge(p, a["zone"]),
            "service": lambda p, _: {"band": p["band"]},
        },
        "Service": {"surcharge": lambda s, a: 10 * _charge(s, a["zone"])},
    },
    references={"Parcel": _parcel},
)


def _cost(parcel: Mapping[str, Any]) -> int:
    if "charge" not in parcel or "weightKg" not in parcel:
        raise ValueError("cost needs charge and weightKg in the representation")
    return int(parcel["charge"]) * int(parcel["weightKg"])


def _oversized(parcel: Mapping[str, Any]) -> bool:
    service = parcel.get("service")
    if not service or "surcharge" not in service:
        raise ValueError("oversized needs service { surcharge(zone: LOCAL) }")
    return int(service["surcharge"]) > 40


courier = Subgraph(
    name="courier",
    sdl=link("@key", "@external", "@requires")
    + """
    type Parcel @key(fields: "id") {
      id: ID!
      weightKg: Int @external
      charge(zone: String!): Int @external
      localCost: Int @requires(fields: "charge(zone: \\"LOCAL\\") weightKg")
      abroadCost: Int @requires(fields: "charge(zone: \\"ABROAD\\") weightKg")
      service: Service @external
      oversized: Boolean @requires(fields: "service { surcharge(zone: \\"LOCAL\\") }")
    }
    type Service @external { surcharge(zone: String!): Int }
    """,
    resolvers={
        "Parcel": {
            "localCost": lambda p, _: _cost(p),
            "abroadCost": lambda p, _: _cost(p),
            "oversized": lambda p, _: _oversized(p),
        }
    },
    references={"Parcel": lambda ref: dict(ref)},
)

CASE = Case(
    name="requires-argument-conflict",
    behaviour="two @requires needing one external field with different arguments, one query",
    subgraphs=(tariffs, courier),
    probes=(
        Probe(
            label="one-of-the-two",
            query="{ parcels { id abroadCost } }",
            data={"parcels": [{"id": "p1", "abroadCost": 24}, {"id": "p2", "abroadCost": 400}]},
        ),
        Probe(
            label="both-arguments-in-one-query",
            query="{ parcels { label localCost abroadCost oversized } }",
            data={
                "parcels": [
                    {
                        "label": "Ballot papers",
                        "localCost": 6,
                        "abroadCost": 24,
                        "oversized": False,
                    },
                    {
                        "label": "Gritting salt",
                        "localCost": 100,
                        "abroadCost": 400,
                        "oversized": True,
                    },
                ]
            },
            apollo=ApolloDifference(
                reason="Apollo fetches charge once (with the last required argument, ABROAD) "
                "and sends it for both requires, so localCost is computed from the ABROAD charge"
            ),
        ),
        Probe(
            label="client-asks-the-field-too",
            query='{ parcels { charge(zone: "ABROAD") localCost } }',
            data={"parcels": [{"charge": 12, "localCost": 6}, {"charge": 20, "localCost": 100}]},
            apollo=ApolloDifference(
                reason="Apollo merges the required charge(zone: LOCAL) with the client's "
                "charge(zone: ABROAD) under one response key and computes localCost from ABROAD"
            ),
        ),
    ),
)
