"""Structured (JSON) logs via structlog, shared by the gateway and the subgraphs: one line per
event, each carrying the service, and inside a request its request id and trace id (bound as
context variables, so the lines of libraries such as uvicorn and asyncpg carry them too)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

import structlog

# Libraries that log every HTTP call at INFO (the gateway's readiness checks, composition).
_CHATTY = ("httpx", "httpcore")
_SHARED: list[structlog.types.Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_logging(
    service: str, level: str = "INFO", stream: TextIO | None = None, *, logger: str
) -> structlog.stdlib.BoundLogger:
    """JSON lines to ``stream`` (stdout). Libraries' stdlib logging goes the same way when the
    process has no handlers of its own yet (a test runner's are left alone)."""
    stream = stream if stream is not None else sys.stdout
    numeric = logging.getLevelName(level.upper())
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
    )
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "civic_mesh", False)]
    if ours or not root.handlers:
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        handler.civic_mesh = True  # type: ignore[attr-defined]
        root.handlers = [h for h in root.handlers if h not in ours] + [handler]
        root.setLevel(numeric)
        for name in _CHATTY:
            logging.getLogger(name).setLevel(max(numeric, logging.WARNING))
    structlog.configure(
        processors=[
            *_SHARED,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    bound: structlog.stdlib.BoundLogger = structlog.get_logger(logger)
    return bound


@contextmanager
def request_log_context(service: str, request_id: str, trace_id: str | None) -> Iterator[None]:
    """Every line logged while handling the request carries these ids."""
    with structlog.contextvars.bound_contextvars(
        service=service, request_id=request_id, trace_id=trace_id
    ):
        yield
