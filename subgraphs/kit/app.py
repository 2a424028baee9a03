"""The HTTP app every subgraph serves: ``/graphql``, ``/healthz``, ``/readyz`` and ``/metrics``.

Each GraphQL request gets a request id (the gateway's ``X-Request-Id``, or a new one), a span
that continues the caller's ``traceparent`` (see tracing.py), one log line, and its count and
latency in the metrics under its operation name and outcome.
"""

import time
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import orjson
from cross_web import HTTPException
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import BaseSchema
from strawberry.types import ExecutionResult

from authz.context_token import ContextRejected
from authz.model import PurposeOfUse
from subgraphs.kit.context import SubgraphContext
from subgraphs.kit.database import Database, DatabaseUnavailable
from subgraphs.kit.gatekeeper import Gatekeeper
from subgraphs.kit.logs import configure_logging, request_log_context
from subgraphs.kit.metrics import SubgraphMetrics, operation_of
from subgraphs.kit.settings import SubgraphSettings
from subgraphs.kit.tracing import SubgraphTracing, trace_id_of, tracer_provider_from_env
from telemetry import outcome_of

MAX_BODY_BYTES = 8 * 1024 * 1024
GRAPHQL_RESPONSE = "application/graphql-response+json"
_NEVER_EXECUTED = "mesh_never_executed"


def _wants_graphql_response(request: Request) -> bool:
    """The client accepts the GraphQL-over-HTTP media type (the gateway asks for JSON)."""
    return GRAPHQL_RESPONSE in request.headers.get("accept", "")


class _SubgraphGraphQL(GraphQL[SubgraphContext, None]):
    def __init__(
        self,
        schema: BaseSchema,
        database: Database,
        agency: str,
        settings: SubgraphSettings,
        metrics: SubgraphMetrics,
    ) -> None:
        # No GraphiQL here: only the gateway calls a subgraph (and Strawberry's page loads
        # its scripts from a CDN).
        super().__init__(schema, graphql_ide=None)
        self._database = database
        self._agency = agency
        self._settings = settings
        self._metrics = metrics

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        """Under ``application/graphql-response+json`` a request that never executed (it did
        not parse or validate: errors without a path, no data) has no ``data`` entry and is
        answered 400 (GraphQL over HTTP); under ``application/json`` it stays a 200."""
        response = await super().process_result(request, result)
        if (
            _wants_graphql_response(request)
            and result.data is None
            and result.errors
            and all(error.path is None for error in result.errors)
        ):
            response.pop("data", None)
            request.scope[_NEVER_EXECUTED] = True
        return response

    async def get_context(self, request: Any, response: Any) -> SubgraphContext:
        return SubgraphContext(
            request=request,
            database=self._database,
            agency=self._agency,
            max_batch=self._settings.max_representations,
            max_representations=self._settings.max_representations,
            mesh_context=request.scope.get("mesh_context"),
            metrics=self._metrics,
        )


class BodyLimit:
    """Refuse request bodies over a size, before anything parses them (413)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope.get("headers", [])).get(b"content-length")
            if length is not None and length.isdigit() and int(length) > self.limit:
                response = JSONResponse(
                    {
                        "errors": [
                            {
                                "message": f"request body over {self.limit} bytes",
                                "extensions": {"code": "PAYLOAD_TOO_LARGE"},
                            }
                        ]
                    },
                    status_code=413,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _operation(request: Request) -> str:
    """The GraphQL operation's name, for metrics and the span (``invalid`` if unreadable)."""
    if request.method == "GET":
        query, name = request.query_params.get("query"), request.query_params.get("operationName")
    else:
        try:
            payload = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return "invalid"
        if not isinstance(payload, dict):
            return "invalid"
        query, name = payload.get("query"), payload.get("operationName")
    if not isinstance(query, str) or not (name is None or isinstance(name, str)):
        return "invalid"
    return operation_of(query, name)


def _outcome(response: Response) -> str:
    return outcome_of(response.status_code, b'"errors"' in bytes(response.body))


