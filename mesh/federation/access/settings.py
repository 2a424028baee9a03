"""How a plain router (``mesh gateway serve --supergraph`` on a foreign supergraph) verifies
callers for the access directives, from the environment (``MESH_ROUTER_*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from mesh.federation.access.jwt_claims import JwtClaims


class RouterAccessSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MESH_ROUTER_", extra="ignore")

    jwks: str | None = Field(default=None, description="JWKS to verify bearer JWTs (URL or file).")
    jwt_secret: str | None = Field(default=None, description="Shared secret for HS256 JWTs.")
    jwt_issuer: str | None = Field(default=None, description="Required `iss`, when set.")
    jwt_audience: str | None = Field(default=None, description="Required `aud`, when set.")

    def claims_source(self) -> JwtClaims | None:
        """None when neither a JWKS nor a secret is configured (every caller anonymous)."""
        if self.jwks is None and self.jwt_secret is None:
            return None
        if self.jwks is not None and self.jwt_secret is not None:
            raise ValueError("set MESH_ROUTER_JWKS or MESH_ROUTER_JWT_SECRET, not both")
        return JwtClaims(
            secret=self.jwt_secret,
            jwks=self.jwks,
            issuer=self.jwt_issuer,
            audience=self.jwt_audience,
        )
