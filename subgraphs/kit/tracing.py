"""OpenTelemetry traces for a subgraph: a span per request, continuing the caller's W3C
``traceparent``, and a span per SQL statement under it.

Off by default: spans are recorded and exported only when the standard variables ask for it
(``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, OTLP over HTTP;
``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_SDK_DISABLED`` as usual). Off, a
request still carries a trace id, the caller's or a new one, so that every log line has one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import NonRecordingSpan, Span, SpanContext, SpanKind, TraceFlags

TRACER_NAME = "civic_mesh.subgraph"


def tracer_provider_from_env(service: str) -> TracerProvider | None:
    """An OTLP-exporting provider when the environment names an endpoint, else None."""
    env = os.environ
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    endpoints = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    if not any(env.get(variable) for variable in endpoints):
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    # OTEL_SERVICE_NAME, when set, wins over the default name (Resource.create reads it).
    attributes = {} if env.get("OTEL_SERVICE_NAME") else {"service.name": service}
    provider = TracerProvider(resource=Resource.create(attributes))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def trace_id_of(span: Span) -> str | None:
    context = span.get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


class SubgraphTracing:
    """Spans for one subgraph app; ``provider`` None means tracing is off."""

    def __init__(self, subgraph: str, provider: TracerProvider | None) -> None:
        self.subgraph = subgraph
        self.provider = provider
        self.tracer = provider.get_tracer(TRACER_NAME) if provider is not None else None

    @contextmanager
    def request(
        self, headers: Mapping[str, str], name: str, attributes: dict[str, Any]
    ) -> Iterator[Span]:
        """The request's span, a child of the caller's ``traceparent`` when there is one."""
        parent = propagate.extract(headers)
        if self.tracer is not None:
            with self.tracer.start_as_current_span(
                name, context=parent, kind=SpanKind.SERVER, attributes=attributes
            ) as span:
                yield span
            return
        # Off: nothing is recorded, but the request carries the caller's trace id or a new one.
        caller = trace.get_current_span(parent).get_span_context()
        span = NonRecordingSpan(
            SpanContext(
                trace_id=caller.trace_id if caller.is_valid else secrets.randbits(128) or 1,
                span_id=secrets.randbits(64) or 1,
                is_remote=False,
                trace_flags=caller.trace_flags if caller.is_valid else TraceFlags(0),
            )
        )
        with trace.use_span(span, end_on_exit=False):
            yield span

    @contextmanager
    def sql(self, statement: str, database: str) -> Iterator[None]:
        """A client span around one SQL statement (its text: static SQL, values never)."""
        if self.tracer is None:
            yield
            return
        operation = statement.split(None, 1)[0].upper() if statement.strip() else "SQL"
        with self.tracer.start_as_current_span(
            f"{operation} {database}",
            kind=SpanKind.CLIENT,
            attributes={
                "db.system.name": "postgresql",
                "db.namespace": database,
                "db.operation.name": operation,
                "db.query.text": statement,
            },
        ):
            yield

    def shutdown(self) -> None:
        if self.provider is not None:
            self.provider.shutdown()
