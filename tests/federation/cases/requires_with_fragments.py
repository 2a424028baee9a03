"""``@requires`` with nested selections and fragments on abstract types: the representation
must carry exactly the required shape, per concrete type, including nulls."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

ASSETS: dict[str, dict[str, Any] | None] = {
    "a1": {"__typename": "Bench", "material": "oak", "seats": 3},
    "a2": {"__typename": "Lamp", "material": "steel", "lumens": 800},
    "a3": None,
}


def _describe(asset: Mapping[str, Any]) -> str:
    if "fixture" not in asset:
        raise ValueError("maintenancePlan needs fixture")
    fixture = asset["fixture"]
    if fixture is None:
        return f"{asset['id']}: nothing installed"
    detail = fixture.get("seats", fixture.get("lumens"))
    if detail is None:
        raise ValueError("maintenancePlan needs the type-specific field")
    return f"{asset['id']}: {fixture['material']}/{detail}"


def _short(asset: Mapping[str, Any]) -> str:
    fixture = asset.get("fixture", "missing")
    if fixture == "missing":
        raise ValueError("inspectionCode needs fixture")
    if fixture is None:
        return "none"
    return str(fixture["material"])[:2].upper()


estate = Subgraph(
    name="estate",
    sdl=link("@key", "@shareable")
    + """
    type Query { site(id: ID!): Site }
    type Site @key(fields: "id") { id: ID! fixture: Fixture }
    interface Fixture { material: String! }
    interface Seating implements Fixture { material: String! seats: Int! }
    type Bench implements Fixture & Seating @shareable { material: String! seats: Int! }
    type Lamp implements Fixture @shareable { material: String! lumens: Int! }
    """,
    resolvers={"Query": {"site": lambda _, a: {"id": a["id"], "fixture": ASSETS[a["id"]]}}},
    references={"Site": lambda ref: {"id": ref["id"], "fixture": ASSETS[ref["id"]]}},
)

maintenance = Subgraph(
    name="maintenance",
    sdl=link("@key", "@shareable", "@external", "@requires")
    + """
    type Query { overdueSites: [Site!]! }
    type Site @key(fields: "id") {
      id: ID!
      fixture: Fixture @external
      maintenancePlan: String!
        @requires(fields: "fixture { material ... on Seating { seats } ... on Lamp { lumens } }")
      inspectionCode: String! @requires(fields: "fixture { ... on Fixture { material } }")
    }
    interface Fixture { material: String! }
    interface Seating implements Fixture { material: String! seats: Int! }
    type Bench implements Fixture & Seating @shareable { material: String! seats: Int! }
    type Lamp implements Fixture @shareable { material: String! lumens: Int! }
    """,
    resolvers={
        "Query": {"overdueSites": lambda *_: [{"id": "a3"}, {"id": "a2"}]},
        "Site": {
            "maintenancePlan": lambda s, _: _describe(s),
            "inspectionCode": lambda s, _: _short(s),
        },
    },
    references={"Site": lambda ref: dict(ref)},
)

CASE = Case(
    name="requires-with-fragments",
    behaviour="@requires with nested selections and type conditions (interfaces, nulls)",
    subgraphs=(estate, maintenance),
    probes=(
        Probe(
            label="nested-fragments-per-type",
            query=(
                '{ bench: site(id: "a1") { maintenancePlan } lamp: site(id: "a2") { '
                "maintenancePlan } }"
            ),
            data={
                "bench": {"maintenancePlan": "a1: oak/3"},
                "lamp": {"maintenancePlan": "a2: steel/800"},
            },
        ),
        Probe(
            label="null-required-object",
            query='{ site(id: "a3") { fixture { __typename } maintenancePlan } }',
            data={"site": {"fixture": None, "maintenancePlan": "a3: nothing installed"}},
        ),
        Probe(
            label="from-the-requiring-subgraph-root",
            query="{ overdueSites { id fixture { __typename material } maintenancePlan } }",
            data={
                "overdueSites": [
                    {"id": "a3", "fixture": None, "maintenancePlan": "a3: nothing installed"},
                    {
                        "id": "a2",
                        "fixture": {"__typename": "Lamp", "material": "steel"},
                        "maintenancePlan": "a2: steel/800",
                    },
                ]
            },
        ),
        Probe(
            label="fragment-on-the-interface-itself",
            query='{ site(id: "a1") { inspectionCode } }',
            data={"site": {"inspectionCode": "OA"}},
        ),
        Probe(
            label="two-requires-different-shapes",
            query="{ overdueSites { inspectionCode maintenancePlan } }",
            data={
                "overdueSites": [
                    {"inspectionCode": "none", "maintenancePlan": "a3: nothing installed"},
                    {"inspectionCode": "ST", "maintenancePlan": "a2: steel/800"},
                ]
            },
        ),
    ),
)
