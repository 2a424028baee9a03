"""``@requires`` over an interface-typed field: ``address { id }`` needs only the interface's
field; ``address { ... on WorkAddress { id } }`` only applies to one implementation."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

ADDRESSES = {
    "ad1": {"__typename": "HomeAddress", "id": "ad1", "town": "Bury", "region": "NW"},
    "ad2": {"__typename": "WorkAddress", "id": "ad2", "town": "Wigan", "region": "NW"},
}
RESIDENTS = {"r1": "ad1", "r2": "ad2"}
POSTCODES = {"ad1": "BL9", "ad2": "WN1"}


def _located(address_id: str) -> dict[str, Any]:
    return {**ADDRESSES[address_id], "postcode": POSTCODES[address_id]}


def _town(resident: Mapping[str, Any]) -> str | None:
    address = resident.get("address", "missing")
    if address == "missing":
        raise ValueError("town needs address { id }")
    return ADDRESSES[address["id"]]["town"] if address else None


def _work_region(resident: Mapping[str, Any]) -> str | None:
    address = resident.get("address", "missing")
    if address == "missing":
        raise ValueError("workRegion needs address")
    if not address or "id" not in address:
        return None
    return ADDRESSES[address["id"]]["region"]


people = Subgraph(
    name="people",
    sdl=link("@key", "@external", "@requires")
    + """
    type Query { resident(id: ID!): Resident }
    interface Address { id: ID! }
    type HomeAddress implements Address @key(fields: "id") { id: ID! }
    type WorkAddress implements Address @key(fields: "id") { id: ID! }
    type Resident @key(fields: "id") {
      id: ID!
      address: Address @external
      town: String @requires(fields: "address { id }")
      workRegion: String @requires(fields: "address { ... on WorkAddress { id } }")
    }
    """,
    resolvers={
        "Query": {"resident": lambda _, a: {"id": a["id"]} if a["id"] in RESIDENTS else None},
        "Resident": {"town": lambda r, _: _town(r), "workRegion": lambda r, _: _work_region(r)},
    },
    references={"Resident": lambda ref: dict(ref)},
)

addresses = Subgraph(
    name="addresses",
    sdl=link("@key")
    + """
    type Query { residentsAt(id: ID!): [Resident!]! }
    interface Address { id: ID! }
    type HomeAddress implements Address @key(fields: "id") { id: ID! postcode: String! }
    type WorkAddress implements Address @key(fields: "id") { id: ID! postcode: String! }
    type Resident @key(fields: "id") { id: ID! address: Address }
    """,
    resolvers={
        "Query": {
            "residentsAt": lambda _, a: [
                {"id": r, "address": _located(ad)} for r, ad in RESIDENTS.items() if ad == a["id"]
            ]
        },
    },
    references={
        "Resident": lambda ref: {"id": ref["id"], "address": _located(RESIDENTS[ref["id"]])},
        "HomeAddress": lambda ref: _located(ref["id"]),
        "WorkAddress": lambda ref: _located(ref["id"]),
    },
)

CASE = Case(
    name="requires-interface",
    behaviour=(
        "@requires whose selection is on an interface field, with and without type conditions"
    ),
    subgraphs=(people, addresses),
    probes=(
        Probe(
            label="interface-field-requirement",
            query='{ resident(id: "r1") { town } }',
            data={"resident": {"town": "Bury"}},
        ),
        Probe(
            label="type-condition-not-matching",
            query='{ resident(id: "r1") { workRegion } }',
            data={"resident": {"workRegion": None}},
        ),
        Probe(
            label="type-condition-matching",
            query='{ resident(id: "r2") { workRegion town } }',
            data={"resident": {"workRegion": "NW", "town": "Wigan"}},
        ),
        Probe(
            label="from-the-other-side",
            query=(
                '{ residentsAt(id: "ad2") { town address { __typename id ... on WorkAddress { '
                "postcode } } } }"
            ),
            data={
                "residentsAt": [
                    {
                        "town": "Wigan",
                        "address": {"__typename": "WorkAddress", "id": "ad2", "postcode": "WN1"},
                    }
                ]
            },
        ),
    ),
)
