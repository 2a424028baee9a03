"""Gateway settings, from the environment (``MESH_GATEWAY_*``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MESH_GATEWAY_", extra="ignore")

    subgraphs: dict[str, str] = Field(
        default_factory=dict, description="Subgraph name -> GraphQL URL (JSON in the env var)."
    )
    timeout: float = Field(default=5.0, gt=0, le=120, description="Default subgraph timeout (s).")
    timeouts: dict[str, float] = Field(default_factory=dict, description="Per-subgraph timeouts.")
    needs_timeout: float = Field(
        default=60.0,
        gt=0,
        le=600,
        description="Timeout of an agency's needs scan behind a cohort or a demand table (s): "
        "at full scale an agency evaluates hundreds of thousands of indicators.",
    )
    max_depth: int = Field(default=12, ge=1, le=100)
    max_aliases: int = Field(default=30, ge=0, le=10_000)
    max_tokens: int = Field(default=5_000, ge=10, le=1_000_000)
    document_cache: int = Field(default=512, ge=0, le=100_000)
    max_body_bytes: int = Field(default=1_000_000, ge=1_000, le=100_000_000)
    governance: bool = Field(
        default=True,
        description="Enforce the sharing rules and audit (off only for benchmarks "
        "of raw federation against peers, never in deployment).",
    )
    jwks: str | None = Field(
        default=None,
        description="Identity provider's JWKS (path or https URL); default: the "
        "development key in the data directory.",
    )
    issuer: str = Field(default="https://civic-mesh.local/dev-idp")
    audience: str = Field(default="civic-mesh-gateway")
    agreements_dir: Path | None = Field(
        default=None, description="Where the data-sharing agreements are (default: authz's)."
    )
    audit_dsn: str | None = Field(
        default=None, description="The governance database; default: the mesh's own store."
    )
