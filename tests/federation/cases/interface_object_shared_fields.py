"""``@interfaceObject`` in two subgraphs beside the interface's owner, with ``@shareable``
fields the owner also resolves on one implementation. Which subgraph answers follows the
path: without a type condition the interface object answers (no ``__typename`` needed);
under a type condition the owner must be asked for the real type first, and then answers the
implementation's own field in that same request. (``suspended`` differs between the two on
purpose, so the answer shows which one was asked.)"""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

LICENCES: dict[str, dict[str, Any]] = {
    "L1": {"__typename": "TaxiLicence", "name": "Ravi"},
    "L2": {"__typename": "TaxiLicence", "name": "Mo"},
    "L3": {"__typename": "StreetTradingLicence", "name": "Cleo"},
}
HOLDERS = {"H1": {"name": "Ann", "pitches": 2}, "H2": {"name": "Bo", "pitches": 3}}


def _licence(licence_id: str) -> dict[str, Any] | None:
    found = LICENCES.get(licence_id)
    if found is None:
        return None
    licence = {"id": licence_id, **found}
    if found["__typename"] == "TaxiLicence":
        licence["suspended"] = True
    return licence


def _holder(holder_id: str) -> dict[str, Any] | None:
    found = HOLDERS.get(holder_id)
    return {"__typename": "Trader", "id": holder_id, **found} if found else None


licensing = Subgraph(
    name="licensing",
    sdl=link("@key", "@shareable")
    + """
    type Query { holders: [Holder] }
    interface Licence @key(fields: "id") { id: ID! name: String }
    type TaxiLicence implements Licence @key(fields: "id") {
      id: ID!
      name: String @shareable
      suspended: Boolean @shareable
    }
    type StreetTradingLicence implements Licence @key(fields: "id") {
      id: ID!
      name: String @shareable
    }
    interface Holder @key(fields: "id") { id: ID! name: String }
    type Trader implements Holder @key(fields: "id") { id: ID! name: String pitches: Int }
    """,
    resolvers={"Query": {"holders": lambda *_: [_holder(h) for h in HOLDERS]}},
    references={
        "Licence": lambda ref: _licence(ref["id"]),
        "TaxiLicence": lambda ref: _licence(ref["id"]),
        "StreetTradingLicence": lambda ref: _licence(ref["id"]),
        "Holder": lambda ref: _holder(ref["id"]),
        "Trader": lambda ref: _holder(ref["id"]),
    },
)


def _badge(holder: dict[str, Any]) -> str:
    if "name" not in holder:
        raise ValueError("badge needs the holder's name")
    return f"{holder['name']} ({holder['id']})"


register = Subgraph(
    name="register",
    sdl=link("@key", "@interfaceObject", "@shareable", "@external", "@requires")
    + """
    type Query { licences: [Licence] otherHolders: [Holder] }
    type Licence @key(fields: "id") @interfaceObject { id: ID! name: String @shareable }
    type Holder @key(fields: "id") @interfaceObject {
      id: ID!
      reference: String
      name: String @external
      badge: String @requires(fields: "name")
    }
    """,
    resolvers={
        "Query": {
            "licences": lambda *_: [{"id": k, "name": v["name"]} for k, v in LICENCES.items()],
            "otherHolders": lambda *_: [{"id": h, "reference": f"REF-{h}"} for h in HOLDERS],
        },
        "Holder": {"badge": lambda h, _: _badge(h)},
    },
    references={
        "Licence": lambda ref: (
            {"id": ref["id"], "name": LICENCES[ref["id"]]["name"]}
            if ref["id"] in LICENCES
            else None
        ),
        "Holder": lambda ref: {**ref, "reference": f"REF-{ref['id']}"},
    },
)

enforcement = Subgraph(
    name="enforcement",
    sdl=link("@key", "@interfaceObject", "@shareable")
    + """
    type Licence @key(fields: "id") @interfaceObject { id: ID! suspended: Boolean @shareable }
    """,
    references={"Licence": lambda ref: {"id": ref["id"], "suspended": False}},
)


def _holders(*fields: str) -> list[dict[str, Any]]:
    full = {
        h: {
            "id": h,
            "name": v["name"],
            "reference": f"REF-{h}",
            "pitches": v["pitches"],
            "badge": f"{v['name']} ({h})",
        }
        for h, v in HOLDERS.items()
    }
    return [{f: full[h][f] for f in fields} for h in HOLDERS]


