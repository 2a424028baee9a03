"""What the pipeline needs from a federation engine: plan, execute, shape. Any planner and
executor that offer these plug in (the pipeline imports none of them)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, Protocol

from cachetools import LRUCache
from graphql import DocumentNode, GraphQLFieldResolver, GraphQLSchema

from mesh.federation.access import AccessRules


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
        self, plan: object, variables: Mapping[str, Any], headers: Mapping[str, str]
    ) -> ExecutionOutcome: ...

    def shape(
        self,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any],
        outcome: ExecutionOutcome | None,
        field_resolver: GraphQLFieldResolver | None,
    ) -> dict[str, Any]:
        """The client's answer from fetched data (None: no data was fetched)."""
        ...


class PlanCache:
    """Plans per (query text, operation name, decision): one cache whatever the policy."""

    def __init__(self, engine: QueryEngine, size: int = 2_048) -> None:
        self.engine = engine
        self._plans: LRUCache[tuple[str, str | None, Hashable, Hashable], object] = LRUCache(
            max(size, 1)
        )
        self.hits = 0
        self.misses = 0

    def plan(
        self,
        query: str,
        operation_name: str | None,
        plan_key: Hashable,
        document: DocumentNode,
        variant: Hashable = None,
    ) -> object:
        key = (query, operation_name, plan_key, variant)
        plan = self._plans.get(key)
        if plan is None:
            self.misses += 1
            plan = self._plans[key] = self.engine.plan(document, operation_name, variant)
        else:
            self.hits += 1
        return plan
