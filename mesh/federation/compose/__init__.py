"""Composition: Federation 1 and 2 subgraph SDL in, a standard supergraph SDL out.

``compose(subgraphs)`` accepts what Apollo's composition accepts, with the same semantics, and
rejects what it rejects with the same error codes (every error at once, never an exception).
The result is a supergraph SDL in the ``@link``/``join__*`` format routers read (Apollo
Router, @apollo/gateway, Hive Gateway, ours).
"""

from mesh.federation.compose.compose import CompositionResult, compose
from mesh.federation.compose.errors import CompositionError, CompositionHint
from mesh.federation.compose.subgraph import SubgraphSource

__all__ = ["CompositionError", "CompositionHint", "CompositionResult", "SubgraphSource", "compose"]
