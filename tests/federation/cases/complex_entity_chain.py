"""Entity keys built from several subgraphs: the day's service is keyed by its trips' ids in
one subgraph, by ``trips { id run }`` in another and by ``trips { id run depot { id code } }
chosenTrip { id }`` in a third, so the fares need the runs (from the registry), the chosen trip
(from the planner) and the depots (from the timetable) first. The cheapest plan takes one
request per subgraph, and skips the planner when only a trip's fare is asked (the trip's own
key in the fares subgraph needs no chosen trip)."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

TRIPS: dict[str, dict[str, Any]] = {
    "T1": {"run": "r1", "depot": "D1", "pence": 100},
    "T2": {"run": "r2", "depot": "D2", "pence": 200},
}
DEPOTS = {"D1": {"code": "QR", "flagship": "T1"}, "D2": {"code": "HY", "flagship": "T2"}}


def _depot(depot_id: str) -> dict[str, Any]:
    return {"id": depot_id, "code": DEPOTS[depot_id]["code"]}


def _trip_matches(ref: Mapping[str, Any]) -> bool:
    trip = TRIPS.get(ref["id"])
    if trip is None or ("run" in ref and ref["run"] != trip["run"]):
        return False
    depot = ref.get("depot")
    return depot is None or depot == _depot(trip["depot"])


timetable = Subgraph(
    name="timetable",
    sdl=link("@key", "@external", "@extends", "@shareable", minor=0)
    + """
    type Query { todaysService: Service! }
    type Service @key(fields: "trips { id }") { trips: [Trip!]! }
    type Trip @extends @key(fields: "id") { id: String! @external depot: Depot @shareable }
    type Depot @key(fields: "id") {
      flagship: Trip! @shareable
      id: String!
      code: String @shareable
    }
    """,
    resolvers={
        "Query": {"todaysService": lambda *_: {"trips": [{"id": t} for t in TRIPS]}},
        "Trip": {"depot": lambda t, _: _depot(TRIPS[t["id"]]["depot"])},
        "Depot": {"flagship": lambda d, _: {"id": DEPOTS[d["id"]]["flagship"]}},
    },
    references={
        "Service": lambda ref: {"trips": [{"id": t["id"]} for t in ref["trips"]]},
        "Trip": lambda ref: {"id": ref["id"]} if ref["id"] in TRIPS else None,
        "Depot": lambda ref: _depot(ref["id"]) if ref["id"] in DEPOTS else None,
    },
)

registry = Subgraph(
    name="registry",
    sdl=link("@key", minor=0)
    + """
    type Trip @key(fields: "id") @key(fields: "id run") { id: String! run: String! }
    """,
    references={
        "Trip": lambda ref: (
            {"id": ref["id"], "run": TRIPS[ref["id"]]["run"]} if _trip_matches(ref) else None
        )
    },
)


def _planned(ref: Mapping[str, Any]) -> dict[str, Any]:
    trips = [{"id": t["id"], "run": t["run"]} for t in ref["trips"] if _trip_matches(t)]
    return {"trips": trips, "firstTrip": trips[0], "chosenTrip": trips[-1]}


planner = Subgraph(
    name="planner",
    sdl=link("@key", "@shareable", minor=0)
    + """
    type Service @key(fields: "trips { id run }") {
      trips: [Trip!]!
      firstTrip: Trip @shareable
      chosenTrip: Trip @shareable
    }
    type Trip @key(fields: "id run") { id: String! run: String }
    """,
    references={
        "Service": _planned,
        "Trip": lambda ref: dict(ref) if _trip_matches(ref) else None,
    },
)


def _fared(trip_id: str) -> dict[str, Any]:
    trip = TRIPS[trip_id]
    return {
        "id": trip_id,
        "run": trip["run"],
        "depot": _depot(trip["depot"]),
        "fare": {"pence": trip["pence"]},
    }


def _priced(ref: Mapping[str, Any]) -> dict[str, Any]:
    trips = [_fared(t["id"]) for t in ref["trips"] if _trip_matches(t)]
    return {"trips": trips, "firstTrip": trips[0], "chosenTrip": _fared(ref["chosenTrip"]["id"])}


fares = Subgraph(
    name="fares",
    sdl=link("@key", "@shareable", minor=0)
    + """
    type Service @key(fields: "trips { id run depot { id code } } chosenTrip { id }") {
      trips: [Trip!]!
      firstTrip: Trip @shareable
      chosenTrip: Trip @shareable
    }
    type Trip @key(fields: "id run depot { id code }") {
      id: String!
      fare: Fare
      run: String
      depot: Depot
    }
    type Depot @key(fields: "id code") { id: String! code: String }
    type Fare { pence: Int! }
    """,
    references={
        "Service": _priced,
        "Trip": lambda ref: _fared(ref["id"]) if _trip_matches(ref) else None,
        "Depot": lambda ref: _depot(ref["id"]) if ref["id"] in DEPOTS else None,
    },
)

CASE = Case(
    name="complex-entity-chain",
    behaviour="keys that need fields from three subgraphs: one request per subgraph",
    subgraphs=(timetable, registry, planner, fares),
    probes=(
        Probe(
            label="every-key-part",
            query="""{
              todaysService {
                trips { id run fare { pence } depot { flagship { id } id code } }
                chosenTrip { id }
                firstTrip { id }
              }
            }""",
            data={
                "todaysService": {
                    "trips": [
                        {
                            "id": "T1",
                            "run": "r1",
                            "fare": {"pence": 100},
                            "depot": {"flagship": {"id": "T1"}, "id": "D1", "code": "QR"},
                        },
                        {
                            "id": "T2",
                            "run": "r2",
                            "fare": {"pence": 200},
                            "depot": {"flagship": {"id": "T2"}, "id": "D2", "code": "HY"},
                        },
                    ],
                    "chosenTrip": {"id": "T2"},
                    "firstTrip": {"id": "T1"},
                }
            },
            requests={"timetable": 1, "registry": 1, "planner": 1, "fares": 1},
        ),
        Probe(
            label="one-fares-request-for-the-chosen-trip-and-every-trip",
            query="{ todaysService { chosenTrip { fare { pence } } trips { fare { pence } } } }",
            data={
                "todaysService": {
                    "chosenTrip": {"fare": {"pence": 200}},
                    "trips": [{"fare": {"pence": 100}}, {"fare": {"pence": 200}}],
                }
            },
            requests={"timetable": 1, "registry": 1, "planner": 1, "fares": 1},
        ),
        Probe(
            label="fares-only",
            query="{ todaysService { trips { fare { pence } } } }",
            data={"todaysService": {"trips": [{"fare": {"pence": 100}}, {"fare": {"pence": 200}}]}},
            requests={"timetable": 1, "registry": 1, "planner": 0, "fares": 1},
        ),
    ),
)