CASE = Case(
    name="interface-object-shared-fields",
    behaviour="interface objects beside the owner: the path decides which subgraph answers",
    subgraphs=(licensing, register, enforcement),
    probes=(
        Probe(
            label="interface-object-root-owner-field",
            query="{ otherHolders { id name reference } }",
            data={"otherHolders": _holders("id", "name", "reference")},
            requests={"register": 1, "licensing": 1},
        ),
        Probe(
            label="owner-root-interface-object-field",
            query="{ holders { id name reference } }",
            data={"holders": _holders("id", "name", "reference")},
            requests={"licensing": 1, "register": 1},
        ),
        Probe(
            label="type-condition-from-interface-object-root",
            query="{ otherHolders { ... on Trader { pitches } } }",
            data={"otherHolders": _holders("pitches")},
        ),
        Probe(
            label="type-condition-from-owner-root",
            query="{ holders { ... on Trader { pitches } } }",
            data={"holders": _holders("pitches")},
            requests={"licensing": 1, "register": 0},
        ),
        Probe(
            label="type-condition-and-interface-fields",
            query="{ otherHolders { ... on Trader { pitches id name reference } id name } }",
            data={"otherHolders": _holders("pitches", "id", "name", "reference")},
        ),
        Probe(
            label="owner-root-type-condition-and-interface-fields",
            query="{ holders { ... on Trader { pitches id name reference } id name } }",
            data={"holders": _holders("pitches", "id", "name", "reference")},
            requests={"licensing": 1, "register": 1},
        ),
        Probe(
            label="requires-on-interface-object-from-its-root",
            query="{ otherHolders { id badge } }",
            data={"otherHolders": _holders("id", "badge")},
            requests={"register": 2, "licensing": 1},
        ),
        Probe(
            label="requires-on-interface-object-from-owner-root",
            query="{ holders { badge ... on Trader { pitches badge } } }",
            data={"holders": _holders("badge", "pitches")},
            requests={"licensing": 1, "register": 1},
        ),
        Probe(
            label="requires-under-type-condition-from-interface-object-root",
            query="{ otherHolders { ... on Trader { badge pitches } name } }",
            data={"otherHolders": _holders("badge", "pitches", "name")},
        ),
        Probe(
            label="interface-object-alone",
            query="{ licences { name } }",
            data={"licences": [{"name": "Ravi"}, {"name": "Mo"}, {"name": "Cleo"}]},
            requests={"register": 1, "licensing": 0, "enforcement": 0},
        ),
        Probe(
            label="shared-field-under-type-condition",
            query="{ licences { ... on TaxiLicence { name } } }",
            data={"licences": [{"name": "Ravi"}, {"name": "Mo"}, {}]},
        ),
        Probe(
            label="typename-needs-the-owner",
            query="{ licences { name __typename } }",
            data={
                "licences": [
                    {"name": "Ravi", "__typename": "TaxiLicence"},
                    {"name": "Mo", "__typename": "TaxiLicence"},
                    {"name": "Cleo", "__typename": "StreetTradingLicence"},
                ]
            },
        ),
        Probe(
            label="typename-under-type-condition",
            query="{ licences { ... on TaxiLicence { __typename } } }",
            data={"licences": [{"__typename": "TaxiLicence"}, {"__typename": "TaxiLicence"}, {}]},
        ),
        Probe(
            label="shareable-field-without-type-condition-from-the-interface-object",
            query="{ licences { id suspended } }",
            data={
                "licences": [
                    {"id": "L1", "suspended": False},
                    {"id": "L2", "suspended": False},
                    {"id": "L3", "suspended": False},
                ]
            },
            requests={"register": 1, "enforcement": 1, "licensing": 0},
        ),
        Probe(
            label="shareable-field-under-type-condition-from-the-owner",
            query="{ licences { id ... on TaxiLicence { suspended } } }",
            data={
                "licences": [
                    {"id": "L1", "suspended": True},
                    {"id": "L2", "suspended": True},
                    {"id": "L3"},
                ]
            },
            requests={"register": 1, "licensing": 1, "enforcement": 0},
        ),
    ),
)
