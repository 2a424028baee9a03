"""Simple ``@requires``: a field computed from another subgraph's fields, which the gateway
fetches first and passes in the representation; the extending subgraph checks it got them."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

PARCELS = {"p1": {"grams": 1800, "fragile": True}, "p2": {"grams": 400, "fragile": False}}


LABELS = {"p1": ["l1", "l2"], "p2": []}


def _parcel(parcel_id: str) -> dict[str, Any]:
    labels = [{"id": label, "text": f"label {label}"} for label in LABELS[parcel_id]]
    return {"id": parcel_id, **PARCELS[parcel_id], "labels": labels}


def _label_count(parcel: Mapping[str, Any]) -> int:
    labels = parcel.get("labels")
    if not isinstance(labels, list) or not all("id" in label for label in labels):
        raise ValueError("labelCount needs labels { id }")
    return len(labels)


def _postage(parcel: Mapping[str, Any]) -> int:
    if "grams" not in parcel or "fragile" not in parcel:
        raise ValueError("postage needs grams and fragile")
    return int(parcel["grams"]) // 100 * 12 + (150 if parcel["fragile"] else 0)


depot = Subgraph(
    name="depot",
    sdl=link("@key")
    + """
    type Query { parcels: [Parcel!]! }
    type Parcel @key(fields: "id") { id: ID! grams: Int! fragile: Boolean! labels: [Label!]! }
    type Label @key(fields: "id") { id: ID! text: String! }
    """,
    resolvers={"Query": {"parcels": lambda *_: [_parcel(k) for k in PARCELS]}},
    references={"Parcel": lambda ref: _parcel(ref["id"])},
)

postage = Subgraph(
    name="postage",
    sdl=link("@key", "@external", "@requires")
    + """
    type Parcel @key(fields: "id") {
      id: ID!
      grams: Int! @external
      fragile: Boolean! @external
      postagePence: Int! @requires(fields: "grams fragile")
      zone: String!
      labels: [Label!]! @external
      labelCount: Int! @requires(fields: "labels { id }")
      handling: String! @requires(fields: "labels { id }")
    }
    type Label @key(fields: "id", resolvable: false) { id: ID! }
    """,
    resolvers={
        "Parcel": {
            "postagePence": lambda p, _: _postage(p),
            "labelCount": lambda p, _: _label_count(p),
            "handling": lambda p, _: "tracked" if _label_count(p) else "standard",
        }
    },
    references={"Parcel": lambda ref: {**ref, "zone": "NW"}},
)

CASE = Case(
    name="requires-simple",
    behaviour="@requires: required fields fetched first and sent in the representation",
    subgraphs=(depot, postage),
    probes=(
        Probe(
            label="required-fields-not-selected",
            query="{ parcels { id postagePence } }",
            data={"parcels": [{"id": "p1", "postagePence": 366}, {"id": "p2", "postagePence": 48}]},
            requests={"depot": 1, "postage": 1},
        ),
        Probe(
            label="required-fields-also-selected",
            query="{ parcels { grams postagePence fragile zone } }",
            data={
                "parcels": [
                    {"grams": 1800, "postagePence": 366, "fragile": True, "zone": "NW"},
                    {"grams": 400, "postagePence": 48, "fragile": False, "zone": "NW"},
                ]
            },
            requests={"depot": 1, "postage": 1},
        ),
        Probe(
            label="two-fields-requiring-a-list-of-entities",
            query="{ parcels { labelCount handling } }",
            data={
                "parcels": [
                    {"labelCount": 2, "handling": "tracked"},
                    {"labelCount": 0, "handling": "standard"},
                ]
            },
            requests={"depot": 1, "postage": 1},
        ),
        Probe(
            label="no-requires-no-extra-fields",
            query="{ parcels { zone } }",
            data={"parcels": [{"zone": "NW"}, {"zone": "NW"}]},
        ),
    ),
)
