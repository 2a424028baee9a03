"""GraphQL over HTTP for the engine's pipeline."""

from mesh.federation.http.app import PipelineHolder, create_app

__all__ = ["PipelineHolder", "create_app"]
