"""One request as the engine observes it: its id, its span (or, tracing off, the trace id its
log lines carry), its operation's name, and at the end its count, latency and log lines.

Log lines (when the deployment asks for them): one ``request`` line per request, and one line
per distinct error in the answer — ``client_error`` (info) for the client's mistakes (bad
query, bad id, denied field, bad token), ``subgraph_fault`` (warning) when a subgraph could not
answer, ``request_failed`` (error) when the whole request failed on our side (e.g. the audit
log is down). None has a traceback: only a real fault (an exception, logged by the pipeline)
does. Messages that may echo the client's values (``BAD_USER_INPUT``) are not logged; their
code and path are.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import structlog
from opentelemetry.trace import Span, Status, StatusCode

from telemetry import outcome_of

if TYPE_CHECKING:
    from mesh.federation.pipeline.response import GraphQLResponse

SUBGRAPH_FAULTS = frozenset({"SUBGRAPH_UNAVAILABLE", "SUBGRAPH_TIMEOUT", "SUBGRAPH_ERROR"})
ECHOES_INPUT = frozenset({"BAD_USER_INPUT"})
MAX_ERROR_LINES = 20
MAX_MESSAGE = 300


class RequestObservation:
    """Filled in by the pipeline as the request goes; closed by :meth:`finish`."""

    __slots__ = (
        "client_request_id",
        "log",
        "metrics",
        "operation",
        "operation_type",
        "request_id",
        "span",
        "started",
    )

    def __init__(self, metrics: Any, log: structlog.stdlib.BoundLogger | None) -> None:
        self.metrics = metrics
        self.log = log
        self.request_id = str(uuid.uuid4())  # ours, unique (a client's id is only logged)
        self.client_request_id = ""
        self.operation = "unknown"  # until a parsed document names it
        self.operation_type: str | None = None
        self.span: Span | None = None
        self.started = time.perf_counter()

    def named(self, operation: str | None, operation_type: str) -> None:
        self.operation = operation or "anonymous"
        self.operation_type = operation_type
        if self.span is not None:
            self.span.update_name(f"{operation_type} {self.operation}")
            self.span.set_attribute("graphql.operation.name", self.operation)
            self.span.set_attribute("graphql.operation.type", operation_type)

    def finish(self, response: GraphQLResponse) -> None:
        seconds = time.perf_counter() - self.started
        status = response.http_status(True)
        outcome = outcome_of(status, "errors" in response.body)
        if self.metrics is not None:
            self.metrics.observe_request(self.operation, outcome, seconds)
        if self.span is not None:
            self.span.set_attribute("mesh.outcome", outcome)
            self.span.set_attribute("http.response.status_code", status)
            if status >= 500:
                self.span.set_status(Status(StatusCode.ERROR, outcome))
        if self.log is not None:
            self._log(response, status, outcome, seconds)

    def _log(self, response: GraphQLResponse, status: int, outcome: str, seconds: float) -> None:
        log = self.log
        assert log is not None
        errors = response.body.get("errors") or ()
        for line in _distinct_errors(errors):
            code = line["code"]
            if response.error is not None and status >= 500:
                log.error("request_failed", **line)
            elif code in SUBGRAPH_FAULTS:
                log.warning("subgraph_fault", **line)
            else:
                log.info("client_error", **line)
        log.info(
            "request",
            operation=self.operation,
            outcome=outcome,
            status=status,
            errors=len(errors),
            ms=round(seconds * 1000, 2),
        )


def _distinct_errors(errors: Any) -> list[dict[str, Any]]:
    """Errors as log fields, the same error at many paths (a field denied for every member of
    a household) one line with a count and its first path; at most MAX_ERROR_LINES lines."""
    lines: dict[tuple[str | None, ...], dict[str, Any]] = {}
    for error in errors if isinstance(errors, list) else ():
        if not isinstance(error, Mapping):
            continue
        extensions = error.get("extensions")
        extensions = extensions if isinstance(extensions, Mapping) else {}
        code = str(extensions.get("code") or "ERROR")
        subgraph = extensions.get("subgraph")
        coordinate = extensions.get("coordinate")
        message = None if code in ECHOES_INPUT else str(error.get("message", ""))[:MAX_MESSAGE]
        key = (code, str(subgraph), str(coordinate), message)
        line = lines.get(key)
        if line is not None:
            line["count"] = line.get("count", 1) + 1
            continue
        if len(lines) >= MAX_ERROR_LINES:
            continue
        line = {"code": code}
        if isinstance(subgraph, str):
            line["subgraph"] = subgraph
        if isinstance(coordinate, str):
            line["coordinate"] = coordinate
        if message is not None:
            line["message"] = message
        path = error.get("path")
        if isinstance(path, list):
            line["path"] = ".".join(str(p) for p in path)
        lines[key] = line
    return list(lines.values())
