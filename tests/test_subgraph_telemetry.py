"""A subgraph's metrics, traces and logs, over real PostgreSQL: /metrics counts what happened,
one request yields a span tree (request → each SQL statement) continuing the caller's
traceparent, and every log line of a request carries its request id and trace id."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

import httpx
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from store import ServerAddress
from tests.conftest import TEST_PREFIX
from tests.mesh_services import ROOT, free_ports
from tests.prometheus_text import samples, value
from tests.subgraph_client import signed_request, subgraph
from tests.test_subgraph_kit import HEALTH_ENTITIES, _crosswalked_ids, _reps

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{CALLER_SPAN}-01"
NAMED = HEALTH_ENTITIES.replace("query (", "query Household__health__0(", 1)
INTROSPECTION = """
query IntrospectionQuery { __schema { queryType { name } types { ...FullType } } }
fragment FullType on __Type { kind name fields(includeDeprecated: true) { name } }
"""


async def test_metrics_count_requests_batches_sql_and_the_pool(linked: ServerAddress) -> None:
    ids = await _crosswalked_ids(linked, "health", "Person", 40)
    async with subgraph("health", linked) as sg:
        for batch in (ids[:1], ids[:15], ids):
            assert "errors" not in await sg.query(NAMED, {"reps": _reps(batch)})
        bad = await sg.query(NAMED, {"reps": [{"__typename": "Person", "id": "not-an-id"}]})
        refused = await sg.http.post("/graphql", json={"query": NAMED, "variables": {"reps": []}})
        statements = sg.statements
        scraped = await sg.http.get("/metrics")
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert refused.status_code == 401
    assert scraped.headers["content-type"].startswith("text/plain")
    found = samples(scraped.text)
    base = {"subgraph": "health", "operation": "Household__health__0"}
    requests = "mesh_subgraph_requests_total"
    assert value(found, requests, **base, outcome="ok") == 3
    assert value(found, requests, **base, outcome="error") == 1
    assert value(found, requests, **base, outcome="refused") == 1
    assert value(found, "mesh_subgraph_request_seconds_count", **base) == 5
    health = {"subgraph": "health"}
    assert value(found, "mesh_subgraph_entities_batch_size_count", **health) == 4
    assert value(found, "mesh_subgraph_entities_batch_size_sum", **health) == 1 + 15 + 40 + 1
    assert value(found, "mesh_subgraph_entities_batch_size_bucket", **health, le="1.0") == 2
    sql = value(found, "mesh_subgraph_sql_seconds_count", subgraph="health", outcome="ok")
    assert sql == statements == 6  # two tables for each of the three good batches
    assert value(found, "mesh_subgraph_sql_seconds_sum", subgraph="health", outcome="ok") > 0
    assert value(found, "mesh_subgraph_pool_connections", subgraph="health", state="max") == 8
    assert value(found, "mesh_subgraph_pool_connections", subgraph="health", state="in_use") == 0
    label_values = {v for (_, labels) in found for _, v in labels}
    assert not any(v.startswith(("mp_", "mh_")) or "not-an-id" in v for v in label_values)


async def test_one_request_is_one_span_tree_under_the_callers_trace(linked: ServerAddress) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    ids = await _crosswalked_ids(linked, "health", "Person", 5)
    async with subgraph("health", linked, tracer_provider=provider) as sg:
        body, signed = signed_request({"query": NAMED, "variables": {"reps": _reps(ids)}}, "health")
        response = await sg.http.post(
            "/graphql",
            content=body,
            headers={**signed, "traceparent": TRACEPARENT, "x-request-id": "req-1"},
        )
    assert response.status_code == 200 and "errors" not in response.json()
    assert response.headers["x-request-id"] == "req-1"
    spans = exporter.get_finished_spans()
    (request,) = [s for s in spans if s.kind is SpanKind.SERVER]
    sql = [s for s in spans if s.kind is SpanKind.CLIENT]
    assert request.name == "graphql Household__health__0"
    assert format(request.context.trace_id, "032x") == TRACE_ID
    assert request.parent is not None and format(request.parent.span_id, "016x") == CALLER_SPAN
    assert request.attributes is not None
    assert request.attributes["mesh.request_id"] == "req-1"
    assert request.attributes["http.response.status_code"] == 200
    assert len(sql) == 2 and len(spans) == 3
    for statement in sql:
        assert statement.parent is not None
        assert statement.parent.span_id == request.context.span_id
        assert statement.context.trace_id == request.context.trace_id
        assert statement.attributes is not None
        assert statement.attributes["db.namespace"] == f"{TEST_PREFIX}health"
        text = str(statement.attributes["db.query.text"])
        assert text.lstrip().upper().startswith("SELECT")
        assert ids[0] not in text  # values are never recorded
    provider.shutdown()


async def test_introspection_with_fragments_needs_no_context_but_data_does(
    linked: ServerAddress,
) -> None:
    spread = (
        "query { ...Data } fragment Data on Query { _entities(representations: []) { __typename } }"
    )
    inline = "query { ... on Query { _entities(representations: []) { __typename } } }"
    async with subgraph("health", linked) as sg:
        schema = await sg.http.post("/graphql", json={"query": INTROSPECTION})
        through_spread = await sg.http.post("/graphql", json={"query": spread})
        through_inline = await sg.http.post("/graphql", json={"query": inline})
    assert schema.status_code == 200, schema.text
    assert schema.json()["data"]["__schema"]["queryType"]["name"] == "Query"
    assert through_spread.status_code == 401 and through_inline.status_code == 401


def test_each_log_line_of_a_request_carries_its_ids_and_client_errors_no_traceback(
    linked: ServerAddress, tmp_path: Any
) -> None:
    log_file = tmp_path / "health.log"
    (port,) = free_ports(1)
    env = {
        **os.environ,
        "MESH_DB_PREFIX": TEST_PREFIX,
        "MESH_SUBGRAPH_LOG_LEVEL": "INFO",
    }
    env.pop("MESH_SUBGRAPH_DSN", None)
    env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    with log_file.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mesh", "subgraph", "serve", "health", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                assert process.poll() is None, log_file.read_text()
                try:
                    if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                raise TimeoutError("the health subgraph never became ready")
            bad = {"query": NAMED, "variables": {"reps": [{"__typename": "Person", "id": "x1"}]}}
            body, signed = signed_request(bad, "health")
            headers = {**signed, "traceparent": TRACEPARENT, "x-request-id": "req-bad"}
            answer = httpx.post(f"{url}/graphql", content=body, headers=headers, timeout=10)
            plain = httpx.post(
                f"{url}/graphql", json={"query": "{ __typename }"}, headers={}, timeout=10
            )
        finally:
            process.terminate()
            process.wait(timeout=10)
    assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert plain.status_code == 200
    text = log_file.read_text()
    assert "Traceback" not in text
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("request_id") == "req-bad"]
    assert [line["event"] for line in requests] == ["client_error", "request"]
    assert all(line["trace_id"] == TRACE_ID and line["service"] == "health" for line in requests)
    assert requests[0]["code"] == "BAD_USER_INPUT" and "exception" not in requests[0]
    (other,) = [line for line in lines if line["event"] == "request" and line not in requests]
    assert len(other["request_id"]) == 36 and len(other["trace_id"]) == 32  # made here
    assert other["trace_id"] != TRACE_ID
