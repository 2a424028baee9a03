"""The civic gateway: the engine's pipeline over the composed agencies, under the sharing
rules (or, for benchmarks of raw federation only, under the open policy)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authz.access import Caller
from authz.identity import TokenVerifier
from mesh.enforce.internal import RESERVED_ALIAS_PREFIX
from mesh.federation.engine import FederatedEngine
from mesh.federation.limits import alias_limit, depth_limit, reserved_aliases
from mesh.federation.pipeline import (
    DocumentLimits,
    GraphQLRequest,
    GraphQLResponse,
    OpenPolicy,
    Pipeline,
    Policy,
)
from mesh.federation.supergraph import Supergraph
from mesh.gateway.contract import contract_schema
from mesh.gateway.policy import Governance, GovernancePolicy
from mesh.gateway.settings import GatewaySettings
from mesh.gateway.telemetry import GatewayTelemetry
from mesh.gateway.transport import MeshTransport


class Gateway:
    """One served graph: the composed supergraph, its transport, the pipeline and the rules."""

    def __init__(
        self,
        supergraph: Supergraph,
        transport: MeshTransport,
        settings: GatewaySettings,
        governance: Governance | None = None,
        verifier: TokenVerifier | None = None,
        telemetry: GatewayTelemetry | None = None,
    ) -> None:
        self.supergraph = supergraph
        self.transport = transport
        self.settings = settings
        self.governance = governance
        self.verifier = verifier
        self.telemetry = telemetry
        self.owns_governance = True
        engine_telemetry = telemetry.engine if telemetry is not None else None
        engine = FederatedEngine(
            supergraph,
            engine_telemetry.transport(transport) if engine_telemetry else transport,
            api_schema=contract_schema(supergraph.api_schema),
        )
        policy: Policy = (
            GovernancePolicy(governance, engine.api_schema, verifier, telemetry)
            if governance is not None
            else OpenPolicy()
        )
        self.pipeline = Pipeline(
            engine,
            policy,
            limits=DocumentLimits(max_tokens=settings.max_tokens),
            rules=(
                depth_limit(settings.max_depth),
                alias_limit(settings.max_aliases),
                reserved_aliases("__", RESERVED_ALIAS_PREFIX),
            ),
            cache_size=max(settings.document_cache, 1),
            telemetry=engine_telemetry,
        )

    def with_transport(self, transport: MeshTransport) -> Gateway:
        """The same graph and rules over another transport (other URLs, timeouts, recording)."""
        copy = Gateway(
            self.supergraph,
            transport,
            self.settings,
            self.governance,
            self.verifier,
            self.telemetry,
        )
        copy.owns_governance = False  # the audit log stays open for the original
        return copy

    async def execute(
        self,
        query: object,
        variables: object = None,
        operation_name: object = None,
        *,
        caller: Caller | None = None,
        headers: Mapping[str, str] | None = None,
        allow_mutations: bool = True,
    ) -> GraphQLResponse:
        """Answer one request; ``caller`` (already verified) skips authentication."""
        request = GraphQLRequest(query, variables, operation_name, headers or {}, allow_mutations)
        if caller is not None:
            return await self.pipeline.run_as(caller, request)
        return await self.pipeline.run(request)

    async def aclose(self) -> None:
        self.pipeline.close()
        await self.transport.aclose()
        if self.governance is not None and self.owns_governance:
            await self.governance.close()

    def cache_stats(self) -> dict[str, Any]:
        plans = self.pipeline.plans
        return {"plan_hits": plans.hits, "plan_misses": plans.misses}
