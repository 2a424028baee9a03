"""The subgraph kit's metrics labels, log lines and tracing switch, without a database."""

from __future__ import annotations

import io
import json

import pytest
from graphql import GraphQLError
from opentelemetry.sdk.trace import TracerProvider

from subgraphs.kit.ids import MalformedId
from subgraphs.kit.logs import configure_logging, log_graphql_errors, request_log_context
from subgraphs.kit.metrics import MAX_OPERATION_NAMES, SubgraphMetrics, operation_of
from subgraphs.kit.tracing import SubgraphTracing, trace_id_of, tracer_provider_from_env


def test_operation_names_are_read_from_the_document() -> None:
    assert operation_of("query Household__health__0 { a }", None) == "Household__health__0"
    assert operation_of("{ a }", None) == "anonymous"
    assert operation_of("query A { a } query B { b }", "B") == "B"
    assert operation_of("query A { a }", "Nope") == "invalid"
    assert operation_of("query {", None) == "invalid"


def test_operation_labels_are_bounded() -> None:
    metrics = SubgraphMetrics("health")
    labels = {metrics.operation_label(f"Op{n}") for n in range(MAX_OPERATION_NAMES + 50)}
    assert len(labels) == MAX_OPERATION_NAMES + 1 and "other" in labels
    assert metrics.operation_label("Op0") == "Op0"  # known names keep their label
    assert SubgraphMetrics("x").operation_label("mp_0123 or 1=1") == "other"


def logged(errors: list[GraphQLError]) -> list[dict[str, object]]:
    stream = io.StringIO()
    configure_logging("health", "INFO", stream)
    with request_log_context("health", "req-7", "ab" * 16):
        log_graphql_errors(errors)
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_client_error_is_one_line_without_a_traceback() -> None:
    located = GraphQLError(
        "malformed person id 'x'", path=["_entities", 0], original_error=MalformedId("bad")
    )
    (line,) = logged([located, GraphQLError("Cannot query field 'nope' on type 'Query'.")])[:1]
    assert line["event"] == "client_error" and line["code"] == "BAD_USER_INPUT"
    assert line["path"] == "_entities.0" and "exception" not in line
    assert line["request_id"] == "req-7" and line["trace_id"] == "ab" * 16
    assert line["service"] == "health"


def test_a_real_fault_keeps_its_traceback() -> None:
    try:
        empty: dict[str, int] = {}
        empty["missing"]  # a resolver's bug
    except KeyError as error:
        fault = GraphQLError("'missing'", original_error=error)
    (line,) = logged([fault])
    assert line["event"] == "resolver_fault" and line["level"] == "error"
    assert "Traceback" in str(line["exception"]) and "KeyError" in str(line["exception"])


def test_tracing_is_off_unless_an_endpoint_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    assert tracer_provider_from_env("health") is None
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "health-east")
    provider = tracer_provider_from_env("health")
    assert isinstance(provider, TracerProvider)
    assert provider.resource.attributes["service.name"] == "health-east"
    provider.shutdown()
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert tracer_provider_from_env("health") is None


def test_off_a_request_still_has_the_callers_trace_id_or_a_new_one() -> None:
    tracing = SubgraphTracing("health", None)
    caller = {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
    with tracing.request(caller, "graphql Op", {}) as span:
        assert trace_id_of(span) == "4bf92f3577b34da6a3ce929d0e0e4736"
        assert not span.is_recording()
    with tracing.request({}, "graphql Op", {}) as first, tracing.request({}, "x", {}) as second:
        assert trace_id_of(first) and trace_id_of(first) != trace_id_of(second)
    with tracing.request({"traceparent": "garbage"}, "graphql Op", {}) as span:
        assert trace_id_of(span) is not None
