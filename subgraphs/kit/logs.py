"""Structured (JSON) logs for subgraphs, via structlog: one line per event, each carrying the
service, and inside a request its request id and trace id (bound as context variables, so the
lines of libraries such as uvicorn and asyncpg carry them too).

A client's mistake (a malformed id, an invalid query, a bad representation) is one line with
its code and no traceback: it is not the subgraph's fault. A real fault keeps its traceback.
"""

from collections.abc import Iterable
from typing import TextIO

import structlog
from graphql import GraphQLError

from telemetry import configure_logging as _configure_logging
from telemetry import request_log_context

__all__ = ["LOGGER", "configure_logging", "log_graphql_errors", "request_log_context"]

LOGGER = "civic_mesh.subgraph"


def configure_logging(
    service: str, level: str = "INFO", stream: TextIO | None = None
) -> structlog.stdlib.BoundLogger:
    """JSON lines to ``stream`` (stdout); see :func:`telemetry.configure_logging`."""
    return _configure_logging(service, level, stream, logger=LOGGER)


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