def create_app(
    name: str,
    schema: BaseSchema,
    dsn: str,
    settings: SubgraphSettings | None = None,
    refused_purposes: Iterable[PurposeOfUse] = (),
    *,
    tracer_provider: TracerProvider | None = None,
) -> Starlette:
    """A subgraph as an ASGI app; its pool opens lazily so it starts even if its store is down.
    ``tracer_provider`` records spans (tests pass one); without it, the environment decides."""
    settings = settings or SubgraphSettings()
    metrics = SubgraphMetrics(name)
    own_provider = tracer_provider is None
    tracing = SubgraphTracing(
        name, tracer_provider if tracer_provider is not None else tracer_provider_from_env(name)
    )
    database = Database(dsn, settings, metrics=metrics, tracing=tracing)
    gatekeeper = Gatekeeper(
        settings.gateway_jwks,
        settings.require_context,
        refused_purposes,
        audience=name,
        database=database,
    )
    graphql = _SubgraphGraphQL(schema, database, name, settings, metrics)
    log = configure_logging(name, settings.log_level)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok", "subgraph": name})

    async def readyz(_: Request) -> Response:
        ready = await database.ping()
        return JSONResponse(
            {"status": "ready" if ready else "database unavailable", "subgraph": name},
            status_code=200 if ready else 503,
        )

    async def metrics_endpoint(_: Request) -> Response:
        usage = database.pool_usage()
        if usage is not None:
            metrics.set_pool(in_use=usage[0], idle=usage[1], maximum=usage[2])
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    async def answer(request: Request) -> Response:
        try:
            request.scope["mesh_context"] = await gatekeeper.admit(request)
        except ContextRejected as rejected:
            log.warning("refused", code=rejected.code)
            return JSONResponse(
                {
                    "data": None,
                    "errors": [{"message": str(rejected), "extensions": {"code": rejected.code}}],
                },
                status_code=403 if rejected.code == "FORBIDDEN_BY_AGENCY" else 401,
            )
        except DatabaseUnavailable as down:  # the access log cannot be written: serve nothing
            log.warning("refused", code="DATABASE_UNAVAILABLE")
            # As GraphQL answers any request-level error (legacy JSON): the gateway passes the
            # code on to the fields this subgraph would have given.
            return JSONResponse({"data": None, "errors": [down.formatted]})
        try:
            response: Response = await graphql.run(request)
        except HTTPException as exc:
            return PlainTextResponse(exc.reason, status_code=exc.status_code)
        if _wants_graphql_response(request) and response.media_type == "application/json":
            response.headers["content-type"] = GRAPHQL_RESPONSE
            if request.scope.get(_NEVER_EXECUTED):
                response.status_code = 400
        return response

    async def graphql_endpoint(request: Request) -> Response:
        started = time.perf_counter()
        before = database.statements
        request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
        operation = metrics.operation_label(await _operation(request))
        attributes = {
            "http.request.method": request.method,
            "graphql.operation.name": operation,
            "mesh.subgraph": name,
            "mesh.request_id": request_id,
        }
        with (
            tracing.request(request.headers, f"graphql {operation}", attributes) as span,
            request_log_context(name, request_id, trace_id_of(span)),
        ):
            response = await answer(request)
            seconds = time.perf_counter() - started
            outcome = _outcome(response)
            span.set_attribute("http.response.status_code", response.status_code)
            span.set_attribute("mesh.outcome", outcome)
            metrics.observe_request(operation, outcome, seconds)
            log.info(
                "request",
                method=request.method,
                operation=operation,
                status=response.status_code,
                outcome=outcome,
                ms=round(seconds * 1000, 2),
                statements=database.statements - before,
            )
        response.headers["x-request-id"] = request_id
        return response

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        log.info("starting", subgraph=name)
        yield
        await database.close()
        if own_provider:
            tracing.shutdown()  # flushes spans still queued for export

    app = Starlette(
        routes=[
            Route("/graphql", graphql_endpoint, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint),
        ],
        middleware=[Middleware(BodyLimit)],
        lifespan=lifespan,
    )
    app.state.database = database
    app.state.subgraph = name
    app.state.metrics = metrics
    return app
