"""The engine's metrics, spans and log lines, on a one-schema engine (no subgraphs, no
PostgreSQL): what a request counts, which lines it logs (a client's mistake is one line, a
fault keeps its traceback), that each fetch is observed and carries its span to the subgraph,
and that all of it costs nothing when switched off."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from contextlib import nullcontext
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from prometheus_client import CollectorRegistry, generate_latest

from mesh.federation.execute import InProcessTransport, SubgraphTimeout, SubgraphUnavailable
from mesh.federation.http import PipelineHolder, create_app
from mesh.federation.observe import EngineMetrics, Telemetry
from mesh.federation.pipeline import DocumentLimits, GraphQLRequest, Pipeline
from telemetry import MAX_OPERATION_NAMES, configure_logging
from tests.prometheus_text import samples, value
from tests.unit.test_pipeline import OneSchemaEngine, TokenPolicy

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CLIENT_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{CLIENT_SPAN}-01"
GOOD = {"authorization": "Bearer good"}


def observed(
    *, log: bool = False, provider: TracerProvider | None = None, engine: Any = None
) -> tuple[Pipeline, CollectorRegistry]:
    registry = CollectorRegistry()
    telemetry = Telemetry(metrics=EngineMetrics(registry), tracer_provider=provider, log=log)
    pipeline = Pipeline(
        engine or OneSchemaEngine(),
        TokenPolicy(),
        limits=DocumentLimits(max_tokens=200, max_fields=5),
        telemetry=telemetry,
    )
    return pipeline, registry


def scraped(registry: CollectorRegistry) -> dict[Any, float]:
    return samples(generate_latest(registry).decode())


@pytest.fixture()
def log_lines() -> Any:
    stream = io.StringIO()
    configure_logging("gateway", "INFO", stream, logger="test")

    def lines() -> list[dict[str, Any]]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    return lines


async def test_requests_are_counted_by_operation_and_outcome_with_their_caches() -> None:
    pipeline, registry = observed()
    for _ in range(3):
        assert (await pipeline.run(GraphQLRequest("query Count { count }", headers=GOOD))).body
    await pipeline.run(GraphQLRequest("query Count { count }"))  # no token
    await pipeline.run(GraphQLRequest("query Broken { nope }", headers=GOOD))
    await pipeline.run(GraphQLRequest("{ count", headers=GOOD))
    await pipeline.run(GraphQLRequest("{ __schema { queryType { name } } }"))
    await pipeline.run(GraphQLRequest("{ __schema { queryType { name } } }"))
    found = scraped(registry)
    requests = "mesh_gateway_requests_total"
    assert value(found, requests, operation="Count", outcome="ok") == 3
    assert value(found, requests, operation="Count", outcome="refused") == 1
    assert value(found, requests, operation="Broken", outcome="bad_request") == 1
    assert value(found, requests, operation="unknown", outcome="bad_request") == 1
    assert value(found, requests, operation="anonymous", outcome="ok") == 2
    assert value(found, "mesh_gateway_request_seconds_count", operation="Count") == 4
    caches = "mesh_gateway_cache_lookups_total"
    assert value(found, caches, cache="plan", result="miss") == 1
    assert value(found, caches, cache="plan", result="hit") == 2
    assert value(found, caches, cache="document", result="hit") == 4  # Count 3 times, __schema once
    assert value(found, caches, cache="validation", result="miss") == 3  # Count, Broken, schema
    assert value(found, caches, cache="introspection", result="hit") == 1
    assert (pipeline.plans.hits, pipeline.plans.misses) == (2, 1)


async def test_operation_labels_are_bounded_and_never_carry_values() -> None:
    pipeline, registry = observed()
    for n in range(MAX_OPERATION_NAMES + 5):
        await pipeline.run(GraphQLRequest(f"query Op{n} {{ count }}", headers=GOOD))
    await pipeline.run(GraphQLRequest('query { hello(name: "mp_123") }', headers=GOOD))
    operations = {dict(labels).get("operation") for (_, labels) in scraped(registry)} - {None}
    assert len(operations) == MAX_OPERATION_NAMES + 1 and "other" in operations
    assert not any("mp_123" in str(labels) for (_, labels) in scraped(registry))


async def test_a_clients_mistake_is_one_line_with_the_request_and_trace_ids(
    log_lines: Any,
) -> None:
    pipeline, _ = observed(log=True)
    headers = {**GOOD, "traceparent": TRACEPARENT, "x-request-id": "client-7"}
    answer = await pipeline.run(GraphQLRequest("query Broken { nope }", headers=headers))
    bad_token = await pipeline.run(
        GraphQLRequest("{ count }", headers={"authorization": "Bearer forged"})
    )
    lines = log_lines()
    assert "Traceback" not in json.dumps(lines)
    first = [line for line in lines if line["request_id"] == answer.request_id]
    assert [line["event"] for line in first] == ["client_error", "request"]
    assert first[0]["code"] == "GRAPHQL_VALIDATION_FAILED" and "nope" in first[0]["message"]
    assert all(line["trace_id"] == TRACE_ID for line in first)  # the client's trace goes on
    assert all(line["client_request_id"] == "client-7" for line in first)
    assert first[1]["operation"] == "Broken" and first[1]["outcome"] == "bad_request"
    assert first[1]["status"] == 400 and first[1]["service"] == "gateway"
    second = [line for line in lines if line["request_id"] == bad_token.request_id]
    assert [(line["event"], line.get("code")) for line in second] == [
        ("client_error", "TOKEN_INVALID"),
        ("request", None),
    ]
    assert len(second[0]["trace_id"]) == 32 and second[0]["trace_id"] != TRACE_ID  # a new one


async def test_the_same_error_at_many_paths_is_one_line_and_input_values_are_not_logged(
    log_lines: Any,
) -> None:
    class ManyErrors(OneSchemaEngine):
        def shape(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
            denied = [
                {
                    "message": "Person.police is withheld: no agreement",
                    "path": ["household", "members", n, "police"],
                    "extensions": {"code": "FORBIDDEN_BY_POLICY", "coordinate": "Person.police"},
                }
                for n in range(30)
            ]
            bad_id = {
                "message": "malformed person id 'Jane Smith 1970-01-01'",
                "path": ["person"],
                "extensions": {"code": "BAD_USER_INPUT", "subgraph": "index"},
            }
            return {"data": {"count": None}, "errors": [*denied, bad_id]}

    pipeline, _ = observed(log=True, engine=ManyErrors())
    await pipeline.run(GraphQLRequest("{ count }", headers=GOOD))
    lines = log_lines()
    errors = [line for line in lines if line["event"] == "client_error"]
    assert len(errors) == 2
    assert errors[0]["count"] == 30 and errors[0]["coordinate"] == "Person.police"
    assert errors[1] == {**errors[1], "code": "BAD_USER_INPUT", "subgraph": "index"}
    assert "message" not in errors[1] and "Jane" not in json.dumps(lines)
    assert lines[-1]["event"] == "request" and lines[-1]["errors"] == 31


async def test_a_fault_keeps_its_traceback_and_answers_a_plain_500(log_lines: Any) -> None:
    class Broken(OneSchemaEngine):
        async def execute(self, *args: Any, **kwargs: Any) -> Any:
            empty: dict[str, Any] = {}
            return empty["missing"]  # a bug

    pipeline, registry = observed(log=True, engine=Broken())
    answer = await pipeline.run(GraphQLRequest("query Count { count }", headers=GOOD))
    assert answer.http_status() == 500
    assert answer.body == {
        "errors": [
            {"message": "internal server error", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
        ]
    }
    (fault,) = [line for line in log_lines() if line["event"] == "fault"]
    assert fault["level"] == "error" and fault["request_id"] == answer.request_id
    assert "Traceback" in fault["exception"] and "KeyError" in fault["exception"]
    found = scraped(registry)
    assert value(found, "mesh_gateway_requests_total", operation="Count", outcome="fault") == 1


async def test_one_request_is_one_span_tree_under_the_clients_trace() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    pipeline, _ = observed(provider=provider)
    answer = await pipeline.run(
        GraphQLRequest("query Count { count }", headers={**GOOD, "traceparent": TRACEPARENT})
    )
    assert answer.body == {"data": {"count": 3}}
    spans = {span.name: span for span in exporter.get_finished_spans()}
    root = spans.pop("query Count")
    assert root.kind is SpanKind.SERVER and root.parent is not None
    assert format(root.parent.span_id, "016x") == CLIENT_SPAN
    assert format(root.context.trace_id, "032x") == TRACE_ID
    assert root.attributes is not None and root.attributes["mesh.outcome"] == "ok"
    assert root.attributes["mesh.request_id"] == answer.request_id
    stages = ["parse", "validate", "authorize", "plan", "execute", "shape", "finish"]
    assert sorted(spans) == sorted(f"graphql.{stage}" for stage in stages)
    for span in spans.values():
        assert span.parent is not None and span.parent.span_id == root.context.span_id
    # the engine (no observed transport here) was handed the client's traceparent
    assert pipeline.engine.executions[0]["traceparent"] == TRACEPARENT  # type: ignore[attr-defined]
    provider.shutdown()


async def test_each_fetch_is_timed_classified_and_carries_its_span() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    registry = CollectorRegistry()
    telemetry = Telemetry(metrics=EngineMetrics(registry), tracer_provider=provider)
    received: list[Mapping[str, str]] = []

    async def subgraph(
        query: str, variables: Mapping[str, Any], headers: Mapping[str, str] | None
    ) -> dict[str, Any]:
        received.append(dict(headers or {}))
        if variables.get("fail") == "timeout":
            raise SubgraphTimeout("health", "no answer within 5 s")
        if variables.get("fail") == "down":
            raise SubgraphUnavailable("health", "cannot connect")
        if variables.get("fail") == "errors":
            return {"data": None, "errors": [{"message": "bad id"}]}
        return {"data": {"ok": True}}

    transport = telemetry.transport(InProcessTransport(handler=subgraph))
    query = "query Household__health__0 { ok }"
    with telemetry.span("graphql.execute"):
        assert await transport.post("health", query, {}, {"x-request-id": "r"}) == {
            "data": {"ok": True}
        }
        await transport.post("health", query, {"fail": "errors"}, None)
        for fail, fault in (("timeout", SubgraphTimeout), ("down", SubgraphUnavailable)):
            with pytest.raises(fault):
                await transport.post("health", query, {"fail": fail}, None)
    found = scraped(registry)
    fetches = "mesh_gateway_subgraph_fetches_total"
    for outcome in ("ok", "error", "timeout", "unavailable"):
        assert value(found, fetches, subgraph="health", outcome=outcome) == 1, outcome
    assert value(found, "mesh_gateway_subgraph_fetch_seconds_count", subgraph="health") == 4
    spans = exporter.get_finished_spans()
    fetch_spans = [span for span in spans if span.name == "fetch health"]
    (execute,) = [span for span in spans if span.name == "graphql.execute"]
    assert len(fetch_spans) == 4
    for span, headers in zip(fetch_spans, received, strict=True):
        assert span.kind is SpanKind.CLIENT
        assert span.parent is not None and span.parent.span_id == execute.context.span_id
        trace_id, span_id = headers["traceparent"].split("-")[1:3]
        assert (trace_id, span_id) == (
            format(span.context.trace_id, "032x"),
            format(span.context.span_id, "016x"),
        )
        assert span.attributes is not None
        assert span.attributes["graphql.operation.name"] == "Household__health__0"
    assert received[0]["x-request-id"] == "r"
    assert [span.status.is_ok for span in fetch_spans] == [True, True, False, False]
    provider.shutdown()


async def test_switched_off_nothing_is_wrapped_recorded_or_logged(log_lines: Any) -> None:
    telemetry = Telemetry()
    inner = InProcessTransport(handler=lambda *_: None)  # type: ignore[arg-type]
    assert telemetry.transport(inner) is inner
    assert isinstance(telemetry.span("graphql.parse"), nullcontext)
    pipeline = Pipeline(OneSchemaEngine(), TokenPolicy(), telemetry=telemetry)
    answer = await pipeline.run(GraphQLRequest("{ nope }", headers=GOOD))
    assert answer.http_status() == 400 and answer.request_id is not None
    assert log_lines() == []


async def test_http_refusals_are_counted_and_answers_carry_the_request_id() -> None:
    pipeline, registry = observed()
    app = create_app(PipelineHolder(pipeline), metrics=registry)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gateway"
    ) as http:
        ok = await http.post("/graphql", json={"query": "{ count }"}, headers=GOOD)
        not_json = await http.post(
            "/graphql", content=b"{", headers={**GOOD, "content-type": "application/json"}
        )
        bad_extensions = await http.post(
            "/graphql", json={"query": "{ count }", "extensions": "x"}, headers=GOOD
        )
        bad_get_extensions = await http.get(
            "/graphql", params={"query": "{ count }", "extensions": "{"}, headers=GOOD
        )
        good_extensions = await http.get(
            "/graphql", params={"query": "{ count }", "extensions": '{"a": 1}'}, headers=GOOD
        )
        wrong_accept = await http.post(
            "/graphql", json={"query": "{ count }"}, headers={**GOOD, "accept": "text/csv"}
        )
        metrics = await http.get("/metrics")
    assert ok.status_code == 200 and len(ok.headers["x-request-id"]) == 36
    assert not_json.status_code == 400 and not_json.headers["x-request-id"]
    assert bad_extensions.status_code == 400 and bad_get_extensions.status_code == 400
    assert bad_extensions.json()["errors"][0]["message"] == "extensions must be a JSON object"
    assert good_extensions.status_code == 200
    assert wrong_accept.status_code == 406
    assert metrics.headers["content-type"].startswith("text/plain")
    found = samples(metrics.text)
    requests = "mesh_gateway_requests_total"
    assert value(found, requests, operation="anonymous", outcome="ok") == 2
    assert value(found, requests, operation="unknown", outcome="bad_request") == 4
