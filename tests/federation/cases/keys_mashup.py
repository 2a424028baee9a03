"""Keys mashup: an entity with several keys, each subgraph accepting different ones.

``wards`` knows a ward by ``id``; ``elections`` only by ``gss`` (the ONS code); ``census``
accepts both and so bridges them (A → B → C, and back). ``grid { east north }`` is a compound
key only ``census`` resolves; ``wards`` declares it ``resolvable: false``.
"""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

WARDS: list[dict[str, Any]] = [
    {"id": "w1", "gss": "E05011111", "name": "Ancoats", "pop": 14000, "turnout": 0.28, "e": 384},
    {"id": "w2", "gss": "E05022222", "name": "Hulme", "pop": 21000, "turnout": 0.22, "e": 383},
]


def _by(field: str, value: Any) -> dict[str, Any] | None:
    return next((w for w in WARDS if w[field] == value), None)


def _grid(ward: Mapping[str, Any]) -> dict[str, int]:
    return {"east": ward["e"], "north": 397}


wards = Subgraph(
    name="wards",
    sdl=link("@key")
    + """
    type Query { ward(id: ID!): Ward }
    type Ward @key(fields: "id") @key(fields: "grid { east north }", resolvable: false) {
      id: ID!
      name: String!
      grid: Grid!
    }
    type Grid { east: Int! north: Int! }
    """,
    resolvers={
        "Query": {
            "ward": lambda _, a: (
                {"id": w["id"], "name": w["name"], "grid": _grid(w)}
                if (w := _by("id", a["id"]))
                else None
            )
        }
    },
    references={
        "Ward": lambda ref: (
            {"id": w["id"], "name": w["name"], "grid": _grid(w)}
            if (w := _by("id", ref["id"]))
            else None
        )
    },
)


def _census_ward(ref: Mapping[str, Any]) -> dict[str, Any] | None:
    w = _by("gss", ref["gss"]) if "gss" in ref else _by("e", ref["grid"]["east"])
    if w is None:
        return None
    return {"id": w["id"], "gss": w["gss"], "population": w["pop"], "grid": _grid(w), **ref}


def _councillors(ward: Mapping[str, Any]) -> int:
    if "name" not in ward:
        raise ValueError("councillorCount needs the ward's name")
    return 3 if ward["name"] < "B" else 2


census = Subgraph(
    name="census",
    sdl=link("@key", "@external", "@requires")
    + """
    type Ward
      @key(fields: "id", resolvable: false)
      @key(fields: "gss")
      @key(fields: "grid { east north }") {
      id: ID!
      gss: String!
      grid: Grid!
      population: Int!
      name: String! @external
      councillorCount: Int! @requires(fields: "name")
    }
    type Grid { east: Int! north: Int! }
    """,
    resolvers={"Ward": {"councillorCount": lambda w, _: _councillors(w)}},
    references={"Ward": _census_ward},
)

elections = Subgraph(
    name="elections",
    sdl=link("@key")
    + """
    type Query { closestRace: Ward! }
    type Ward @key(fields: "gss") { gss: String! turnout: Float! }
    """,
    resolvers={"Query": {"closestRace": lambda *_: {"gss": "E05022222", "turnout": 0.22}}},
    references={
        "Ward": lambda ref: (
            {"gss": w["gss"], "turnout": w["turnout"]} if (w := _by("gss", ref["gss"])) else None
        )
    },
)

CASE = Case(
    name="keys-mashup",
    behaviour=(
        "several keys per entity; a subgraph with no key the target accepts hops through one that "
        "has both"
    ),
    subgraphs=(wards, census, elections),
    probes=(
        Probe(
            label="a-to-c-through-b",
            query='{ ward(id: "w1") { name turnout } }',
            data={"ward": {"name": "Ancoats", "turnout": 0.28}},
            requests={"wards": 1, "census": 1, "elections": 1},
        ),
        Probe(
            label="c-to-a-through-b",
            query="{ closestRace { gss turnout name } }",
            data={"closestRace": {"gss": "E05022222", "turnout": 0.22, "name": "Hulme"}},
            requests={"elections": 1, "census": 1, "wards": 1},
        ),
        Probe(
            label="requires-across-keys",
            query="{ closestRace { population councillorCount } }",
            data={"closestRace": {"population": 21000, "councillorCount": 2}},
            apollo=ApolloDifference(
                reason="Apollo sends the @requires entity call to census keyed by id, a key "
                "census declares resolvable: false, instead of gss or grid: census cannot "
                "resolve it and the whole answer is null"
            ),
        ),
        Probe(
            label="requires-back-through-compound-key",
            query='{ ward(id: "w1") { councillorCount turnout } }',
            data={"ward": {"councillorCount": 3, "turnout": 0.28}},
        ),
        Probe(
            label="every-key-field",
            query='{ ward(id: "w2") { id gss grid { east north } population turnout } }',
            data={
                "ward": {
                    "id": "w2",
                    "gss": "E05022222",
                    "grid": {"east": 383, "north": 397},
                    "population": 21000,
                    "turnout": 0.22,
                }
            },
        ),
    ),
)
