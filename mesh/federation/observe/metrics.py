"""The engine's Prometheus metrics: requests by operation and outcome, their latency, each
subgraph fetch's latency and outcome, and the pipeline's cache hits and misses.

Cheap on the hot path: caches count in plain integers (:class:`CacheStats`) that a collector
reads only when ``/metrics`` is scraped; a request costs one counter and one histogram, a
fetch the same. Labels are bounded (see :mod:`telemetry.labels`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from telemetry import LATENCY_BUCKETS, OperationNames

PREFIX = "mesh_gateway"
CACHES = ("document", "validation", "plan", "introspection")
# A fetch's outcome: answered (ok), answered with GraphQL errors (error), or a fault.
FETCH_OUTCOMES = ("ok", "error", "timeout", "unavailable", "bad_response")


class CacheStats:
    """Hits and misses of one cache, as plain integers (no lock, no label look-up)."""

    __slots__ = ("hits", "misses")

    def __init__(self) -> None:
        self.hits = 0
        self.misses = 0


class _CacheCollector(Collector):
    def __init__(self, caches: Mapping[str, CacheStats]) -> None:
        self.caches = caches

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(
            f"{PREFIX}_cache_lookups",
            "Look-ups in the pipeline's caches (document, validation, plan, introspection).",
            labels=["cache", "result"],
        )
        for name, stats in self.caches.items():
            family.add_metric([name, "hit"], stats.hits)
            family.add_metric([name, "miss"], stats.misses)
        yield family


class EngineMetrics:
    """The engine's metrics in ``registry`` (one per served app, kept across reloads)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.operations = OperationNames()
        self.caches = {name: CacheStats() for name in CACHES}
        self.requests = Counter(
            f"{PREFIX}_requests",
            "GraphQL requests by operation name and outcome.",
            ["operation", "outcome"],
            registry=registry,
        )
        self.latency = Histogram(
            f"{PREFIX}_request_seconds",
            "Time to answer a GraphQL request, audit included.",
            ["operation"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.fetches = Counter(
            f"{PREFIX}_subgraph_fetches",
            "Subgraph fetches by outcome: ok, error (GraphQL errors), timeout, unavailable, "
            "bad_response.",
            ["subgraph", "outcome"],
            registry=registry,
        )
        self.fetch_latency = Histogram(
            f"{PREFIX}_subgraph_fetch_seconds",
            "Time of each subgraph fetch, faults included.",
            ["subgraph"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        registry.register(_CacheCollector(self.caches))
        # Each label set's (counter, histogram) children, looked up once: ``labels()`` takes
        # a lock. As bounded as the labels themselves.
        self._request_children: dict[tuple[str, str], tuple[Counter, Histogram]] = {}
        self._fetch_children: dict[tuple[str, str], tuple[Counter, Histogram]] = {}

    def observe_request(self, operation: str, outcome: str, seconds: float) -> None:
        children = self._request_children.get((operation, outcome))
        if children is None:
            label = self.operations.label(operation)
            children = self.requests.labels(label, outcome), self.latency.labels(label)
            if label == operation:  # names past the cap are not remembered either
                self._request_children[operation, outcome] = children
        children[0].inc()
        children[1].observe(seconds)

    def observe_fetch(self, subgraph: str, outcome: str, seconds: float) -> None:
        children = self._fetch_children.get((subgraph, outcome))
        if children is None:
            children = self.fetches.labels(subgraph, outcome), self.fetch_latency.labels(subgraph)
            self._fetch_children[subgraph, outcome] = children
        children[0].inc()
        children[1].observe(seconds)
