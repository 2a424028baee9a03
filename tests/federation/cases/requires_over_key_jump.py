"""A ``@requires`` chain whose inputs are reached over a key jump: the root subgraph knows a
home by ``id`` only, the energy register by ``uprn`` only, and only the survey knows both; the
costs need the band (root), the rooms (survey) and the EPC rating (energy register), and the
insurance premium needs the costs. Five subgraphs, one request each, in dependency order.
Also the bench's planning-heavy workload (``bench/fixture.py``), hence its 200 homes."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

BANDS = "ABCDEFGH"
RATINGS = "ABCDEFG"
BAND_COST = {b: 1200 + 150 * i for i, b in enumerate(BANDS)}
RATING_COST = {r: 300 + 120 * i for i, r in enumerate(RATINGS)}
HOME_IDS = [f"hm{n:04d}" for n in range(1, 201)]


def _home(home_id: str) -> dict[str, Any]:
    n = int(home_id[2:])
    return {
        "id": home_id,
        "band": BANDS[n % len(BANDS)],
        "uprn": f"10{n * 7919:010d}",
        "rooms": 2 + n % 5,
        "floodZone": n % 9 == 0,
        "epcRating": RATINGS[(n * 3) % len(RATINGS)],
    }


HOMES = {h: _home(h) for h in HOME_IDS}
BY_UPRN = {h["uprn"]: h for h in HOMES.values()}


def _need(obj: Mapping[str, Any], *fields: str) -> None:
    missing = [f for f in fields if obj.get(f) is None]
    if missing:
        raise ValueError(f"required fields not provided: {missing}")


def annual_cost(home: Mapping[str, Any]) -> int:
    _need(home, "band", "rooms", "epcRating")
    return BAND_COST[home["band"]] + RATING_COST[home["epcRating"]] + 60 * int(home["rooms"])


def premium(home: Mapping[str, Any]) -> int:
    _need(home, "annualCost", "floodZone")
    return int(home["annualCost"]) // 8 + (450 if home["floodZone"] else 0)


homes = Subgraph(
    name="homes",
    sdl=link("@key")
    + """
    type Query { home(id: ID!): Home homes(first: Int!): [Home!]! }
    type Home @key(fields: "id") { id: ID! band: String! }
    """,
    resolvers={
        "Query": {
            "home": lambda _, a: (
                {"id": a["id"], "band": HOMES[a["id"]]["band"]} if a["id"] in HOMES else None
            ),
            "homes": lambda _, a: [
                {"id": h, "band": HOMES[h]["band"]} for h in HOME_IDS[: a["first"]]
            ],
        }
    },
    references={"Home": lambda ref: {"id": ref["id"], "band": HOMES[ref["id"]]["band"]}},
)

survey = Subgraph(
    name="survey",
    sdl=link("@key")
    + """
    type Home @key(fields: "id") @key(fields: "uprn") {
      id: ID!
      uprn: String!
      rooms: Int!
      floodZone: Boolean!
    }
    """,
    references={
        "Home": lambda ref: {
            k: v
            for k, v in (HOMES.get(ref.get("id", "")) or BY_UPRN[ref["uprn"]]).items()
            if k in ("id", "uprn", "rooms", "floodZone")
        }
    },
)

energy = Subgraph(
    name="energy",
    sdl=link("@key")
    + """
    type Home @key(fields: "uprn") { uprn: String! epcRating: String! }
    """,
    references={
        "Home": lambda ref: {"uprn": ref["uprn"], "epcRating": BY_UPRN[ref["uprn"]]["epcRating"]}
    },
)

costs = Subgraph(
    name="costs",
    sdl=link("@key", "@external", "@requires")
    + """
    type Home @key(fields: "id") {
      id: ID!
      band: String! @external
      rooms: Int! @external
      epcRating: String! @external
      annualCost: Int! @requires(fields: "band rooms epcRating")
    }
    """,
    resolvers={"Home": {"annualCost": lambda h, _: annual_cost(h)}},
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
    }
    """,
    resolvers={"Home": {"premium": lambda h, _: premium(h)}},
    references={"Home": lambda ref: dict(ref)},
)


def answer(home_id: str) -> dict[str, Any]:
    """What ``HOME_COSTS`` answers for one home (the bench checks gateways against it)."""
    home = dict(HOMES[home_id])
    home["annualCost"] = annual_cost(home)
    return {
        "id": home_id,
        "band": home["band"],
        "epcRating": home["epcRating"],
        "annualCost": home["annualCost"],
        "premium": premium(home),
    }


HOME_COSTS = """query HomeCosts($id: ID!) {
  home(id: $id) { id band epcRating annualCost premium }
}"""

CASE = Case(
    name="requires-over-key-jump",
    behaviour="a @requires chain whose inputs are two and three hops away over different keys",
    subgraphs=(homes, survey, energy, costs, insurance),
    probes=(
        Probe(
            label="one-home",
            query=HOME_COSTS,
            variables={"id": "hm0009"},
            data={"home": answer("hm0009")},
            requests={"homes": 1, "survey": 1, "energy": 1, "costs": 1, "insurance": 1},
        ),
        Probe(
            label="a-list-one-request-each",
            query="{ homes(first: 3) { id premium } }",
            data={
                "homes": [
                    {"id": h, "premium": answer(h)["premium"]}
                    for h in ("hm0001", "hm0002", "hm0003")
                ]
            },
            requests={"homes": 1, "survey": 1, "energy": 1, "costs": 1, "insurance": 1},
        ),
        Probe(
            label="jump-only",
            query='{ home(id: "hm0010") { epcRating } }',
            data={"home": {"epcRating": answer("hm0010")["epcRating"]}},
            requests={"homes": 1, "survey": 1, "energy": 1, "costs": 0, "insurance": 0},
        ),
    ),
)
