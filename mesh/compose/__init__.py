"""Composition: read each subgraph's federation SDL, validate, and merge into one supergraph."""

from mesh.compose.errors import CompositionError, CompositionFailed
from mesh.compose.merge import compose
from mesh.compose.model import FieldDef, Supergraph, TypeDef
from mesh.compose.subgraph_sdl import SubgraphSDL

__all__ = [
    "CompositionError",
    "CompositionFailed",
    "FieldDef",
    "SubgraphSDL",
    "Supergraph",
    "TypeDef",
    "compose",
]
