"""How the engine reports what it does: Prometheus metrics, OpenTelemetry spans and one log
line per request, each optional and each costing nothing when off.

:class:`Telemetry` is what a deployment hands the pipeline (``Telemetry()`` is all off: tests,
benchmarks of the bare engine). The engine's spans: the request (continuing the client's
``traceparent``), each stage (``graphql.parse``, ``graphql.validate``, ``graphql.authorize``,
``graphql.plan``, ``graphql.execute`` with a ``fetch <subgraph>`` per fetch, ``graphql.shape``,
``graphql.finish``); a policy adds its own through :meth:`Telemetry.span`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import structlog
from opentelemetry import propagate
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import SpanKind

from mesh.federation.execute.transport import Transport
from mesh.federation.observe.metrics import CACHES, CacheStats, EngineMetrics
from mesh.federation.observe.request import RequestObservation
from mesh.federation.observe.transport import ObservedTransport
from telemetry import trace_id_of, untraced_span

__all__ = [
    "CACHES",
    "CacheStats",
    "EngineMetrics",
    "ObservedTransport",
    "RequestObservation",
    "Telemetry",
]

TRACER_NAME = "mesh.federation"
LOGGER = "mesh.federation"
_NOTHING: AbstractContextManager[object] = nullcontext()
MAX_CLIENT_ID = 128


class Telemetry:
    """Metrics (``metrics`` None: none), traces (``tracer_provider`` None: off) and request
    log lines (``log`` False: silent) for one served graph, kept across supergraph reloads."""

    def __init__(
        self,
        *,
        metrics: EngineMetrics | None = None,
        tracer_provider: TracerProvider | None = None,
        log: bool = False,
    ) -> None:
        self.metrics = metrics
        self.tracer_provider = tracer_provider
        self.tracer = tracer_provider.get_tracer(TRACER_NAME) if tracer_provider else None
        self.log: structlog.stdlib.BoundLogger | None = (
            structlog.get_logger(LOGGER) if log else None
        )

    def cache(self, name: str) -> CacheStats:
        """The counts a cache keeps: shared with the metrics, else the cache's own."""
        if self.metrics is not None and name in self.metrics.caches:
            return self.metrics.caches[name]
        return CacheStats()

    def span(
        self, name: str, attributes: Mapping[str, Any] | None = None
    ) -> AbstractContextManager[object]:
        """A child span of the current one while the block runs; nothing when tracing is off."""
        if self.tracer is None:
            return _NOTHING
        return self.tracer.start_as_current_span(name, attributes=attributes)

    def transport(self, inner: Transport) -> Transport:
        """``inner`` with each fetch observed (itself when there is nothing to observe)."""
        if self.metrics is None and self.tracer is None:
            return inner
        return ObservedTransport(inner, self)

    @contextmanager
    def request(self, headers: Mapping[str, str]) -> Iterator[RequestObservation]:
        """The request's span (a child of the client's ``traceparent``) and log context."""
        seen = RequestObservation(self.metrics, self.log)
        if self.log is not None:
            seen.client_request_id = headers.get("x-request-id", "")[:MAX_CLIENT_ID]
        if self.tracer is not None:
            with self.tracer.start_as_current_span(
                "graphql",
                context=propagate.extract(headers),
                kind=SpanKind.SERVER,
                attributes={"mesh.request_id": seen.request_id},
            ) as span:
                seen.span = span
                with self._log_context(seen, trace_id_of(span)):
                    yield seen
        elif self.log is not None:
            trace_id = trace_id_of(untraced_span(propagate.extract(headers)))
            with self._log_context(seen, trace_id):
                yield seen
        else:
            yield seen

    def _log_context(
        self, seen: RequestObservation, trace_id: str | None
    ) -> AbstractContextManager[object]:
        if self.log is None:
            return _NOTHING
        ids = {"request_id": seen.request_id, "trace_id": trace_id}
        client_id = seen.client_request_id
        if client_id:
            ids["client_request_id"] = client_id
        return structlog.contextvars.bound_contextvars(**ids)

    def shutdown(self) -> None:
        """Flush spans still queued for export."""
        if self.tracer_provider is not None:
            self.tracer_provider.shutdown()
