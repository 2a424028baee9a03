"""The gateway's metrics, traces and logs over real subgraph processes and real PostgreSQL:
``/metrics`` counts what governance did (decisions, opt-out withholdings, audit appends and
their failures) next to requests and fetches; one request is one trace across the HTTP hop
into a subgraph process and down to its SQL; the served gateway logs each client mistake as
one line without a traceback, every line with the request's id and trace id."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import generate_latest

from authz.audit import AuditLog
from authz.dev_keys import ensure_dev_keys, mint_token
from mesh.federation.http import PipelineHolder
from mesh.gateway import Gateway
from mesh.gateway.serve import gateway_app
from mesh.gateway.telemetry import GatewayTelemetry
from mesh.gateway.transport import MeshTransport
from store import ServerAddress
from tests.conftest import TEST_KEYS_DIR, TEST_PREFIX
from tests.gateway_fixtures import SAFEGUARDING_LEAD
from tests.mesh_services import running_subgraphs
from tests.prometheus_text import samples, value
from tests.test_gateway import HOUSEHOLD, _households
from tests.test_gateway_governance import LANDLORD, _person_known_to
from tests.test_national_data_opt_out import ANALYST, SECTIONS, _people

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CLIENT_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{CLIENT_SPAN}-01"
HEALTH = "query PersonHealth($id: ID!) { person(id: $id) { id health { familyName } } }"


def observed(
    raw_gateway: Gateway,
    telemetry: GatewayTelemetry,
    urls: dict[str, str] | None = None,
    **governance_changes: Any,
) -> Gateway:
    """The session's composed graph and rules, with telemetry (and other URLs or audit)."""
    assert raw_gateway.governance is not None
    transport = MeshTransport(
        {**raw_gateway.transport.urls, **(urls or {})}, local=raw_gateway.transport.local
    )
    governance = raw_gateway.governance
    if governance_changes:
        governance = replace(governance, **governance_changes)  # with a writer of its own
    gateway = Gateway(
        raw_gateway.supergraph,
        transport,
        raw_gateway.settings,
        governance,
        raw_gateway.verifier,
        telemetry,
    )
    gateway.owns_governance = False  # the session's audit log stays open
    return gateway


def token_headers(org: str, role: str, purpose: str, **extra: str) -> dict[str, str]:
    token = mint_token(ensure_dev_keys(TEST_KEYS_DIR), org, [role])
    return {"authorization": f"Bearer {token}", "x-purpose-of-use": purpose, **extra}


LEAD_HEADERS = {"x-case-reference": "CASE-2026-001"}


async def test_metrics_count_governance_requests_and_fetches(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    telemetry = GatewayTelemetry()
    gateway = observed(raw_gateway, telemetry)
    household_id, _ = await _households(linked)
    person = await _person_known_to(linked, "health")
    opted_out = sorted((await _people(linked))["opted_out_with_social_care"])[0]
    try:
        ok = await gateway.execute(HOUSEHOLD, {"id": household_id}, caller=SAFEGUARDING_LEAD)
        denied = await gateway.execute(
            "query NhsNumber($id: ID!) { person(id: $id) { health { nhsNumber } } }",
            {"id": person},
            caller=LANDLORD,
        )
        withheld = await gateway.execute(SECTIONS, {"id": opted_out}, caller=ANALYST)
        app = gateway_app(PipelineHolder(gateway.pipeline), gateway.settings, telemetry=telemetry)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway"
        ) as http:
            forged = await http.post(
                "/graphql",
                json={"query": HEALTH, "variables": {"id": person}},
                headers={"authorization": "Bearer forged"},
            )
            scraped = await http.get("/metrics")
    finally:
        await gateway.transport.aclose()
    assert "errors" not in ok.body, ok.body
    assert {e["extensions"]["code"] for e in denied.body["errors"]} == {"FORBIDDEN_BY_POLICY"}
    assert withheld.body["extensions"]["governance"]["withheldByRowRules"] == 2
    assert forged.status_code == 401
    found = samples(scraped.text)
    requests = "mesh_gateway_requests_total"
    assert value(found, requests, operation="Household", outcome="ok") == 1
    assert value(found, requests, operation="NhsNumber", outcome="error") == 1
    assert value(found, requests, operation="unknown", outcome="refused") == 1  # before parsing
    assert value(found, "mesh_gateway_request_seconds_count", operation="Household") == 1
    fetched = {
        dict(labels)["subgraph"]: count
        for (name, labels), count in found.items()
        if name == "mesh_gateway_subgraph_fetches_total" and dict(labels)["outcome"] == "ok"
    }
    assert fetched["index"] >= 3 and fetched["health"] >= 1 and fetched["police"] >= 1
    assert sum(fetched.values()) == sum(
        count for (name, _), count in found.items() if name.endswith("fetch_seconds_count")
    )
    decisions = "mesh_gateway_policy_decisions_total"
    assert value(found, decisions, effect="allow") > 10
    assert value(found, decisions, effect="deny") >= 1
    assert value(found, "mesh_gateway_opt_out_withheld_total") == 2
    assert value(found, "mesh_gateway_audit_append_seconds_count") == 3  # the executed three
    assert value(found, "mesh_gateway_audit_append_failures_total") == 0
    caches = "mesh_gateway_cache_lookups_total"
    assert value(found, caches, cache="plan", result="miss") == 3
    label_values = {v for (_, labels) in found for _, v in labels}
    assert not any(v.startswith("mp_") or v == household_id for v in label_values)


