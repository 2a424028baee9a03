"""A subgraph that is down or answers errors: the gateway still answers what the other
subgraphs can, with errors whose paths say which fields failed (partial data)."""

from typing import Any

from tests.federation.support import (
    ANY_ERROR,
    ApolloDifference,
    Case,
    ExpectedError,
    Probe,
    Subgraph,
    link,
)


def _broken(*_: Any) -> Any:
    raise RuntimeError("gritting lorry telemetry unavailable")


roads = Subgraph(
    name="roads",
    sdl=link("@key")
    + """
    type Query { roads: [Road!]! }
    type Road @key(fields: "id") { id: ID! name: String! }
    """,
    resolvers={
        "Query": {"roads": lambda *_: [{"id": "r1", "name": "A6"}, {"id": "r2", "name": "A56"}]}
    },
)

gritting = Subgraph(
    name="gritting",
    sdl=link("@key")
    + """
    type Query { lorries: Int }
    type Road @key(fields: "id") { id: ID! gritted: Boolean lastRun: String }
    """,
    resolvers={
        "Query": {"lorries": _broken},
        "Road": {"lastRun": lambda r, _: _broken() if r["id"] == "r2" else "04:10"},
    },
    references={"Road": lambda ref: {"id": ref["id"], "gritted": ref["id"] == "r1"}},
)

potholes = Subgraph(
    name="potholes",
    sdl=link("@key")
    + """
    type Query { reportCount: Int }
    type Road @key(fields: "id") { id: ID! openReports: Int }
    """,
    down=True,
)

CASE = Case(
    name="subgraph-failures",
    behaviour="a subgraph down or erroring: partial data with errors and paths",
    subgraphs=(roads, gritting, potholes),
    probes=(
        Probe(
            label="field-error-in-entity-call",
            query="{ roads { name gritted lastRun } }",
            data={
                "roads": [
                    {"name": "A6", "gritted": True, "lastRun": "04:10"},
                    {"name": "A56", "gritted": False, "lastRun": None},
                ]
            },
            errors=(ExpectedError(path=("roads", 1, "lastRun")),),
        ),
        Probe(
            label="subgraph-down-entity-fields",
            query="{ roads { name openReports } }",
            data={
                "roads": [{"name": "A6", "openReports": None}, {"name": "A56", "openReports": None}]
            },
            errors=ANY_ERROR,
        ),
        Probe(
            label="subgraph-down-an-error-per-object",
            query="{ roads { id openReports } }",
            data={"roads": [{"id": "r1", "openReports": None}, {"id": "r2", "openReports": None}]},
            errors=(ExpectedError(path=("roads", 0)), ExpectedError(path=("roads", 1))),
            apollo=ApolloDifference(
                reason="@apollo/gateway reports a failed entity fetch once, without a path; "
                "Apollo Router reports it at the path of every object the fetch was to complete"
            ),
        ),
        Probe(
            label="subgraph-down-root-field-and-healthy-root",
            query="{ reportCount roads { name } }",
            data={"reportCount": None, "roads": [{"name": "A6"}, {"name": "A56"}]},
            errors=ANY_ERROR,
        ),
        Probe(
            label="root-field-error-with-path",
            query="{ lorries roads { id } }",
            data={"lorries": None, "roads": [{"id": "r1"}, {"id": "r2"}]},
            errors=(
                ExpectedError(path=("lorries",), message="gritting lorry telemetry unavailable"),
            ),
        ),
    ),
)
