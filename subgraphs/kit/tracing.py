"""OpenTelemetry traces for a subgraph: a span per request, continuing the caller's W3C
``traceparent``, and a span per SQL statement under it.

Off by default (see :mod:`telemetry.tracing` for the variables that switch it on). Off, a
request still carries a trace id, the caller's or a new one, so that every log line has one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Span, SpanKind

from telemetry import trace_id_of, tracer_provider_from_env, untraced_span

__all__ = ["TRACER_NAME", "SubgraphTracing", "trace_id_of", "tracer_provider_from_env"]

TRACER_NAME = "civic_mesh.subgraph"


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
        span = untraced_span(parent)
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
