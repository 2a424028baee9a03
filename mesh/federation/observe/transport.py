"""A transport that observes each subgraph fetch: its latency and outcome in the metrics, a
client span around it whose context travels to the subgraph in ``traceparent`` (so the
subgraph's spans are its children)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from opentelemetry import propagate
from opentelemetry.trace import SpanKind, Status, StatusCode

from mesh.federation.execute.faults import SubgraphFault, SubgraphTimeout, SubgraphUnavailable
from mesh.federation.execute.transport import Headers, Transport
from telemetry import operation_of

if TYPE_CHECKING:
    from mesh.federation.observe import Telemetry


def _fault_outcome(exc: BaseException) -> str:
    if isinstance(exc, SubgraphTimeout):
        return "timeout"
    if isinstance(exc, SubgraphUnavailable):
        return "unavailable"
    return "bad_response"


def _traced(headers: Headers | None) -> Headers:
    """``headers`` plus ``traceparent`` of the current span (the subgraph's parent)."""
    trace: dict[str, str] = {}
    propagate.inject(trace)
    if callable(headers):
        made = headers

        async def traced(subgraph: str, body: bytes) -> Mapping[str, str]:
            return {**await made(subgraph, body), **trace}

        return traced
    return {**(headers or {}), **trace}


class ObservedTransport:
    """Wraps the engine's transport; the executor sees the same one-method interface."""

    def __init__(self, inner: Transport, telemetry: Telemetry) -> None:
        self.inner = inner
        self.metrics = telemetry.metrics
        self.tracer = telemetry.tracer

    async def post(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Headers | None,
    ) -> dict[str, Any]:
        if self.tracer is None:
            return await self._timed(subgraph, query, variables, headers)
        attributes = {
            "mesh.subgraph": subgraph,
            "graphql.operation.name": operation_of(query, None),
        }
        with self.tracer.start_as_current_span(
            f"fetch {subgraph}", kind=SpanKind.CLIENT, attributes=attributes
        ) as span:
            try:
                payload = await self._timed(subgraph, query, variables, _traced(headers))
            except Exception as exc:
                code = exc.code if isinstance(exc, SubgraphFault) else "SUBGRAPH_ERROR"
                span.set_attribute("mesh.fetch.outcome", _fault_outcome(exc))
                span.set_status(Status(StatusCode.ERROR, code))
                raise
            if payload.get("errors"):
                span.set_attribute("mesh.fetch.outcome", "error")
            return payload

    async def _timed(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Headers | None,
    ) -> dict[str, Any]:
        metrics = self.metrics
        if metrics is None:
            return await self.inner.post(subgraph, query, variables, headers)
        started = time.perf_counter()
        try:
            payload = await self.inner.post(subgraph, query, variables, headers)
        except BaseException as exc:
            metrics.observe_fetch(subgraph, _fault_outcome(exc), time.perf_counter() - started)
            raise
        outcome = "error" if payload.get("errors") else "ok"
        metrics.observe_fetch(subgraph, outcome, time.perf_counter() - started)
        return payload
