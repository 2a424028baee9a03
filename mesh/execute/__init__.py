"""Execution: run a query plan against the subgraphs and shape the client's response."""

from mesh.execute.executor import ExecutionOutcome, execute_plan
from mesh.execute.transport import SubgraphFault, SubgraphTransport

__all__ = ["ExecutionOutcome", "SubgraphFault", "SubgraphTransport", "execute_plan"]
