"""The civic gateway: the federation engine's pipeline under the sharing rules, over HTTP."""

from mesh.gateway.gateway import Gateway
from mesh.gateway.settings import GatewaySettings

__all__ = ["Gateway", "GatewaySettings"]
