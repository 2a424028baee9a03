"""OpenTelemetry set-up shared by the gateway and the subgraphs.

Off by default: a provider exists only when the standard variables ask for one
(``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, OTLP over HTTP;
``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_SDK_DISABLED`` as usual). Off, a
request still carries a trace id, its caller's or a new one, so that every log line has one.
"""

from __future__ import annotations

import os
import secrets

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import NonRecordingSpan, Span, SpanContext, TraceFlags


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


def untraced_span(parent: Context) -> NonRecordingSpan:
    """A span that records nothing but carries the caller's trace id (from ``parent``, an
    extracted ``traceparent``) or a new one: log lines keep a trace id with tracing off."""
    caller = trace.get_current_span(parent).get_span_context()
    return NonRecordingSpan(
        SpanContext(
            trace_id=caller.trace_id if caller.is_valid else secrets.randbits(128) or 1,
            span_id=secrets.randbits(64) or 1,
            is_remote=False,
            trace_flags=caller.trace_flags if caller.is_valid else TraceFlags(0),
        )
    )
