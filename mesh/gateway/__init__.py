"""The gateway: serves the composed person/household graph over HTTP."""

from mesh.gateway.service import Gateway, GatewayResult
from mesh.gateway.settings import GatewaySettings

__all__ = ["Gateway", "GatewayResult", "GatewaySettings"]
