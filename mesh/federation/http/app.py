"""GraphQL over HTTP (POST JSON, GET for queries), after the GraphQL-over-HTTP spec.

With ``application/graphql-response+json`` a request that never executes is a 4xx; with
legacy ``application/json`` it is 200. Statuses come from the error itself
(:mod:`mesh.federation.errors`), chosen once. A subgraph fault is never a 5xx: its fields are
null with an error, and everything else is served.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from mesh.federation.errors import (
    BadRequest,
    GraphQLRequestError,
    NotAcceptable,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from mesh.federation.pipeline import GraphQLRequest, Pipeline

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
MULTIPART = "multipart/mixed"
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
BOUNDARY = "graphql"
HtmlPage = Callable[[Request], Awaitable[Response]]
ReadyCheck = Callable[[], Awaitable[str | None]]
"""None when ready to serve; otherwise why not (shown by ``/readyz``)."""


@dataclass
class PipelineHolder:
    """The pipeline being served: built at startup in the server's loop, swapped on reload."""

    pipeline: Pipeline | None = None
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


def _media_type(request: Request) -> str | None:
    accept = request.headers.get("accept", "")
    if not accept or GRAPHQL_RESPONSE in accept:
        return GRAPHQL_RESPONSE if accept else JSON
    if JSON in accept or "*/*" in accept or "application/*" in accept:
        return JSON
    if MULTIPART in accept:
        return MULTIPART
    return None


def _respond(body: dict[str, Any], status: int, media_type: str) -> Response:
    if media_type == MULTIPART:
        return _one_part(body, status)
    return Response(orjson.dumps(body), status_code=status, media_type=media_type)


def _one_part(body: dict[str, Any], status: int) -> Response:
    """A client that accepts only incremental delivery gets the whole answer as its one and
    last part (``hasNext: false``): deferred fragments are answered with the rest."""
    part = orjson.dumps({**body, "hasNext": False})
    content = (
        f"\r\n--{BOUNDARY}\r\nContent-Type: application/json; charset=utf-8\r\n\r\n".encode()
        + part
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    return Response(
        content,
        status_code=status,
        headers={"content-type": f'{MULTIPART}; boundary="{BOUNDARY}"; deferSpec=20220824'},
    )


def _failure(error: GraphQLRequestError, media_type: str) -> Response:
    return _respond(error.body(), error.http_status(media_type == GRAPHQL_RESPONSE), media_type)


def _headers(request: Request, single_valued: Sequence[str]) -> dict[str, str]:
    """The request's headers; a header the policy reads as one value, sent twice, is refused
    rather than resolved by whichever copy comes first."""
    for name in single_valued:
        if len(request.headers.getlist(name)) > 1:
            raise BadRequest(f"the {name} header was sent more than once", code="DUPLICATE_HEADER")
    return dict(request.headers)


async def _read_request(
    request: Request, max_body_bytes: int, single_valued: Sequence[str] = ()
) -> GraphQLRequest:
    headers = _headers(request, single_valued)
    if request.method == "GET":
        params = request.query_params
        return GraphQLRequest(
            params.get("query"),
            _json_parameter(params, "variables"),
            params.get("operationName"),
            headers,
            False,
            _json_parameter(params, "extensions"),
        )
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type not in (JSON, "application/graphql+json"):
        raise UnsupportedMediaType("Content-Type must be application/json")
    body = await request.body()
    if len(body) > max_body_bytes:
        raise PayloadTooLarge("request body too large")
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise BadRequest("request body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise BadRequest("request body must be a JSON object")
    return GraphQLRequest(
        payload.get("query"),
        payload.get("variables"),
        payload.get("operationName"),
        headers,
        extensions=payload.get("extensions"),
    )


def _json_parameter(params: QueryParams, name: str) -> object:
    """A GET parameter holding JSON (``variables``, ``extensions``), decoded."""
    text = params.get(name)
    if not text:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        raise BadRequest(f"{name} is not valid JSON") from None


def create_app(
    holder: PipelineHolder,
    *,
    ready: ReadyCheck | None = None,
    startup: Callable[[PipelineHolder], Awaitable[None]] | None = None,
    graphiql: HtmlPage | None = None,
    routes: Sequence[BaseRoute] = (),
    max_body_bytes: int = 1_000_000,
    metrics: CollectorRegistry | None = None,
) -> Starlette:
    """The ASGI app. ``startup`` fills ``holder`` inside the server's own event loop (pools
    belong to that loop); ``ready`` backs ``/readyz``; ``graphiql`` answers browsers;
    ``metrics`` is served at ``/metrics`` (Prometheus text format)."""

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if startup is not None:
            await startup(holder)
        try:
            yield
        finally:
            for close in reversed(holder.closers):
                await close()

    async def graphql(request: Request) -> Response:
        wants_page = (
            request.method == "GET"
            and "text/html" in request.headers.get("accept", "")
            and "query" not in request.query_params
        )
        if wants_page and graphiql is not None:
            return await graphiql(request)
        pipeline = holder.pipeline
        media_type = _media_type(request)
        if media_type is None:
            refusal = NotAcceptable(
                "Accept must allow application/graphql-response+json or application/json"
            )
            if pipeline is not None:
                pipeline.reject(refusal, request.headers)
            return _failure(refusal, JSON)
        if pipeline is None:
            return _respond(
                {"errors": [{"message": "starting", "extensions": {"code": "NOT_READY"}}]},
                503,
                media_type,
            )
        try:
            graphql_request = await _read_request(
                request, max_body_bytes, pipeline.policy.single_valued_headers
            )
        except GraphQLRequestError as error:
            result = pipeline.reject(error, request.headers)
        else:
            result = await pipeline.run(graphql_request)
        response = _respond(
            result.body, result.http_status(media_type == GRAPHQL_RESPONSE), media_type
        )
        if result.request_id is not None:
            response.headers["x-request-id"] = result.request_id
        return response

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def stats(request: Request) -> Response:
        """Plan-cache hits, misses and planning times; for the machine itself only."""
        client = request.client.host if request.client else ""
        if client not in LOOPBACK:
            return JSONResponse({"error": "only answered on loopback"}, status_code=403)
        pipeline = holder.pipeline
        if pipeline is None:
            return JSONResponse({"status": "no supergraph is loaded"}, status_code=503)
        return JSONResponse({"plans": pipeline.plans.summary()})

    async def readyz(_: Request) -> Response:
        problem = "no supergraph is loaded" if holder.pipeline is None else None
        if problem is None and ready is not None:
            problem = await ready()
        if problem is None:
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "not ready", "reason": problem}, status_code=503)

    async def metrics_endpoint(_: Request) -> Response:
        assert metrics is not None
        return Response(generate_latest(metrics), media_type=CONTENT_TYPE_LATEST)

    own_routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/healthz", healthz),
        Route("/stats", stats),
        Route("/readyz", readyz),
    ]
    if metrics is not None:
        own_routes.append(Route("/metrics", metrics_endpoint))
    app = Starlette(
        routes=[*own_routes, *routes],
        lifespan=lifespan,
    )
    app.state.holder = holder
    return app
