"""What the pipeline needs from a federation engine: plan, execute, shape. Any planner and
executor that offer these plug in (the pipeline imports none of them)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Any, Protocol

from cachetools import LRUCache
from graphql import DocumentNode, GraphQLSchema

from mesh.federation.access import AccessRules
from mesh.federation.execute.shape import FieldReader
from mesh.federation.observe.metrics import CacheStats

FetchHeaders = Callable[[str, bytes], Awaitable[Mapping[str, str]]]
"""The headers of one subgraph request, given the subgraph's name and the exact request body:
a policy can bind what it sends to that one request (a context signed over the body). The
transport calls it once per request, after serialising the body."""


class ExecutionOutcome(Protocol):
    data: dict[str, Any]
    errors: list[dict[str, Any]]


class QueryEngine(Protocol):
    @property
    def api_schema(self) -> GraphQLSchema: ...

    def access_rules(self) -> AccessRules:
        """Which fields ``@authenticated``/``@requiresScopes``/``@policy`` guard."""
        ...

    def plan_variant(self) -> Hashable:
        """What, beside the operation and the policy's decision, this request's plan depends
        on (e.g. which progressive-override labels are on); part of the plan's cache key."""
        ...

    def plan(self, document: DocumentNode, operation_name: str | None, variant: Hashable) -> object:
        """A plan for one operation of a validated document (raise QueryPlanningFailed)."""
        ...

    async def execute(
        self, plan: object, variables: Mapping[str, Any], headers: FetchHeaders
    ) -> ExecutionOutcome: ...

    def shape(
        self,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any],
        outcome: ExecutionOutcome | None,
        field_reader: FieldReader | None,
    ) -> dict[str, Any]:
        """The client's answer from fetched data (None: no data was fetched)."""
        ...


class PlanCache:
    """Plans per (query text, operation name, decision): one cache whatever the policy.

    Counts hits and misses and keeps the planning time of the latest misses, for
    :meth:`summary` (a gateway's ``/stats``, the bench)."""

    def __init__(
        self, engine: QueryEngine, size: int = 2_048, stats: CacheStats | None = None
    ) -> None:
        self.engine = engine
        self._plans: LRUCache[tuple[str, str | None, Hashable, Hashable], object] = LRUCache(
            max(size, 1)
        )
        self.stats = stats or CacheStats()
        self.planning_seconds: deque[float] = deque(maxlen=4_096)

    @property
    def hits(self) -> int:
        return self.stats.hits

    @property
    def misses(self) -> int:
        return self.stats.misses

    def summary(self) -> dict[str, Any]:
        looked_up = self.hits + self.misses
        timings = sorted(self.planning_seconds)

        def percentile(share: float) -> float | None:
            if not timings:
                return None
            return round(timings[min(int(share * len(timings)), len(timings) - 1)] * 1000, 3)

        return {
            "hits": self.hits,
            "misses": self.misses,
            "hit_rate": round(self.hits / looked_up, 4) if looked_up else None,
            "cached_plans": len(self._plans),
            "planning_ms": {
                "p50": percentile(0.5),
                "p90": percentile(0.9),
                "max": round(timings[-1] * 1000, 3) if timings else None,
                "samples": len(timings),
            },
        }

    def plan(
        self,
        query: str,
        operation_name: str | None,
        plan_key: Hashable,
        document: Callable[[], DocumentNode],
        variant: Hashable = None,
    ) -> object:
        """The cached plan, else one planned from ``document()`` — made only on a miss, since
        a policy's rewrite of the document (pruning, its own selections) costs a walk."""
        key = (query, operation_name, plan_key, variant)
        plan = self._plans.get(key)
        if plan is None:
            self.stats.misses += 1
            began = time.perf_counter()
            plan = self._plans[key] = self.engine.plan(document(), operation_name, variant)
            self.planning_seconds.append(time.perf_counter() - began)
        else:
            self.stats.hits += 1
        return plan
