"""The query planner: a query graph over the supergraph, searched for the cheapest plan."""

from mesh.federation.plan.describe import describe_plan, explain_operation, plan_to_json
from mesh.federation.plan.errors import PlanningError
from mesh.federation.plan.nodes import (
    ConditionNode,
    EntityInput,
    EntityTarget,
    FetchNode,
    InputField,
    InputSelection,
    OutputRewrite,
    ParallelNode,
    PlanNode,
    QueryPlan,
    SequenceNode,
)
from mesh.federation.plan.planner import plan_operation

__all__ = [
    "ConditionNode",
    "EntityInput",
    "EntityTarget",
    "FetchNode",
    "InputField",
    "InputSelection",
    "OutputRewrite",
    "ParallelNode",
    "PlanNode",
    "PlanningError",
    "QueryPlan",
    "SequenceNode",
    "describe_plan",
    "explain_operation",
    "plan_operation",
    "plan_to_json",
]
