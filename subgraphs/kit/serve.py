"""Run one subgraph with uvicorn: ``mesh subgraph serve <name> --port P``."""

import importlib
from typing import Any

import uvicorn
from opentelemetry.sdk.trace import TracerProvider
from starlette.applications import Starlette

from subgraphs.kit.app import create_app
from subgraphs.kit.settings import SubgraphSettings
from subgraphs.registry import known_subgraphs


def load_definition(name: str) -> Any:
    """The subgraph's definition object (``SUBGRAPH`` in ``subgraphs/<name>/subgraph.py``)."""
    if name not in known_subgraphs():
        raise KeyError(f"unknown subgraph {name!r}; known: {', '.join(known_subgraphs())}")
    module = importlib.import_module(f"subgraphs.{name}.subgraph")
    return module.SUBGRAPH


def build_app(
    name: str,
    dsn: str,
    settings: SubgraphSettings | None = None,
    *,
    tracer_provider: TracerProvider | None = None,
) -> Starlette:
    definition = load_definition(name)
    refused = getattr(definition, "refused_purposes", ())
    return create_app(
        name, definition.schema(), dsn, settings, refused, tracer_provider=tracer_provider
    )


def serve(name: str, dsn: str, host: str = "127.0.0.1", port: int = 4001) -> None:
    app = build_app(name, dsn)
    # log_config=None: uvicorn's own lines go through the kit's JSON logging (logs.py).
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, log_config=None)
