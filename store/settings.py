"""Settings read from the environment (``MESH_*``), in one place."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class MeshSettings(BaseSettings):
    """Where the store is and how this deployment names its databases."""

    model_config = SettingsConfigDict(env_prefix="MESH_", extra="ignore")

    pg_dsn: str | None = Field(
        default=None,
        description="Server DSN of an existing PostgreSQL; when unset an embedded server is used.",
    )
    data_dir: Path = Field(default=Path(".mesh"), description="Where local state lives.")
    db_prefix: str = Field(
        default="", pattern=r"^[a-z0-9_]*$", description="Prefix for this deployment's databases."
    )
    connect_timeout: float = Field(default=10.0, gt=0, le=300)
    linkage_model: Path | None = Field(
        default=None,
        description="The linkage model file; default <data_dir>/linkage-model-<prefix>.json.",
    )

    @property
    def embedded_pgdata(self) -> Path:
        return self.data_dir / "pg"

    @property
    def linkage_model_path(self) -> Path:
        """Where this deployment's linkage model is kept (one per database prefix)."""
        name = f"linkage-model-{self.db_prefix.rstrip('_') or 'default'}.json"
        return self.linkage_model or self.data_dir / name
