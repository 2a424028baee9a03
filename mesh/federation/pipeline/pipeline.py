"""The request pipeline: a short orchestrator over stages with typed hand-offs.

request → authenticate (+ access claims) → parse (budgeted) → admit → validate → operation +
variables → authorize → access directives → plan (cached) → execute → shape → withhold →
finish → response. Every stage raises a :class:`~mesh.federation.errors.GraphQLRequestError`,
turned into a response in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from cachetools import LRUCache
from graphql import ASTValidationRule

from mesh.federation.access import AccessControl, ClaimsSource
from mesh.federation.access.control import withhold
from mesh.federation.errors import GraphQLRequestError
from mesh.federation.observe import RequestObservation, Telemetry
from mesh.federation.pipeline.document import DocumentLimits, DocumentStage
from mesh.federation.pipeline.engine import PlanCache, QueryEngine
from mesh.federation.pipeline.operation import (
    PreparedOperation,
    is_introspection_only,
    operation_in,
    prepare_operation,
)
from mesh.federation.pipeline.policy import OpenPolicy, Policy
from mesh.federation.pipeline.request import GraphQLRequest
from mesh.federation.pipeline.response import GraphQLResponse

# Sent on to subgraphs as the client gave them. X-Request-Id is the pipeline's own (unique:
# logs, audit); a client's is logged as client_request_id.
PROPAGATED_HEADERS = ("traceparent", "tracestate")


class Pipeline:
    """Answers GraphQL requests over one engine under one policy."""

    def __init__(
        self,
        engine: QueryEngine,
        policy: Policy | None = None,
        *,
        limits: DocumentLimits | None = None,
        rules: Sequence[type[ASTValidationRule]] = (),
        cache_size: int = 512,
        propagate_headers: Sequence[str] = PROPAGATED_HEADERS,
        telemetry: Telemetry | None = None,
        claims: ClaimsSource | None = None,
    ) -> None:
        self.engine = engine
        self.policy: Policy = policy or OpenPolicy()
        self.telemetry = telemetry or Telemetry()
        self.access = AccessControl(engine.access_rules(), engine.api_schema, claims)
        self.documents = DocumentStage(
            engine.api_schema,
            limits or DocumentLimits(),
            rules,
            cache_size,
            parsed_stats=self.telemetry.cache("document"),
            validated_stats=self.telemetry.cache("validation"),
        )
        self.plans = PlanCache(engine, cache_size * 4, self.telemetry.cache("plan"))
        self._schema_answers: LRUCache[bytes, dict[str, Any]] = LRUCache(64)
        self._schema_stats = self.telemetry.cache("introspection")
        self.propagate_headers = tuple(h.lower() for h in propagate_headers)

    def close(self) -> None:
        self.documents.close()

    async def run(self, request: GraphQLRequest) -> GraphQLResponse:
        return await self._run(request, None, authenticated=False)

    async def run_as(self, identity: object, request: GraphQLRequest) -> GraphQLResponse:
        """As :meth:`run` for a caller already authenticated (tests, in-process callers)."""
        return await self._run(request, identity, authenticated=True)

    def reject(self, error: GraphQLRequestError, headers: Mapping[str, str]) -> GraphQLResponse:
        """A request refused before it could be read (bad JSON, media types): counted and
        logged like any other."""
        with self.telemetry.request(headers) as seen:
            response = GraphQLResponse.failed(error, seen.request_id)
            seen.finish(response)
        return response

    async def _run(
        self, request: GraphQLRequest, identity: object, *, authenticated: bool
    ) -> GraphQLResponse:
        with self.telemetry.request(request.headers) as seen:
            try:
                body = await self._answer(request, seen, identity, authenticated=authenticated)
                response = GraphQLResponse(body, request_id=seen.request_id)
            except GraphQLRequestError as error:
                response = GraphQLResponse.failed(error, seen.request_id)
            except Exception:
                # A fault of ours: its traceback is logged with the request's ids; the client
                # gets a plain 500 that reveals nothing.
                if seen.log is not None:
                    seen.log.exception("fault", operation=seen.operation)
                response = GraphQLResponse.failed(
                    GraphQLRequestError("internal server error"), seen.request_id
                )
            seen.finish(response)
        return response

    async def _answer(
        self,
        request: GraphQLRequest,
        seen: RequestObservation,
        identity: object,
        *,
        authenticated: bool,
    ) -> dict[str, Any]:
        span = self.telemetry.span
        query, variables, operation_name = request.checked()
        if not authenticated:
            identity = self.policy.authenticate(request.headers)
        access = self.access.decide(identity, request.headers)
        self.policy.admit_text(identity, query)
        with span("graphql.parse"):
            document = await self.documents.parse(query, self.policy.token_budget(identity))
            chosen = operation_in(document, operation_name)
        seen.named(chosen.name.value if chosen.name else None, chosen.operation.value)
        schema_only = is_introspection_only(document, chosen)
        self.policy.admit(identity, document, schema_only)
        with span("graphql.validate"):
            await self.documents.validate(query, document)
            document = self.documents.answered_whole(query, document)
            operation = prepare_operation(
                self.engine.api_schema,
                query,
                document,
                operation_name,
                variables,
                allow_mutations=request.allow_mutations,
                request_id=seen.request_id,
            )
        if schema_only and self.policy.public_introspection:
            return self._schema_answer(operation)
        with span("graphql.authorize"):
            authorization = self.policy.authorize(identity, operation)
            shaped = self.access.guard(document, access)
        with span("graphql.plan"):
            plan_key = (
                (authorization.plan_key, access.denied)
                if access.restricts
                else authorization.plan_key
            )
            plan = self.plans.plan(
                query,
                operation_name,
                plan_key,
                lambda: self.access.guard(authorization.document, access).document,
                self.engine.plan_variant(),
            )
        propagated = {**self._propagated(request.headers), "x-request-id": seen.request_id}

        async def headers(subgraph: str, body: bytes) -> dict[str, str]:
            return {**propagated, **await authorization.fetch_headers(subgraph, body)}

        with span("graphql.execute"):
            outcome = await self.engine.execute(plan, operation.variables, headers)
        with span("graphql.shape"):
            body = self.engine.shape(
                shaped.document,
                operation_name,
                operation.variables,
                outcome,
                authorization.field_reader,
            )
            if shaped.changed:
                body = withhold(body, shaped, operation_in(shaped.document, operation_name))
        with span("graphql.finish"):
            return await authorization.finish(body)

    def _schema_answer(self, operation: PreparedOperation) -> dict[str, Any]:
        """Introspection reads only the schema: answers are cached (bounded cost, no data)."""
        key = orjson.dumps(
            [operation.query, operation.operation_name, operation.variables],
            option=orjson.OPT_SORT_KEYS,
        )
        answer = self._schema_answers.get(key)
        if answer is not None:
            self._schema_stats.hits += 1
        else:
            self._schema_stats.misses += 1
            answer = self._schema_answers[key] = self.engine.shape(
                operation.document,
                operation.operation_name,
                operation.variables,
                None,
                None,
            )
        return answer

    def _propagated(self, headers: Mapping[str, str]) -> dict[str, str]:
        return {k: v for k, v in headers.items() if k.lower() in self.propagate_headers}
