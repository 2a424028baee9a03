"""Today's composition, planner and executor (mesh/compose, plan, execute) behind the
pipeline's engine interface, until the new federation engine replaces them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import DocumentNode, GraphQLFieldResolver, GraphQLSchema

from mesh.compose import Supergraph
from mesh.execute import ExecutionOutcome, SubgraphTransport, execute_plan
from mesh.execute.response import shape_response
from mesh.federation.errors import QueryPlanningFailed
from mesh.federation.pipeline import ExecutionOutcome as Outcome
from mesh.federation.pipeline import FetchHeaders
from mesh.plan import PlanningError, QueryPlan, plan_operation


class ComposedEngine:
    """Plans over a composed :class:`Supergraph`, fetches over a :class:`SubgraphTransport`."""

    def __init__(self, supergraph: Supergraph, transport: SubgraphTransport) -> None:
        self.supergraph = supergraph
        self.transport = transport

    @property
    def api_schema(self) -> GraphQLSchema:
        return self.supergraph.client_schema

    def plan(self, document: DocumentNode, operation_name: str | None) -> QueryPlan:
        try:
            return plan_operation(self.supergraph, document, operation_name)
        except PlanningError as error:
            raise QueryPlanningFailed(str(error)) from None

    async def execute(
        self, plan: object, variables: Mapping[str, Any], headers: FetchHeaders
    ) -> Outcome:
        assert isinstance(plan, QueryPlan)
        return await execute_plan(plan, self.transport, variables, headers)

    def shape(
        self,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any],
        outcome: Outcome | None,
        field_resolver: GraphQLFieldResolver | None,
    ) -> dict[str, Any]:
        fetched = outcome if isinstance(outcome, ExecutionOutcome) else ExecutionOutcome()
        return shape_response(
            self.api_schema, document, operation_name, variables, fetched, field_resolver
        )
