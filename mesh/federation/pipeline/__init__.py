"""The request pipeline: stages with typed hand-offs, one error channel, one policy hook."""

from mesh.federation.pipeline.document import DocumentLimits
from mesh.federation.pipeline.engine import (
    ExecutionOutcome,
    FetchHeaders,
    PlanCache,
    QueryEngine,
)
from mesh.federation.pipeline.operation import (
    PreparedOperation,
    is_introspection_only,
    may_be_schema_only,
)
from mesh.federation.pipeline.pipeline import Pipeline
from mesh.federation.pipeline.policy import Authorization, OpenPolicy, Policy, Unrestricted
from mesh.federation.pipeline.request import GraphQLRequest
from mesh.federation.pipeline.response import GraphQLResponse

__all__ = [
    "Authorization",
    "DocumentLimits",
    "ExecutionOutcome",
    "FetchHeaders",
    "GraphQLRequest",
    "GraphQLResponse",
    "OpenPolicy",
    "Pipeline",
    "PlanCache",
    "Policy",
    "PreparedOperation",
    "QueryEngine",
    "Unrestricted",
    "is_introspection_only",
    "may_be_schema_only",
]
