"""Settings of one running subgraph, read from the environment (``MESH_SUBGRAPH_*``)."""

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _data_dir() -> Path:
    """``MESH_DATA_DIR`` as the rest of the mesh reads it (store.settings), read here directly
    so that subgraphs do not depend on the store layer."""
    return Path(os.environ.get("MESH_DATA_DIR") or ".mesh")


class SubgraphSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MESH_SUBGRAPH_", extra="ignore")

    dsn: str | None = Field(default=None, description="DSN of this subgraph's own database.")
    pool_min: int = Field(default=1, ge=0, le=100)
    pool_max: int = Field(default=8, ge=1, le=200)
    statement_cache_size: int = Field(default=256, ge=0, le=10_000)
    command_timeout: float = Field(default=10.0, gt=0, le=600)
    max_representations: int = Field(
        default=5_000, ge=1, le=1_000_000, description="Largest _entities batch accepted."
    )
    log_level: str = Field(default="INFO")
    gateway_jwks: Path = Field(
        default_factory=lambda: _data_dir() / "gateway-jwks.json",
        description="The gateway's public JWKS, used to verify X-Mesh-Context "
        "(default: gateway-jwks.json in MESH_DATA_DIR).",
    )
    require_context: bool = Field(
        default=True, description="Refuse data requests that carry no valid gateway context."
    )
