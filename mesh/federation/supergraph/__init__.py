"""Supergraph SDL in (ours, rover's, the Hive CLI's): the planner's model and the API schema."""

from mesh.federation.supergraph.errors import SupergraphError
from mesh.federation.supergraph.model import (
    Authorization,
    DirectiveUse,
    FieldInfo,
    FieldInSubgraph,
    FieldSet,
    Key,
    Subgraph,
    SubgraphView,
    Supergraph,
    TypeInfo,
    TypeInSubgraph,
    TypeKind,
)
from mesh.federation.supergraph.reader import load_supergraph

__all__ = [
    "Authorization",
    "DirectiveUse",
    "FieldInSubgraph",
    "FieldInfo",
    "FieldSet",
    "Key",
    "Subgraph",
    "SubgraphView",
    "Supergraph",
    "SupergraphError",
    "TypeInSubgraph",
    "TypeInfo",
    "TypeKind",
    "load_supergraph",
]
