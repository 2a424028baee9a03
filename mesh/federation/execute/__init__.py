"""Run a query plan against subgraphs and shape the client's response."""

from mesh.federation.execute.executor import ExecutionOutcome, execute_plan
from mesh.federation.execute.faults import (
    SubgraphBadResponse,
    SubgraphFault,
    SubgraphTimeout,
    SubgraphUnavailable,
)
from mesh.federation.execute.http import HttpTransport
from mesh.federation.execute.response import shape_response
from mesh.federation.execute.shape import FieldReader, read_by_response_key
from mesh.federation.execute.transport import InProcessTransport, RoutingTransport, Transport

__all__ = [
    "ExecutionOutcome",
    "FieldReader",
    "HttpTransport",
    "InProcessTransport",
    "RoutingTransport",
    "SubgraphBadResponse",
    "SubgraphFault",
    "SubgraphTimeout",
    "SubgraphUnavailable",
    "Transport",
    "execute_plan",
    "read_by_response_key",
    "shape_response",
]
