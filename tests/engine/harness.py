"""Answer an operation the way a gateway built on the engine does, for end-to-end tests."""

from __future__ import annotations

import json
import select
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from graphql import parse, validate

from mesh.federation.execute import Transport, execute_plan, shape_response
from mesh.federation.plan import PlanningError, QueryPlan, plan_operation
from mesh.federation.supergraph import Supergraph

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Case:
    name: str
    query: str
    expected: dict[str, Any]
    variables: dict[str, Any] = field(default_factory=dict)
    plan: str | None = None  # the expected describe_plan() text, when the case pins it
    labels: frozenset[str] = frozenset()
    fetches: int | None = None


async def answer(
    supergraph: Supergraph,
    transport: Transport,
    query: str,
    variables: Mapping[str, Any] | None = None,
    *,
    labels: frozenset[str] = frozenset(),
) -> tuple[dict[str, Any], QueryPlan | None]:
    document = parse(query)
    errors = validate(supergraph.api_schema, document)
    if errors:
        return {"errors": [e.formatted for e in errors]}, None
    try:
        plan = plan_operation(supergraph, document, override_labels=labels)
    except PlanningError as exc:
        return {
            "errors": [{"message": exc.message, "extensions": {"code": exc.code}}],
            "data": None,
        }, None
    outcome = await execute_plan(plan, transport, variables or {})
    return shape_response(supergraph.api_schema, document, None, variables, outcome), plan


def comparable(body: dict[str, Any]) -> dict[str, Any]:
    """The parts of a response conformance compares: data exactly, errors present or not."""
    out: dict[str, Any] = {"data": body.get("data")}
    if body.get("errors"):
        out["errors"] = True
    return out


@contextmanager
def apollo_gateway(supergraph_sdl: str, port: int, workdir: Path) -> Iterator[str]:
    """@apollo/gateway (bench/peers) serving the supergraph; yields its URL."""
    path = workdir / "supergraph.graphql"
    path.write_text(supergraph_sdl)
    script = ROOT / "bench" / "peers" / "apollo-gateway.mjs"
    process = subprocess.Popen(
        ["node", str(script), "--supergraph", str(path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"NODE_ENV": "production", "PATH": "/usr/bin:/usr/local/bin:/bin"},
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        if "ready" not in line:
            raise RuntimeError(f"apollo gateway did not start within 60 s: {line}")
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        process.terminate()
        process.wait(timeout=10)


def ask(url: str, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(
        url, json={"query": query, "variables": dict(variables or {})}, timeout=30
    )
    body: dict[str, Any] = json.loads(response.text)
    return body


def wait(seconds: float) -> None:
    time.sleep(seconds)
