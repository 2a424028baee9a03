"""Talk to a subgraph app in-process over real HTTP semantics (httpx's ASGI transport), with
a context signed as the gateway signs it: for this subgraph and this very body."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
from opentelemetry.sdk.trace import TracerProvider
from starlette.applications import Starlette

from authz.context_token import RequestContext, ensure_gateway_keys
from authz.model import AccessRequest, Principal, PurposeOfUse
from store import ServerAddress
from subgraphs.kit.serve import build_app
from subgraphs.kit.settings import SubgraphSettings
from subgraphs.registry import known_subgraphs

DIRECT_CARE = AccessRequest(
    Principal("test-user", "test-org", ("gp",)), PurposeOfUse.DIRECT_CARE, "CASE-TEST"
)


def signed_request(
    payload: dict[str, Any], audience: str, access: AccessRequest | None = DIRECT_CARE
) -> tuple[bytes, dict[str, str]]:
    """The body and headers the gateway would send (no context for ``access=None``)."""
    body = orjson.dumps(payload)
    headers = {"content-type": "application/json"}
    if access is not None:
        from tests.conftest import TEST_KEYS_DIR

        signer, _ = ensure_gateway_keys(TEST_KEYS_DIR)  # the session's key (gateway_keys)
        context = RequestContext(
            access, str(uuid.uuid4()), ("test@1",), False, frozenset(known_subgraphs())
        )
        headers.update(signer.sign(context, audience, body))
    return body, headers


class SubgraphClient:
    def __init__(self, app: Starlette, client: httpx.AsyncClient, name: str) -> None:
        self.app = app
        self.http = client
        self.name = name

    @property
    def statements(self) -> int:
        return int(self.app.state.database.statements)

    async def post(
        self, payload: dict[str, Any], access: AccessRequest | None = DIRECT_CARE
    ) -> httpx.Response:
        body, headers = signed_request(payload, self.name, access)
        return await self.http.post("/graphql", content=body, headers=headers)

    async def query(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        access: AccessRequest | None = DIRECT_CARE,
    ) -> dict[str, Any]:
        response = await self.post({"query": query, "variables": variables}, access)
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
            yield SubgraphClient(app, client, name)
        finally:
            await app.state.database.close()
