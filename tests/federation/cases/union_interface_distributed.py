"""A union member that implements an interface only in another subgraph: a fragment on the
interface inside the union must reach that member even though the subgraph serving the union
does not know it implements the interface (the fragment is rewritten per member), and a
subgraph that returns an object its own schema does not allow fails there — null and an
error, never data."""

from typing import Any

from tests.federation.support import ANY_ERROR, Case, Probe, Subgraph, link

ASSETS: dict[str, dict[str, Any]] = {
    "b1": {"__typename": "Bench"},
    "l1": {"__typename": "Lamppost", "lumens": 3000},
    "b2": {"__typename": "Bench"},
    "l2": {"__typename": "Lamppost", "lumens": 4200},
}
INSPECTED = {"b1": "2026-03-02", "b2": "2026-05-19"}


def _asset(asset_id: str) -> dict[str, Any]:
    return {"id": asset_id, **ASSETS[asset_id]}


def _lampposts() -> list[dict[str, Any]]:
    return [_asset(k) for k, v in ASSETS.items() if v["__typename"] == "Lamppost"]


register = Subgraph(
    name="register",
    sdl=link("@key", "@shareable")
    + """
    type Query {
      assets: [Asset]
      inspectable(id: ID!): Inspectable
      inspectables: [Inspectable]
      lampposts: [Lamppost]
    }
    union Asset = Bench | Lamppost
    interface Inspectable { id: ID! }
    type Bench @key(fields: "id") { id: ID! }
    type Lamppost implements Inspectable @key(fields: "id") { id: ID! lumens: Int }
    """,
    resolvers={
        "Query": {
            "assets": lambda *_: [_asset(k) for k in ASSETS],
            # answers a Bench too, which this subgraph's schema does not allow here
            "inspectable": lambda _, a: _asset(a["id"]) if a["id"] in ASSETS else None,
            "inspectables": lambda *_: _lampposts(),
            "lampposts": lambda *_: _lampposts(),
        }
    },
    references={
        "Bench": lambda ref: _asset(ref["id"]) if ref["id"] in INSPECTED else None,
        "Lamppost": lambda ref: _asset(ref["id"]) if ref["id"] in ASSETS else None,
    },
)

inspections = Subgraph(
    name="inspections",
    sdl=link("@key")
    + """
    interface Inspectable { id: ID! }
    type Bench implements Inspectable @key(fields: "id") { id: ID! lastInspected: String }
    """,
    references={"Bench": lambda ref: {"id": ref["id"], "lastInspected": INSPECTED[ref["id"]]}},
)

CASE = Case(
    name="union-interface-distributed",
    behaviour="a fragment on an interface a union member implements only in another subgraph",
    subgraphs=(register, inspections),
    probes=(
        Probe(
            label="interface-fragment-inside-the-union",
            query="{ assets { ... on Inspectable { id } } }",
            data={"assets": [{"id": "b1"}, {"id": "l1"}, {"id": "b2"}, {"id": "l2"}]},
            requests={"register": 1, "inspections": 0},
        ),
        Probe(
            label="member-fragments-on-the-interface",
            query="{ inspectables { ... on Lamppost { lumens } ... on Bench { id } } }",
            data={"inspectables": [{"lumens": 3000}, {"lumens": 4200}]},
        ),
        Probe(
            label="interface-field",
            query="{ inspectables { id } }",
            data={"inspectables": [{"id": "l1"}, {"id": "l2"}]},
        ),
        Probe(
            label="named-fragments-on-member-and-interface",
            query="""{ lampposts { ...Lamp ...Checked } }
            fragment Lamp on Lamppost { id }
            fragment Checked on Inspectable { id __typename }""",
            data={
                "lampposts": [
                    {"id": "l1", "__typename": "Lamppost"},
                    {"id": "l2", "__typename": "Lamppost"},
                ]
            },
        ),
        Probe(
            label="member-field-from-the-other-subgraph",
            query="{ assets { ... on Bench { lastInspected } ... on Lamppost { lumens } } }",
            data={
                "assets": [
                    {"lastInspected": "2026-03-02"},
                    {"lumens": 3000},
                    {"lastInspected": "2026-05-19"},
                    {"lumens": 4200},
                ]
            },
        ),
        Probe(
            label="subgraph-answers-a-type-it-does-not-allow",
            query='{ inspectable(id: "b1") { ... on Bench { lastInspected } } }',
            data={"inspectable": None},
            errors=ANY_ERROR,
        ),
        Probe(
            label="disallowed-type-under-another-fragment",
            query='{ inspectable(id: "b1") { ... on Lamppost { lumens } } }',
            data={"inspectable": None},
            errors=ANY_ERROR,
        ),
        Probe(
            label="allowed-type",
            query='{ inspectable(id: "l1") { ... on Lamppost { lumens } } }',
            data={"inspectable": {"lumens": 3000}},
        ),
    ),
)
