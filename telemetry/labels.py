"""Prometheus label values that stay bounded, shared by the gateway and every subgraph.

An operation name is a label only when it is a GraphQL name and one of the first
:data:`MAX_OPERATION_NAMES` seen; any other counts as ``other``. Outcomes come from a fixed
set. No id, person or query text is ever a label.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from graphql import GraphQLError, OperationDefinitionNode, parse

MAX_OPERATION_NAMES = 200
OUTCOMES = ("ok", "error", "refused", "bad_request", "fault")
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,99}$")


class OperationNames:
    """The operation-name label: the name itself for the first names seen, else ``other``."""

    def __init__(self, limit: int = MAX_OPERATION_NAMES) -> None:
        self.limit = limit
        self._names: set[str] = set()
        self._lock = threading.Lock()

    def label(self, name: str) -> str:
        if name in self._names:  # the hot path: a known name, no lock
            return name
        if not _NAME.match(name):
            return "other"
        with self._lock:
            if name in self._names:
                return name
            if len(self._names) >= self.limit:
                return "other"
            self._names.add(name)
            return name


def outcome_of(status: int, has_errors: bool) -> str:
    """A response's outcome label from its HTTP status and whether it carries errors."""
    if status in (401, 403):
        return "refused"
    if status >= 500:
        return "fault"
    if status >= 400:
        return "bad_request"
    return "error" if has_errors else "ok"


@lru_cache(maxsize=1024)
def operation_of(query: str, operation_name: str | None) -> str:
    """The operation's name as the document gives it (``anonymous`` when it has none,
    ``invalid`` when it does not parse). Cached: callers send the same texts over again."""
    try:
        document = parse(query)
    except GraphQLError:
        return "invalid"
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    for operation in operations:
        name = operation.name.value if operation.name else None
        if operation_name is None or name == operation_name:
            return name or "anonymous"
    return "invalid"
