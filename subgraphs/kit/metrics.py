"""A subgraph's Prometheus metrics, served at ``/metrics``.

Labels are bounded: the subgraph's name, an outcome from a fixed set, and the operation name,
which the gateway derives from its client's operation (``Household__health__0``): names that
are not GraphQL names, and any past the first :data:`MAX_OPERATION_NAMES`, count as ``other``.
No id, person or query text is ever a label.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from telemetry import LATENCY_BUCKETS, MAX_OPERATION_NAMES, OUTCOMES, OperationNames, operation_of

__all__ = ["MAX_OPERATION_NAMES", "OUTCOMES", "SubgraphMetrics", "operation_of"]

_BATCH_BUCKETS = (1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)


class SubgraphMetrics:
    """The metrics of one subgraph app, in a registry of its own (tests build several apps in
    one process; a deployment runs one per process)."""

    def __init__(self, subgraph: str) -> None:
        self.subgraph = subgraph
        self.registry = CollectorRegistry(auto_describe=True)
        self._operations = OperationNames()
        self.requests = Counter(
            "mesh_subgraph_requests",
            "GraphQL requests by operation name and outcome.",
            ["subgraph", "operation", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "mesh_subgraph_request_seconds",
            "Time to answer a GraphQL request.",
            ["subgraph", "operation"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.entities_batch = Histogram(
            "mesh_subgraph_entities_batch_size",
            "Representations in one _entities call.",
            ["subgraph"],
            buckets=_BATCH_BUCKETS,
            registry=self.registry,
        )
        self.sql = Histogram(
            "mesh_subgraph_sql_seconds",
            "Time of each SQL statement the subgraph issues, by outcome (ok or error).",
            ["subgraph", "outcome"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.pool = Gauge(
            "mesh_subgraph_pool_connections",
            "Connections in the pool: in_use, idle, and max (the configured ceiling).",
            ["subgraph", "state"],
            registry=self.registry,
        )

    def operation_label(self, name: str) -> str:
        return self._operations.label(name)

    def observe_request(self, operation: str, outcome: str, seconds: float) -> None:
        label = self.operation_label(operation)
        self.requests.labels(self.subgraph, label, outcome).inc()
        self.latency.labels(self.subgraph, label).observe(seconds)

    def observe_sql(self, seconds: float, ok: bool) -> None:
        self.sql.labels(self.subgraph, "ok" if ok else "error").observe(seconds)

    def observe_entities(self, representations: int) -> None:
        self.entities_batch.labels(self.subgraph).observe(representations)

    def set_pool(self, *, in_use: int, idle: int, maximum: int) -> None:
        self.pool.labels(self.subgraph, "in_use").set(in_use)
        self.pool.labels(self.subgraph, "idle").set(idle)
        self.pool.labels(self.subgraph, "max").set(maximum)
