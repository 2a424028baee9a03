"""The federation engine behind the pipeline's engine interface, for one loaded supergraph.

Progressive ``@override(label: "percent(N)")`` is decided per request here: each percentage
label is on with its probability, and the labels on are part of the plan's cache key.
"""

from __future__ import annotations

import random
import re
from collections.abc import Hashable, Mapping
from typing import Any

from graphql import DocumentNode, GraphQLSchema

from mesh.federation.access import AccessRules
from mesh.federation.errors import QueryPlanningFailed
from mesh.federation.execute import ExecutionOutcome, Transport, execute_plan, shape_response
from mesh.federation.execute.shape import FieldReader
from mesh.federation.pipeline import ExecutionOutcome as Outcome
from mesh.federation.pipeline import FetchHeaders
from mesh.federation.plan import PlanningError, QueryPlan, plan_operation
from mesh.federation.supergraph import Supergraph

_PERCENT = re.compile(r"^percent\((\d+(?:\.\d+)?)\)$")


def percent_labels(supergraph: Supergraph) -> dict[str, float]:
    """Every ``percent(N)`` override label in the supergraph, with its share (0..1)."""
    found: dict[str, float] = {}
    for type_info in supergraph.types.values():
        for field_info in type_info.fields.values():
            for resolution in field_info.subgraphs.values():
                label = resolution.override_label
                match = _PERCENT.match(label or "")
                if label and match:
                    found[label] = min(float(match.group(1)), 100.0) / 100.0
    return found


class FederatedEngine:
    """Plans over a supergraph, fetches over a transport, shapes against ``api_schema`` (by
    default the supergraph's; a deployment may serve a stricter contract of it)."""

    def __init__(
        self,
        supergraph: Supergraph,
        transport: Transport,
        *,
        api_schema: GraphQLSchema | None = None,
        labels: frozenset[str] = frozenset(),
        draw: random.Random | None = None,
    ) -> None:
        self.supergraph = supergraph
        self.transport = transport
        self._api_schema = api_schema or supergraph.api_schema
        self.labels = labels  # custom labels switched on by the deployment
        self._percent = percent_labels(supergraph)
        self._draw = draw or random.Random()
        self._access_rules = AccessRules.of(supergraph, self._api_schema)

    @property
    def api_schema(self) -> GraphQLSchema:
        return self._api_schema

    def access_rules(self) -> AccessRules:
        return self._access_rules

    def plan_variant(self) -> Hashable:
        """The override labels on for this request (percentages drawn now)."""
        drawn = {label for label, share in self._percent.items() if self._draw.random() < share}
        return self.labels | frozenset(drawn)

    def plan(
        self, document: DocumentNode, operation_name: str | None, variant: Hashable = None
    ) -> QueryPlan:
        labels = variant if isinstance(variant, frozenset) else self.labels
        try:
            return plan_operation(self.supergraph, document, operation_name, override_labels=labels)
        except PlanningError as error:
            raise QueryPlanningFailed(
                error.message, extensions={"path": list(error.path)} if error.path else None
            ) from None

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
        field_reader: FieldReader | None,
    ) -> dict[str, Any]:
        fetched = outcome if isinstance(outcome, ExecutionOutcome) else ExecutionOutcome()
        return shape_response(
            self.api_schema, document, operation_name, variables, fetched, field_reader
        )