async def test_an_audit_log_that_cannot_write_is_counted(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    dead = await AuditLog.open(linked.dsn("governance"), timeout=2)
    await dead.close()
    telemetry = GatewayTelemetry()
    gateway = observed(raw_gateway, telemetry, audit=dead)
    person = await _person_known_to(linked, "health")
    try:
        answer = await gateway.execute(HEALTH, {"id": person}, caller=SAFEGUARDING_LEAD)
    finally:
        await gateway.transport.aclose()
    assert answer.http_status() == 503
    found = samples(generate_latest(telemetry.registry).decode())
    assert value(found, "mesh_gateway_audit_append_failures_total") == 1
    assert value(found, "mesh_gateway_audit_append_seconds_count") == 1
    outcome = {"operation": "PersonHealth", "outcome": "fault"}
    assert value(found, "mesh_gateway_requests_total", **outcome) == 1


class _OtlpReceiver(BaseHTTPRequestHandler):
    """An OTLP/HTTP trace endpoint: keeps every span it is sent."""

    spans: list[Any]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                self.spans.extend(scope.spans)
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_: Any) -> None:
        return None


@pytest.fixture()
def otlp_endpoint() -> Iterator[tuple[str, list[Any]]]:
    received: list[Any] = []
    handler = type("Receiver", (_OtlpReceiver,), {"spans": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


@pytest_asyncio.fixture()
async def traced_health(
    otlp_endpoint: tuple[str, list[Any]], linked: ServerAddress
) -> AsyncIterator[tuple[str, list[Any]]]:
    """The health subgraph as its own process, exporting its spans to the test's endpoint."""
    endpoint, received = otlp_endpoint
    env = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "50",
        "OTEL_SERVICE_NAME": "health",
    }
    with running_subgraphs(TEST_PREFIX, None, ("health",), env=env) as urls:
        yield urls["health"], received


async def test_one_request_is_one_trace_across_the_gateway_and_a_subgraph_process(
    raw_gateway: Gateway, linked: ServerAddress, traced_health: tuple[str, list[Any]]
) -> None:
    health_url, subgraph_spans = traced_health
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    telemetry = GatewayTelemetry(tracer_provider=provider)
    gateway = observed(raw_gateway, telemetry, urls={"health": health_url})
    person = await _person_known_to(linked, "health")
    app = gateway_app(PipelineHolder(gateway.pipeline), gateway.settings, telemetry=telemetry)
    headers = token_headers(
        "manchester-city-council",
        "safeguarding_lead",
        "SAFEGUARDING",
        traceparent=TRACEPARENT,
        **LEAD_HEADERS,
    )
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway"
        ) as http:
            answer = await http.post(
                "/graphql", json={"query": HEALTH, "variables": {"id": person}}, headers=headers
            )
    finally:
        await gateway.transport.aclose()
    assert answer.status_code == 200 and answer.json()["data"]["person"]["health"], answer.text
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not any(s.kind == 2 for s in subgraph_spans):
        time.sleep(0.05)  # the subgraph exports in batches (every 50 ms here)
    time.sleep(0.2)
    ours = {span.context.span_id: span for span in exporter.get_finished_spans()}
    by_name = {span.name: span for span in ours.values()}
    root = by_name["query PersonHealth"]
    assert root.parent is not None and format(root.parent.span_id, "016x") == CLIENT_SPAN
    assert {format(span.context.trace_id, "032x") for span in ours.values()} == {TRACE_ID}
    for stage in ("parse", "validate", "authorize", "plan", "execute", "shape", "finish"):
        assert _parent(by_name[f"graphql.{stage}"]) == root.context.span_id, stage
    assert _parent(by_name["audit.append"]) == by_name["graphql.finish"].context.span_id
    fetch = by_name["fetch health"]
    assert _parent(fetch) == by_name["graphql.execute"].context.span_id

    # Across the HTTP hop: the subgraph's request span is the gateway's fetch span's child,
    # and its SQL spans are the request span's children, all in the client's trace.
    theirs = [s for s in subgraph_spans if s.trace_id.hex() == TRACE_ID]
    (server,) = [s for s in theirs if s.kind == 2]  # SPAN_KIND_SERVER
    assert server.parent_span_id == fetch.context.span_id.to_bytes(8, "big")
    assert server.name == "graphql " + str((fetch.attributes or {})["graphql.operation.name"])
    sql = [s for s in theirs if s.kind == 3]  # SPAN_KIND_CLIENT
    assert sql and all(s.parent_span_id == server.span_id for s in sql)
    known = set(ours) | {int.from_bytes(s.span_id, "big") for s in theirs}
    for span in theirs:
        assert int.from_bytes(span.parent_span_id, "big") in known  # one connected tree
    provider.shutdown()


