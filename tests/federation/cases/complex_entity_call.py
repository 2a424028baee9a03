"""Complex entity calls: a compound key with a nested selection (``number operator { code }``)
and a key whose selection goes through a list (``legs { stop }``)."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

ROUTES = {
    ("42", "SEL"): {"first": "05:40", "legs": ["PIC", "OXF", "DID"]},
    ("42", "MET"): {"first": "06:15", "legs": ["PIC", "VIC"]},
}
FARES = {("PIC", "OXF", "DID"): 250, ("PIC", "VIC"): 120}


def _route_key(ref: Mapping[str, Any]) -> tuple[str, str]:
    return (ref["number"], ref["operator"]["code"])


def _route(number: str, code: str) -> dict[str, Any]:
    return {"number": number, "operator": {"code": code}}


routes = Subgraph(
    name="routes",
    sdl=link("@key")
    + """
    type Query { busRoutes(number: String!): [Route!]! }
    type Route @key(fields: "number operator { code }") { number: String! operator: Operator! }
    type Operator { code: ID! }
    """,
    resolvers={
        "Query": {"busRoutes": lambda _, a: [_route(n, c) for n, c in ROUTES if n == a["number"]]}
    },
)

timetable = Subgraph(
    name="timetable",
    sdl=link("@key")
    + """
    type Route @key(fields: "number operator { code }") {
      number: String!
      operator: Operator!
      firstDeparture: String!
      journey: Journey!
    }
    type Operator { code: ID! }
    type Journey @key(fields: "legs { stop }") { legs: [Leg!]! }
    type Leg { stop: ID! }
    """,
    references={
        "Route": lambda ref: (
            {
                **ref,
                "firstDeparture": ROUTES[_route_key(ref)]["first"],
                "journey": {"legs": [{"stop": s} for s in ROUTES[_route_key(ref)]["legs"]]},
            }
            if _route_key(ref) in ROUTES
            else None
        )
    },
)

fares = Subgraph(
    name="fares",
    sdl=link("@key")
    + """
    type Journey @key(fields: "legs { stop }") { legs: [Leg!]! farePence: Int! }
    type Leg { stop: ID! }
    """,
    references={
        "Journey": lambda ref: {
            **ref,
            "farePence": FARES[tuple(leg["stop"] for leg in ref["legs"])],
        }
    },
)

CASE = Case(
    name="complex-entity-call",
    behaviour="entity calls keyed by compound, nested and list-valued key selections",
    subgraphs=(routes, timetable, fares),
    probes=(
        Probe(
            label="compound-nested-key",
            query='{ busRoutes(number: "42") { operator { code } firstDeparture } }',
            data={
                "busRoutes": [
                    {"operator": {"code": "SEL"}, "firstDeparture": "05:40"},
                    {"operator": {"code": "MET"}, "firstDeparture": "06:15"},
                ]
            },
            requests={"routes": 1, "timetable": 1},
        ),
        Probe(
            label="list-valued-key-two-hops",
            query='{ busRoutes(number: "42") { number journey { farePence legs { stop } } } }',
            data={
                "busRoutes": [
                    {
                        "number": "42",
                        "journey": {
                            "farePence": 250,
                            "legs": [{"stop": "PIC"}, {"stop": "OXF"}, {"stop": "DID"}],
                        },
                    },
                    {
                        "number": "42",
                        "journey": {"farePence": 120, "legs": [{"stop": "PIC"}, {"stop": "VIC"}]},
                    },
                ]
            },
            requests={"routes": 1, "timetable": 1, "fares": 1},
        ),
        Probe(
            label="fare-only",
            query='{ busRoutes(number: "42") { journey { farePence } } }',
            data={"busRoutes": [{"journey": {"farePence": 250}}, {"journey": {"farePence": 120}}]},
        ),
    ),
)
