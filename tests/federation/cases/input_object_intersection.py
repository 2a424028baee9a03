"""Input objects are merged as the intersection of their fields: a field one subgraph lacks is
not in the API (rejected in literals and in variables), and the rest reach each subgraph."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import ANY_ERROR, Case, Probe, Subgraph, link

PLOTS = [{"id": f"pl{i}", "site": "Whalley Range" if i % 2 else "Levenshulme"} for i in range(1, 6)]


def _search(filters: Mapping[str, Any]) -> list[dict[str, Any]]:
    if "includeWaiting" in filters:
        raise ValueError("includeWaiting is not part of the API")
    found = [p for p in PLOTS if filters.get("site") in (None, p["site"])]
    return found[: filters["first"]]


allotments = Subgraph(
    name="allotments",
    sdl=link("@key")
    + """
    type Query { plots(filter: PlotFilter!): [Plot!]! }
    type Plot @key(fields: "id") { id: ID! site: String! }
    input PlotFilter { first: Int! site: String }
    """,
    resolvers={"Query": {"plots": lambda _, a: [dict(p) for p in _search(a["filter"])]}},
    references={"Plot": lambda ref: next((dict(p) for p in PLOTS if p["id"] == ref["id"]), None)},
)

waiting = Subgraph(
    name="waiting",
    sdl=link("@key")
    + """
    type Query { waitingPlots(filter: PlotFilter!): [Plot!]! }
    type Plot @key(fields: "id") { id: ID! }
    input PlotFilter { first: Int! site: String includeWaiting: Boolean }
    """,
    resolvers={
        "Query": {"waitingPlots": lambda _, a: [{"id": p["id"]} for p in _search(a["filter"])]}
    },
)

CASE = Case(
    name="input-object-intersection",
    behaviour="input object fields merged as an intersection",
    subgraphs=(allotments, waiting),
    probes=(
        Probe(
            label="common-fields-literal",
            query='{ plots(filter: { first: 2, site: "Levenshulme" }) { id } }',
            data={"plots": [{"id": "pl2"}, {"id": "pl4"}]},
        ),
        Probe(
            label="common-fields-variable",
            query="query ($f: PlotFilter!) { waitingPlots(filter: $f) { id site } }",
            variables={"f": {"first": 1, "site": "Whalley Range"}},
            data={"waitingPlots": [{"id": "pl1", "site": "Whalley Range"}]},
        ),
        Probe(
            label="field-of-one-subgraph-literal",
            query="{ waitingPlots(filter: { first: 1, includeWaiting: true }) { id } }",
            data=None,
            errors=ANY_ERROR,
            requests={"waiting": 0},
        ),
        Probe(
            label="field-of-one-subgraph-variable",
            query="query ($f: PlotFilter!) { plots(filter: $f) { id } }",
            variables={"f": {"first": 1, "includeWaiting": False}},
            data=None,
            errors=ANY_ERROR,
            requests={"allotments": 0},
        ),
    ),
)