def _parent(span: Any) -> int | None:
    return span.parent.span_id if span.parent is not None else None


def test_the_served_gateway_logs_each_client_mistake_as_one_line_with_its_ids(
    served_gateway: tuple[str, Path], linked: ServerAddress
) -> None:
    import asyncio

    url, log_file = served_gateway
    person = asyncio.run(_person_known_to(linked, "health"))
    lead = token_headers(
        "manchester-city-council", "safeguarding_lead", "SAFEGUARDING", **LEAD_HEADERS
    )
    landlord = token_headers("one-manchester", "housing_officer", "EARLY_HELP")
    cases = {
        "bad id": (HEALTH, {"id": "not-an-id"}, lead, "BAD_USER_INPUT"),
        "bad query": ("{ nope }", None, lead, "GRAPHQL_VALIDATION_FAILED"),
        "denied field": (
            "query ($id: ID!) { person(id: $id) { health { nhsNumber } } }",
            {"id": person},
            landlord,
            "FORBIDDEN_BY_POLICY",
        ),
        "bad token": (HEALTH, {"id": person}, {"authorization": "Bearer forged"}, "TOKEN_INVALID"),
        "no purpose": (HEALTH, {"id": person}, {"authorization": lead["authorization"]}, None),
    }
    answers: dict[str, httpx.Response] = {}
    for name, (query, variables, headers, _) in cases.items():
        answers[name] = httpx.post(
            f"{url}/graphql",
            json={"query": query, "variables": variables},
            headers={**headers, "traceparent": TRACEPARENT},
            timeout=30,
        )
    metrics = httpx.get(f"{url}/metrics", timeout=10)
    time.sleep(0.3)
    text = log_file.read_text()
    assert "Traceback" not in text, text
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    for name, (_, _, _, code) in cases.items():
        request_id = answers[name].headers["x-request-id"]
        mine = [line for line in lines if line.get("request_id") == request_id]
        events = [line["event"] for line in mine]
        assert events[-1] == "request" and events.count("request") == 1, (name, mine)
        errors = [line for line in mine if line["event"] == "client_error"]
        assert len(errors) == 1, (name, mine)
        if code is not None:
            assert errors[0]["code"] == code, (name, errors)
        assert all(line["trace_id"] == TRACE_ID for line in mine), name
        assert all(line["service"] == "gateway" for line in mine), name
        assert all("exception" not in line for line in mine), name
    assert "not-an-id" not in text  # a client's values are not logged
    found = samples(metrics.text)
    refused = {"operation": "unknown", "outcome": "refused"}  # refused before parsing
    assert value(found, "mesh_gateway_requests_total", **refused) == 1
