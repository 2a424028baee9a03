"""Start the gateway: compose from the running subgraphs (plus the centre's own, served
in-process), load the sharing rules, open the audit log, then serve with uvicorn."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from authz.identity import TokenVerifier
from authz.model import FieldFacts
from mesh.federation.access.settings import RouterAccessSettings
from mesh.federation.compose import SubgraphSource
from mesh.federation.engine import FederatedEngine
from mesh.federation.execute import HttpTransport
from mesh.federation.http import PipelineHolder, create_app
from mesh.federation.limits import alias_limit, depth_limit
from mesh.federation.pipeline import DocumentLimits, OpenPolicy, Pipeline
from mesh.federation.router import SupergraphRouter, subgraphs_answer
from mesh.federation.supergraph import Supergraph, load_supergraph
from mesh.gateway.discovery import compose_from_subgraphs
from mesh.gateway.gateway import Gateway
from mesh.gateway.graphiql import browser_redirect, graphiql_routes
from mesh.gateway.insights import insights_routes
from mesh.gateway.policy import Governance
from mesh.gateway.settings import GatewaySettings
from mesh.gateway.telemetry import GatewayTelemetry
from mesh.gateway.transport import MeshTransport
from store.settings import MeshSettings
from subgraphs.centre import CENTRE, LocalSubgraph, centre_subgraph

LOCAL_CENTRE_URL = "local://mesh"  # the centre's subgraph is served inside the gateway


async def open_governance(
    supergraph: Supergraph, data_dir: Path, audit_dsn: str, agreements_dir: Path | None = None
) -> Governance:
    from authz.audit import AuditLog
    from authz.context_token import ensure_gateway_keys
    from authz.policy import SharingRules, apply_mask
    from mesh.enforce.facts import log_unclassified, schema_field_facts
    from mesh.gateway.reads import implied_reads

    signer, _ = ensure_gateway_keys(data_dir)
    facts = schema_field_facts(supergraph, CENTRE)
    log_unclassified(supergraph.api_schema, facts)
    return Governance(
        rules=SharingRules.load(agreements_dir) if agreements_dir else SharingRules.load(),
        facts=facts,
        audit=await AuditLog.open(audit_dsn),
        signer=signer,
        apply_mask=apply_mask,
        implied=implied_reads(supergraph),
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
    query = supergraph.types[supergraph.root_types["query"]]
    for field_info in query.fields.values():
        if field_info.inaccessible and field_info.name.endswith("PeopleSearch"):
            for subgraph in field_info.resolvers():
                found[subgraph] = field_info.name
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
    telemetry: GatewayTelemetry | None = None,
) -> Gateway:
    """Compose the running subgraphs (and the centre's own) and build the gateway over them."""
    mesh_settings = mesh_settings or MeshSettings()
    centre = _centre(settings, mesh_settings.data_dir)
    supergraph_sdl = await compose_from_subgraphs(
        settings.subgraphs,
        settings.timeout,
        attempts=attempts,
        local=[SubgraphSource(CENTRE, LOCAL_CENTRE_URL, centre.sdl())],
    )
    return await gateway_for(
        load_supergraph(supergraph_sdl), settings, mesh_settings, verifier, centre, telemetry
    )


async def gateway_for(
    supergraph: Supergraph,
    settings: GatewaySettings,
    mesh_settings: MeshSettings,
    verifier: TokenVerifier | None,
    centre: LocalSubgraph | None = None,
    telemetry: GatewayTelemetry | None = None,
) -> Gateway:
    """The gateway over a loaded supergraph: its subgraphs over HTTP (the supergraph's URLs,
    overridden by ``settings.subgraphs``), the centre's in-process, the rules when governed."""
    centre = centre or _centre(settings, mesh_settings.data_dir)
    urls = {name: sub.url for name, sub in supergraph.subgraphs.items() if name != CENTRE}
    urls.update(settings.subgraphs)
    transport = MeshTransport(
        urls,
        timeouts=settings.timeouts,
        default_timeout=settings.timeout,
        local={CENTRE: centre} if CENTRE in supergraph.subgraphs else {},
    )
    centre.forward = transport.post
    centre.search_fields = search_fields(supergraph)
    centre.scan_timeout = settings.needs_timeout
    governance = None
    if settings.governance:
        audit_dsn = settings.audit_dsn or _store_dsn(mesh_settings, "governance")
        governance = await open_governance(
            supergraph, mesh_settings.data_dir, audit_dsn, settings.agreements_dir
        )
        centre.audit = governance.audit
        centre.provided_fields = fields_by_agency(governance.facts)
    return Gateway(supergraph, transport, settings, governance, verifier, telemetry)


def is_civic(supergraph: Supergraph) -> bool:
    """Whether the supergraph is the mesh's own (its index or centre is in it, or its fields
    carry the mesh's data categories): then it is only ever served under the rules."""
    if {"index", CENTRE} & set(supergraph.subgraphs):
        return True
    return any(
        f.directive_args("sensitive") for t in supergraph.types.values() for f in t.fields.values()
    )


def _store_dsn(mesh_settings: MeshSettings, store: str) -> str:
    from store import open_server

    return open_server(mesh_settings).address.dsn(store)


def readiness(
    urls: Callable[[], Mapping[str, str]], gateway: Callable[[], Gateway | None] | None = None
) -> Callable[[], Awaitable[str | None]]:
    """Ready when a supergraph is loaded (the app checks), every subgraph it names answers
    and, for a governed ``gateway``, its audit log answers: without it every personal-data
    request fails."""

    async def check() -> str | None:
        if gateway is not None:
            built = gateway()
            if built is None:
                return "starting"
            if built.governance is not None and not await built.governance.audit.ping():
                return "the audit log does not answer: no personal data can be served"
        down = {name: why for name, why in (await subgraphs_answer(urls())).items() if why}
        if not down:
            return None
        return "subgraphs not answering: " + ", ".join(f"{n} {why}" for n, why in down.items())

    return check


def gateway_app(
    holder: PipelineHolder,
    settings: GatewaySettings,
    startup: Callable[[PipelineHolder], Awaitable[None]] | None = None,
    ready: Callable[[], Awaitable[str | None]] | None = None,
    telemetry: GatewayTelemetry | None = None,
    *,
    gateway: Callable[[], Gateway | None] | None = None,
) -> Starlette:
    """The gateway's HTTP app around a pipeline holder (filled now or by ``startup``), with
    ``/metrics`` when it has ``telemetry``; ``gateway`` gives the served gateway once built, for
    readiness (its audit log)."""
    return create_app(
        holder,
        ready=ready or readiness(lambda: settings.subgraphs, gateway),
        startup=startup,
        graphiql=browser_redirect,
        routes=[*graphiql_routes(), *insights_routes(holder)],
        max_body_bytes=settings.max_body_bytes,
        metrics=telemetry.registry if telemetry is not None else None,
    )


def serving(gateway: Gateway) -> PipelineHolder:
    """A holder serving an already built gateway (closed with the app)."""
    return PipelineHolder(gateway.pipeline, [gateway.aclose])


def build_app(
    settings: GatewaySettings, attempts: int = 30, telemetry: GatewayTelemetry | None = None
) -> Starlette:
    """The app; composition, pools and the audit log open at startup in the server's loop."""
    mesh_settings = MeshSettings()
    verifier = token_verifier(settings, mesh_settings.data_dir) if settings.governance else None

    built: list[Gateway] = []

    async def startup(holder: PipelineHolder) -> None:
        if telemetry is not None:
            holder.closers.append(_shutdown(telemetry))
        gateway = await build_gateway(settings, attempts, mesh_settings, verifier, telemetry)
        built[:] = [gateway]
        holder.pipeline = gateway.pipeline
        holder.closers.append(gateway.aclose)

    return gateway_app(
        PipelineHolder(),
        settings,
        startup,
        telemetry=telemetry,
        gateway=lambda: built[0] if built else None,
    )


def _shutdown(telemetry: GatewayTelemetry) -> Callable[[], Awaitable[None]]:
    async def shutdown() -> None:
        telemetry.shutdown()  # closed last: flushes the spans of the final requests

    return shutdown


def supergraph_app(
    settings: GatewaySettings,
    source: str,
    poll_seconds: float,
    telemetry: GatewayTelemetry | None = None,
) -> Starlette:
    """Serve the supergraph at ``source`` (file or URL), reloaded when it changes. The mesh's own
    supergraph is served under the rules (unless governance is switched off); any other as a
    plain federation router, with no database, index or centre."""
    mesh_settings = MeshSettings()
    verifiers: list[TokenVerifier] = []  # made once, only for a civic supergraph

    governed: list[Gateway] = []  # the gateway being served, when the supergraph is civic

    async def build(supergraph: Supergraph) -> tuple[Pipeline, Callable[[], Awaitable[None]]]:
        if not is_civic(supergraph):
            governed.clear()
            return open_pipeline(supergraph, settings, telemetry)
        if settings.governance and not verifiers:
            verifiers.append(token_verifier(settings, mesh_settings.data_dir))
        verifier = verifiers[0] if verifiers else None
        gateway = await gateway_for(
            supergraph, settings, mesh_settings, verifier, telemetry=telemetry
        )
        governed[:] = [gateway]
        return gateway.pipeline, gateway.aclose

    router = SupergraphRouter(source, build)

    async def startup(holder: PipelineHolder) -> None:
        if telemetry is not None:
            holder.closers.append(_shutdown(telemetry))
        await router.load()
        watcher = asyncio.create_task(router.watch(poll_seconds))

        async def stop() -> None:
            watcher.cancel()
            await router.close()

        holder.closers.append(stop)

    async def ready() -> str | None:
        if router.problem is not None:
            return router.problem
        supergraph = router.supergraph
        urls = {n: s.url for n, s in supergraph.subgraphs.items()} if supergraph else {}
        gateway = (lambda: governed[0]) if governed else None
        return await readiness(lambda: urls, gateway)()

    return gateway_app(router.holder, settings, startup, ready, telemetry)


def open_pipeline(
    supergraph: Supergraph, settings: GatewaySettings, telemetry: GatewayTelemetry | None = None
) -> tuple[Pipeline, Callable[[], Awaitable[None]]]:
    """A plain federation router over a foreign supergraph: no rules, no audit, no centre."""
    transport = HttpTransport(
        {n: s.url for n, s in supergraph.subgraphs.items()},
        timeouts=settings.timeouts,
        default_timeout=settings.timeout,
    )
    engine_telemetry = telemetry.engine if telemetry is not None else None
    pipeline = Pipeline(
        FederatedEngine(
            supergraph, engine_telemetry.transport(transport) if engine_telemetry else transport
        ),
        OpenPolicy(),
        limits=DocumentLimits(max_tokens=settings.max_tokens),
        rules=(depth_limit(settings.max_depth), alias_limit(settings.max_aliases)),
        cache_size=max(settings.document_cache, 1),
        telemetry=engine_telemetry,
        claims=RouterAccessSettings().claims_source(),
    )
    print(
        "mesh: the supergraph has no civic subgraphs: serving it as a plain federation "
        "router (no sharing rules, no audit)",
        file=sys.stderr,
        flush=True,
    )
    return pipeline, transport.aclose


def serve(
    settings: GatewaySettings,
    host: str,
    port: int,
    supergraph: str | None = None,
    poll_seconds: float = 10.0,
) -> None:
    telemetry = GatewayTelemetry.served(log_level=settings.log_level)
    app = (
        supergraph_app(settings, supergraph, poll_seconds, telemetry)
        if supergraph
        else build_app(settings, telemetry=telemetry)
    )
    # log_config=None: uvicorn's own lines go through the JSON logging too.
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, log_config=None)
