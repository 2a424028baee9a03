"""Start the gateway: compose from the running subgraphs, load the sharing rules, open the
audit log, then serve with uvicorn."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import uvicorn
from starlette.applications import Starlette

from authz.identity import TokenVerifier
from mesh.execute import SubgraphTransport
from mesh.gateway.governance import Governance
from mesh.gateway.http import create_gateway_app
from mesh.gateway.service import Gateway, compose_from_subgraphs
from mesh.gateway.settings import GatewaySettings
from mesh.settings import MeshSettings


async def open_governance(
    supergraph_facts: object, settings: GatewaySettings, data_dir: Path, audit_dsn: str
) -> Governance:
    from authz.audit import AuditLog
    from authz.context_token import ensure_gateway_keys
    from authz.policy import SharingRules, apply_mask

    signer, _ = ensure_gateway_keys(data_dir)
    return Governance(
        rules=SharingRules.load(),
        facts=supergraph_facts,  # type: ignore[arg-type]
        audit=await AuditLog.open(audit_dsn),
        signer=signer,
        apply_mask=apply_mask,
    )


def token_verifier(settings: GatewaySettings, data_dir: Path) -> TokenVerifier:
    if settings.jwks:
        return TokenVerifier(settings.jwks, settings.issuer, settings.audience)
    from authz.dev_keys import dev_verifier

    return dev_verifier(data_dir)


async def build_gateway(
    settings: GatewaySettings, attempts: int = 30, mesh_settings: MeshSettings | None = None
) -> Gateway:
    from mesh.enforce import schema_field_facts

    supergraph = await compose_from_subgraphs(settings, attempts=attempts)
    transport = SubgraphTransport(settings.subgraphs, settings.timeouts, settings.timeout)
    governance = None
    if settings.governance:
        mesh_settings = mesh_settings or MeshSettings()
        audit_dsn = settings.audit_dsn or _store_dsn(mesh_settings, "governance")
        governance = await open_governance(
            schema_field_facts(supergraph), settings, mesh_settings.data_dir, audit_dsn
        )
    return Gateway(supergraph, transport, settings, governance)


def _store_dsn(mesh_settings: MeshSettings, store: str) -> str:
    from mesh.store import open_server

    return open_server(mesh_settings).address.dsn(store)


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
    mesh_settings = MeshSettings()
    gateway = asyncio.run(build_gateway(settings, attempts, mesh_settings))
    verifier = token_verifier(settings, mesh_settings.data_dir) if settings.governance else None
    return create_gateway_app(gateway, readiness(settings), verifier)  # type: ignore[arg-type]


def serve(settings: GatewaySettings, host: str, port: int) -> None:
    app = build_app(settings)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
