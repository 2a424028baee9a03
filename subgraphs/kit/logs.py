"""Structured (JSON) logs for subgraphs, via structlog: one line per event, each carrying the
service, and inside a request its request id and trace id (bound as context variables, so the
lines of libraries such as uvicorn and asyncpg carry them too).

A client's mistake (a malformed id, an invalid query, a bad representation) is one line with
its code and no traceback: it is not the subgraph's fault. A real fault keeps its traceback.
"""

import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO

import structlog
from graphql import GraphQLError

_SHARED: list[structlog.types.Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]
LOGGER = "civic_mesh.subgraph"


def configure_logging(
    service: str, level: str = "INFO", stream: TextIO | None = None
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
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(LOGGER)
    return logger


@contextmanager
def request_log_context(service: str, request_id: str, trace_id: str | None) -> Iterator[None]:
    """Every line logged while handling the request carries these ids."""
    with structlog.contextvars.bound_contextvars(
        service=service, request_id=request_id, trace_id=trace_id
    ):
        yield


# Codes a client's request earns; anything else coming out of a resolver is our fault.
_OPERATIONAL = {"DATABASE_UNAVAILABLE"}


def log_graphql_errors(errors: Iterable[GraphQLError]) -> None:
    log = structlog.get_logger(LOGGER)
    for error in errors:
        original = error.original_error
        code = (error.extensions or {}).get("code")
        if isinstance(original, GraphQLError):
            code = code or (original.extensions or {}).get("code")
        path = ".".join(str(p) for p in error.path) if error.path else None
        if original is None or isinstance(original, GraphQLError):
            if code in _OPERATIONAL:
                log.warning("unavailable", code=code, message=error.message, path=path)
            else:
                log.info(
                    "client_error", code=code or "BAD_REQUEST", message=error.message, path=path
                )
        else:
            log.error(
                "resolver_fault",
                message=error.message,
                path=path,
                exc_info=(type(original), original, original.__traceback__),
            )
