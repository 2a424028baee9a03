"""Start the gateway: compose from the running subgraphs, then serve with uvicorn."""

from __future__ import annotations

import asyncio

import httpx
import uvicorn
from starlette.applications import Starlette

from mesh.execute import SubgraphTransport
from mesh.gateway.http import create_gateway_app
from mesh.gateway.service import Gateway, compose_from_subgraphs
from mesh.gateway.settings import GatewaySettings


async def build_gateway(settings: GatewaySettings, attempts: int = 30) -> Gateway:
    supergraph = await compose_from_subgraphs(settings, attempts=attempts)
    transport = SubgraphTransport(settings.subgraphs, settings.timeouts, settings.timeout)
    return Gateway(supergraph, transport, settings)


def readiness(settings: GatewaySettings) -> object:
    """Ready when composed (the app exists) and the index subgraph answers."""
    index_url = settings.subgraphs.get("index")

    async def check() -> bool:
        if index_url is None:
            return False
        try:
            async with httpx.AsyncClient(timeout=2.0) as client:
                response = await client.post(index_url, json={"query": "{ __typename }"})
            return response.status_code == 200
        except httpx.HTTPError:
            return False

    return check


def build_app(settings: GatewaySettings, attempts: int = 30) -> Starlette:
    gateway = asyncio.run(build_gateway(settings, attempts))
    return create_gateway_app(gateway, readiness(settings))  # type: ignore[arg-type]


def serve(settings: GatewaySettings, host: str, port: int) -> None:
    app = build_app(settings)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
