"""GraphQL over HTTP for the gateway (POST JSON, GET for queries, GraphiQL for people).

Status codes follow the GraphQL-over-HTTP draft: with ``application/graphql-response+json``
a request that never executes (unparseable, invalid, bad variables) is 400; with legacy
``application/json`` it is 200. A subgraph fault is never a 5xx: its fields are null with
an error, and everything else is served.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from authz.identity import AuthenticationError, TokenVerifier
from mesh.gateway.governance import Caller
from mesh.gateway.graphiql import graphiql_html, graphiql_routes
from mesh.gateway.service import Gateway, GatewayResult

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def _media_type(request: Request) -> str | None:
    accept = request.headers.get("accept", "")
    if not accept or GRAPHQL_RESPONSE in accept:
        return GRAPHQL_RESPONSE if accept else JSON
    if JSON in accept or "*/*" in accept or "application/*" in accept:
        return JSON
    return None


def _respond(body: dict[str, Any], status: int, media_type: str) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=media_type)


def _error(message: str, code: str, status: int, media_type: str = JSON) -> Response:
    return _respond(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status, media_type
    )


def _caller(request: Request, verifier: TokenVerifier | None) -> Caller | None:
    """The verified caller, None when no token was sent; AuthenticationError when it is bad."""
    authorization = request.headers.get("authorization")
    if verifier is None or authorization is None:
        return None
    principal = verifier.verify(authorization)
    return Caller(
        principal=principal,
        purpose=request.headers.get("x-purpose-of-use"),
        case_reference=request.headers.get("x-case-reference"),
        justification=request.headers.get("x-justification"),
    )


def _status(result: GatewayResult, media_type: str) -> int:
    if result.status is not None:
        return result.status
    if not result.request_error:
        return 200
    codes = {e.get("extensions", {}).get("code") for e in result.body.get("errors", [])}
    if "METHOD_NOT_ALLOWED" in codes:
        return 405
    return 400 if media_type == GRAPHQL_RESPONSE or "BAD_REQUEST" in codes else 200


def create_gateway_app(
    gateway: Gateway | None,
    ready: Callable[[], Any] | None = None,
    verifier: TokenVerifier | None = None,
    startup: Callable[[], Awaitable[Gateway]] | None = None,
) -> Starlette:
    """The gateway's ASGI app. ``ready`` is an async check used by ``/readyz``; ``verifier``
    checks bearer tokens (a request without one may only introspect the public schema).
    ``startup`` builds the gateway inside the server's own event loop (its pools belong to
    that loop), instead of passing a ready ``gateway``."""
    holder: dict[str, Gateway] = {}
    if gateway is not None:
        holder["gateway"] = gateway

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if startup is not None:
            holder["gateway"] = await startup()
        try:
            yield
        finally:
            if startup is not None and "gateway" in holder:
                await holder["gateway"].aclose()

    async def graphql(request: Request) -> Response:
        gateway = holder["gateway"]
        media_type = _media_type(request)
        if (
            request.method == "GET"
            and "text/html" in request.headers.get("accept", "")
            and "query" not in request.query_params
        ):
            return HTMLResponse(graphiql_html())
        if media_type is None:
            return _error(
                "Accept must allow application/graphql-response+json or application/json",
                "NOT_ACCEPTABLE",
                406,
            )
        if request.method == "GET":
            params = request.query_params
            try:
                variables = orjson.loads(params["variables"]) if params.get("variables") else None
            except orjson.JSONDecodeError:
                return _error("variables is not valid JSON", "BAD_REQUEST", 400, media_type)
            query, operation_name = params.get("query"), params.get("operationName")
            allow_mutations = False
        else:
            content_type = request.headers.get("content-type", "").split(";")[0].strip()
            if content_type not in (JSON, "application/graphql+json"):
                return _error(
                    "Content-Type must be application/json",
                    "UNSUPPORTED_MEDIA_TYPE",
                    415,
                    media_type,
                )
            body = await request.body()
            if len(body) > gateway.settings.max_body_bytes:
                return _error("request body too large", "PAYLOAD_TOO_LARGE", 413, media_type)
            try:
                payload = orjson.loads(body)
            except orjson.JSONDecodeError:
                return _error("request body is not valid JSON", "BAD_REQUEST", 400, media_type)
            if not isinstance(payload, dict):
                return _error("request body must be a JSON object", "BAD_REQUEST", 400, media_type)
            query = payload.get("query")
            variables = payload.get("variables")
            operation_name = payload.get("operationName")
            allow_mutations = True
        try:
            caller = _caller(request, verifier)
        except AuthenticationError as error:
            return _respond(
                {"errors": [{"message": str(error), "extensions": {"code": error.code}}]},
                401,
                media_type,
            )
        result = await gateway.execute(
            query,
            variables,
            operation_name,
            headers=_forwarded(request),
            allow_mutations=allow_mutations,
            caller=caller,
        )
        return _respond(result.body, _status(result, media_type), media_type)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        ok = "gateway" in holder and (bool(await ready()) if ready is not None else True)
        return JSONResponse(
            {"status": "ready" if ok else "not ready"}, status_code=200 if ok else 503
        )

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *graphiql_routes(),
        ],
        lifespan=lifespan,
    )
    app.state.gateways = holder
    return app


def _forwarded(request: Request) -> dict[str, str]:
    """Headers passed on to subgraphs (the governance context is added by authz later)."""
    request_id = request.headers.get("x-request-id")
    return {"x-request-id": request_id} if request_id else {}
