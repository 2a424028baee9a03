"""Start the gateway: compose from the running subgraphs (plus the centre's own, served
in-process), load the sharing rules, open the audit log, then serve with uvicorn."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

import httpx
import uvicorn
from starlette.applications import Starlette

from authz.identity import TokenVerifier
from authz.model import FieldFacts
from mesh.compose import SubgraphSDL, Supergraph
from mesh.execute import SubgraphTransport
from mesh.federation.http import PipelineHolder, create_app
from mesh.gateway.discovery import compose_from_subgraphs
from mesh.gateway.gateway import Gateway
from mesh.gateway.graphiql import browser_redirect, graphiql_routes
from mesh.gateway.policy import Governance
from mesh.gateway.settings import GatewaySettings
from store.settings import MeshSettings
from subgraphs.centre import CENTRE, LocalSubgraph, centre_subgraph


async def open_governance(
    supergraph: Supergraph, data_dir: Path, audit_dsn: str, agreements_dir: Path | None = None
) -> Governance:
    from authz.audit import AuditLog
    from authz.context_token import ensure_gateway_keys
    from authz.policy import SharingRules, apply_mask
    from mesh.enforce.facts import log_unclassified, schema_field_facts

    signer, _ = ensure_gateway_keys(data_dir)
    facts = schema_field_facts(supergraph, CENTRE)
    log_unclassified(supergraph.client_schema, facts)
    return Governance(
        rules=SharingRules.load(agreements_dir) if agreements_dir else SharingRules.load(),
        facts=facts,
        audit=await AuditLog.open(audit_dsn),
        signer=signer,
        apply_mask=apply_mask,
    )


def token_verifier(settings: GatewaySettings, data_dir: Path) -> TokenVerifier:
    if settings.jwks:
        return TokenVerifier(settings.jwks, settings.issuer, settings.audience)
    from authz.dev_keys import dev_verifier

    return dev_verifier(data_dir)


def fields_by_agency(facts: Mapping[tuple[str, str], FieldFacts]) -> dict[str, tuple[str, ...]]:
    """Each agency's coordinates (for IG oversight: the data an organisation provides)."""
    found: dict[str, list[str]] = {}
    for known in facts.values():
        for agency in known.agencies:
            found.setdefault(agency, []).append(known.coordinate)
    return {agency: tuple(sorted(coordinates)) for agency, coordinates in found.items()}


def search_fields(supergraph: Supergraph) -> dict[str, str]:
    """Each agency's own (``@inaccessible``) search field, found in the composition."""
    found: dict[str, str] = {}
    for field_def in supergraph.types["Query"].fields.values():
        if field_def.inaccessible and field_def.name.endswith("PeopleSearch"):
            for subgraph in field_def.resolvers:
                found[subgraph] = field_def.name
    return found


def _centre(settings: GatewaySettings, data_dir: Path) -> LocalSubgraph:
    if not settings.governance:
        return centre_subgraph(None)
    from authz.context_token import ContextVerifier, ensure_gateway_keys

    signer, jwks_path = ensure_gateway_keys(data_dir)
    return centre_subgraph(ContextVerifier.from_file(jwks_path), signer)


async def build_gateway(
    settings: GatewaySettings,
    attempts: int = 30,
    mesh_settings: MeshSettings | None = None,
    verifier: TokenVerifier | None = None,
) -> Gateway:
    mesh_settings = mesh_settings or MeshSettings()
    centre = _centre(settings, mesh_settings.data_dir)
    supergraph = await compose_from_subgraphs(
        settings.subgraphs,
        settings.timeout,
        attempts=attempts,
        local=[SubgraphSDL(CENTRE, centre.sdl(), "local://mesh")],
    )
    transport = SubgraphTransport(
        settings.subgraphs, settings.timeouts, settings.timeout, local={CENTRE: centre}
    )
    centre.forward = transport.post
    centre.search_fields = search_fields(supergraph)
    governance = None
    if settings.governance:
        audit_dsn = settings.audit_dsn or _store_dsn(mesh_settings, "governance")
        governance = await open_governance(
            supergraph, mesh_settings.data_dir, audit_dsn, settings.agreements_dir
        )
        centre.audit = governance.audit
        centre.provided_fields = fields_by_agency(governance.facts)
    return Gateway(supergraph, transport, settings, governance, verifier)


def _store_dsn(mesh_settings: MeshSettings, store: str) -> str:
    from store import open_server

    return open_server(mesh_settings).address.dsn(store)


def readiness(
    settings: GatewaySettings, gateway: Callable[[], Gateway | None] = lambda: None
) -> Callable[[], Awaitable[bool]]:
    """Ready when composed (the app exists), the index subgraph answers and, under
    governance, the audit log answers: without it every personal-data request fails."""
    index_url = settings.subgraphs.get("index")

    async def check() -> bool:
        if index_url is None:
            return False
        built = gateway()
        if settings.governance and (built is None or built.governance is None):
            return False
        if (
            built is not None
            and built.governance is not None
            and not await built.governance.audit.ping()
        ):
            return False
        try:
            async with httpx.AsyncClient(timeout=2.0) as client:
                response = await client.post(index_url, json={"query": "{ __typename }"})
            return response.status_code == 200
        except httpx.HTTPError:
            return False

    return check


def gateway_app(
    holder: PipelineHolder,
    settings: GatewaySettings,
    startup: Callable[[PipelineHolder], Awaitable[None]] | None = None,
    gateway: Callable[[], Gateway | None] = lambda: None,
) -> Starlette:
    """The gateway's HTTP app around a pipeline holder (filled now or by ``startup``);
    ``gateway`` gives the served gateway once built (for readiness)."""
    return create_app(
        holder,
        ready=readiness(settings, gateway),
        startup=startup,
        graphiql=browser_redirect,
        routes=graphiql_routes(),
        max_body_bytes=settings.max_body_bytes,
    )


def serving(gateway: Gateway) -> PipelineHolder:
    """A holder serving an already built gateway (closed with the app)."""
    return PipelineHolder(gateway.pipeline, [gateway.aclose])


def build_app(settings: GatewaySettings, attempts: int = 30) -> Starlette:
    """The app; composition, pools and the audit log open at startup in the server's loop."""
    mesh_settings = MeshSettings()
    verifier = token_verifier(settings, mesh_settings.data_dir) if settings.governance else None
    built: list[Gateway] = []

    async def startup(holder: PipelineHolder) -> None:
        gateway = await build_gateway(settings, attempts, mesh_settings, verifier)
        built.append(gateway)
        holder.pipeline = gateway.pipeline
        holder.closers.append(gateway.aclose)

    return gateway_app(PipelineHolder(), settings, startup, lambda: built[0] if built else None)


def serve(settings: GatewaySettings, host: str, port: int) -> None:
    app = build_app(settings)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
