"""Query planning: split a client operation into fetches, one per subgraph per entity level."""

from mesh.plan.model import FetchNode, QueryPlan
from mesh.plan.planner import PlanningError, plan_operation

__all__ = ["FetchNode", "PlanningError", "QueryPlan", "plan_operation"]
