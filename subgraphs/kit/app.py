"""The HTTP app every subgraph serves: ``/graphql``, ``/healthz`` and ``/readyz``."""

import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.schema import BaseSchema

from authz.context_token import ContextRejected
from authz.model import PurposeOfUse
from subgraphs.kit.context import SubgraphContext
from subgraphs.kit.database import Database, DatabaseUnavailable
from subgraphs.kit.gatekeeper import Gatekeeper
from subgraphs.kit.logs import configure_logging
from subgraphs.kit.settings import SubgraphSettings

MAX_BODY_BYTES = 8 * 1024 * 1024


class _SubgraphGraphQL(GraphQL[SubgraphContext, None]):
    def __init__(
        self, schema: BaseSchema, database: Database, agency: str, settings: SubgraphSettings
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self._database = database
        self._agency = agency
        self._settings = settings

    async def get_context(self, request: Any, response: Any) -> SubgraphContext:
        return SubgraphContext(
            request=request,
            database=self._database,
            agency=self._agency,
            max_batch=self._settings.max_representations,
            max_representations=self._settings.max_representations,
            mesh_context=request.scope.get("mesh_context"),
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


def create_app(
    name: str,
    schema: BaseSchema,
    dsn: str,
    settings: SubgraphSettings | None = None,
    refused_purposes: Iterable[PurposeOfUse] = (),
) -> Starlette:
    """A subgraph as an ASGI app; its pool opens lazily so it starts even if its store is down."""
    settings = settings or SubgraphSettings()
    database = Database(dsn, settings)
    gatekeeper = Gatekeeper(
        settings.gateway_jwks,
        settings.require_context,
        refused_purposes,
        audience=name,
        database=database,
    )
    graphql = _SubgraphGraphQL(schema, database, name, settings)
    log = configure_logging(name, settings.log_level)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok", "subgraph": name})

    async def readyz(_: Request) -> Response:
        ready = await database.ping()
        return JSONResponse(
            {"status": "ready" if ready else "database unavailable", "subgraph": name},
            status_code=200 if ready else 503,
        )

    async def graphql_endpoint(request: Request) -> Response:
        started = time.perf_counter()
        before = database.statements
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
            response = PlainTextResponse(exc.reason, status_code=exc.status_code)
        log.info(
            "request",
            method=request.method,
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000, 2),
            statements=database.statements - before,
        )
        return response

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        log.info("starting", subgraph=name)
        yield
        await database.close()

    app = Starlette(
        routes=[
            Route("/graphql", graphql_endpoint, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        middleware=[Middleware(BodyLimit)],
        lifespan=lifespan,
    )
    app.state.database = database
    app.state.subgraph = name
    return app
