"""Simple ``@requires``: a field computed from another subgraph's fields, which the gateway
fetches first and passes in the representation; the extending subgraph checks it got them."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

PARCELS = {"p1": {"grams": 1800, "fragile": True}, "p2": {"grams": 400, "fragile": False}}


def _postage(parcel: Mapping[str, Any]) -> int:
    if "grams" not in parcel or "fragile" not in parcel:
        raise ValueError("postage needs grams and fragile")
    return int(parcel["grams"]) // 100 * 12 + (150 if parcel["fragile"] else 0)


depot = Subgraph(
    name="depot",
    sdl=link("@key")
    + """
    type Query { parcels: [Parcel!]! }
    type Parcel @key(fields: "id") { id: ID! grams: Int! fragile: Boolean! }
    """,
    resolvers={"Query": {"parcels": lambda *_: [{"id": k, **v} for k, v in PARCELS.items()]}},
    references={"Parcel": lambda ref: {"id": ref["id"], **PARCELS[ref["id"]]}},
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
    }
    """,
    resolvers={"Parcel": {"postagePence": lambda p, _: _postage(p)}},
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
            label="no-requires-no-extra-fields",
            query="{ parcels { zone } }",
            data={"parcels": [{"zone": "NW"}, {"zone": "NW"}]},
        ),
    ),
)
