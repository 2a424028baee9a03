"""A probation service's own subgraph, written the way a new supplier might: graphql-core and
Starlette, not our kit, and no sharing directives at all. It adds two fields to ``Person``.

    python -m tests.foreign.probation --port 20450

It answers any request (it checks no gateway context) and counts what it is asked, so a test
can tell whether the gateway ever fetched its data.
"""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn
from graphql import build_schema, graphql
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

SDL = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

type Person @key(fields: "id") {
  id: ID!
  "Risk of serious harm (OASys): LOW, MEDIUM, HIGH or VERY_HIGH."
  riskOfSeriousHarm: String
  "The next appointment with the probation practitioner."
  nextAppointment: String
}
"""

_EXECUTABLE = (
    SDL.replace('extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", '
                'import: ["@key"])', "")
    .replace('@key(fields: "id")', "")
    + """
scalar _Any
union _Entity = Person
type _Service { sdl: String! }
type Query { _service: _Service! _entities(representations: [_Any!]!): [_Entity]! }
"""
)  # fmt: skip
SCHEMA = build_schema(_EXECUTABLE)
asked: dict[str, int] = {"data": 0, "sdl": 0}


def _person(representation: dict[str, Any]) -> dict[str, Any]:
    mesh_id = str(representation.get("id", ""))
    return {
        "__typename": "Person",
        "id": mesh_id,
        "riskOfSeriousHarm": "HIGH" if mesh_id.endswith(("0", "5")) else "LOW",
        "nextAppointment": "2026-12-01T10:00:00Z",
    }


ROOT = {
    "_service": {"sdl": SDL},
    "_entities": lambda _info, representations: [_person(r) for r in representations],
}


def _resolve(source: Any, info: Any, **args: Any) -> Any:
    value = source.get(info.field_name) if isinstance(source, dict) else None
    return value(info, **args) if callable(value) else value


async def endpoint(request: Request) -> JSONResponse:
    if request.method == "GET":
        return JSONResponse({"asked": asked})
    payload = await request.json()
    query = payload.get("query", "")
    asked["sdl" if "_service" in query else "data"] += 1
    result = await graphql(
        SCHEMA,
        query,
        root_value=ROOT,
        variable_values=payload.get("variables"),
        field_resolver=_resolve,
    )
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
    return JSONResponse(body)


async def ready(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ready"})


app = Starlette(
    routes=[Route("/graphql", endpoint, methods=["GET", "POST"]), Route("/readyz", ready)]
)

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning")
