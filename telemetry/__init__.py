"""Metrics labels, trace set-up and structured logs shared by the gateway and the subgraphs.

Knows nothing of the mesh: the federation engine and the subgraph kit both build on it.
"""

from telemetry.labels import (
    LATENCY_BUCKETS,
    MAX_OPERATION_NAMES,
    OUTCOMES,
    OperationNames,
    operation_of,
    outcome_of,
)
from telemetry.logs import configure_logging, request_log_context
from telemetry.tracing import trace_id_of, tracer_provider_from_env, untraced_span

__all__ = [
    "LATENCY_BUCKETS",
    "MAX_OPERATION_NAMES",
    "OUTCOMES",
    "OperationNames",
    "configure_logging",
    "operation_of",
    "outcome_of",
    "request_log_context",
    "trace_id_of",
    "tracer_provider_from_env",
    "untraced_span",
]
