"""Talk to a subgraph app in-process over real HTTP semantics (httpx's ASGI transport)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from opentelemetry.sdk.trace import TracerProvider
from starlette.applications import Starlette

from authz.context_token import CONTEXT_HEADER, ensure_gateway_keys
from authz.model import AccessRequest, Principal, PurposeOfUse
from store import ServerAddress
from subgraphs.kit.serve import build_app
from subgraphs.kit.settings import SubgraphSettings

DIRECT_CARE = AccessRequest(
    Principal("test-user", "test-org", ("gp",)), PurposeOfUse.DIRECT_CARE, "CASE-TEST"
)


def context_header(access: AccessRequest | None = DIRECT_CARE) -> dict[str, str]:
    """The X-Mesh-Context the gateway would send for this request (none for ``None``)."""
    if access is None:
        return {}
    from tests.conftest import TEST_KEYS_DIR

    signer, _ = ensure_gateway_keys(TEST_KEYS_DIR)  # the session's key (the gateway_keys fixture)
    token = signer.sign(access, "test-request", ["test@1"], break_glass=False)
    return {CONTEXT_HEADER: token}


class SubgraphClient:
    def __init__(self, app: Starlette, client: httpx.AsyncClient) -> None:
        self.app = app
        self.http = client

    @property
    def statements(self) -> int:
        return int(self.app.state.database.statements)

    async def query(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        access: AccessRequest | None = DIRECT_CARE,
    ) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers=context_header(access),
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@asynccontextmanager
async def subgraph(
    name: str,
    address: ServerAddress | None = None,
    *,
    dsn: str | None = None,
    tracer_provider: TracerProvider | None = None,
    **settings: Any,
) -> AsyncIterator[SubgraphClient]:
    target = dsn if dsn is not None else address.dsn(name)  # type: ignore[union-attr]
    app = build_app(name, target, SubgraphSettings(**settings), tracer_provider=tracer_provider)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://subgraph") as client:
        try:
            yield SubgraphClient(app, client)
        finally:
            await app.state.database.close()
