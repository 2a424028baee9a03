"""The civic gateway's telemetry: the engine's metrics, traces and logs (mesh.federation.observe)
plus what only governance knows — policy decisions by effect, opt-out withholdings, and the
audit append's latency and failures — in one Prometheus registry served at ``/metrics``.

Labels are bounded: an effect (allow, mask, deny). Never a person, an id or a coordinate.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import CollectorRegistry, Counter, Histogram

from authz.model import Decision, Effect
from mesh.federation.observe import EngineMetrics, Telemetry
from telemetry import LATENCY_BUCKETS, configure_logging, tracer_provider_from_env

SERVICE = "gateway"
LOGGER = "civic_mesh.gateway"
_EFFECTS = tuple(effect for effect in Effect)


class GovernanceMetrics:
    """Counters the sharing rules add to the engine's."""

    def __init__(self, registry: CollectorRegistry) -> None:
        decisions = Counter(
            "mesh_gateway_policy_decisions",
            "Field decisions by effect (one per schema coordinate an operation touches).",
            ["effect"],
            registry=registry,
        )
        self._by_effect = {effect: decisions.labels(effect.value.lower()) for effect in _EFFECTS}
        self.opt_out_withheld = Counter(
            "mesh_gateway_opt_out_withheld",
            "Values withheld under the national data opt-out.",
            registry=registry,
        )
        self.audit_latency = Histogram(
            "mesh_gateway_audit_append_seconds",
            "Time for an audit record to be durable (group commit included).",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.audit_failures = Counter(
            "mesh_gateway_audit_append_failures",
            "Audit appends that failed (the request was refused: fail closed).",
            registry=registry,
        )

    def decided(self, decisions: Iterable[Decision]) -> None:
        counts = dict.fromkeys(_EFFECTS, 0)
        for decision in decisions:
            counts[decision.effect] += 1
        for effect, count in counts.items():
            if count:
                self._by_effect[effect].inc(count)

    def withheld(self, count: int) -> None:
        if count:
            self.opt_out_withheld.inc(count)

    @contextmanager
    def audit_append(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        except BaseException:
            self.audit_failures.inc()
            raise
        finally:
            self.audit_latency.observe(time.perf_counter() - started)


class GatewayTelemetry:
    """Everything the served gateway reports (one registry), kept across supergraph reloads."""

    def __init__(
        self,
        *,
        registry: CollectorRegistry | None = None,
        tracer_provider: TracerProvider | None = None,
        log: bool = False,
    ) -> None:
        self.registry = registry or CollectorRegistry(auto_describe=True)
        self.engine = Telemetry(
            metrics=EngineMetrics(self.registry), tracer_provider=tracer_provider, log=log
        )
        self.governance = GovernanceMetrics(self.registry)

    @classmethod
    def served(cls, *, log_level: str = "INFO") -> GatewayTelemetry:
        """As a deployment runs it: metrics on, JSON logs, traces when the environment says."""
        configure_logging(SERVICE, log_level, logger=LOGGER)
        return cls(tracer_provider=tracer_provider_from_env(SERVICE), log=True)

    def shutdown(self) -> None:
        """Flush spans still queued for export."""
        self.engine.shutdown()
