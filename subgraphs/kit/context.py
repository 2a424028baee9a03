"""What every resolver sees: the request, the database, and this request's DataLoaders."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from aiodataloader import DataLoader
from starlette.requests import Request

from authz.context_token import MeshContext
from subgraphs.kit.database import Database
from subgraphs.kit.metrics import SubgraphMetrics


@dataclass
class RequestLoaders:
    """DataLoaders live for one request only (never module-level): nothing leaks between callers."""

    _loaders: dict[Hashable, DataLoader] = field(default_factory=dict)

    def get(self, key: Hashable, make: Callable[[], DataLoader]) -> DataLoader:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = make()
        return loader


@dataclass
class SubgraphContext:
    request: Request | None
    database: Database
    agency: str
    max_batch: int
    max_representations: int
    mesh_context: MeshContext | None = None
    metrics: SubgraphMetrics | None = None
    loaders: RequestLoaders = field(default_factory=RequestLoaders)
    extra: dict[str, Any] = field(default_factory=dict)
