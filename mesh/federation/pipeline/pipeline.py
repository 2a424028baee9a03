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

PROPAGATED_HEADERS = ("x-request-id", "traceparent", "tracestate")


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
        claims: ClaimsSource | None = None,
    ) -> None:
        self.engine = engine
        self.policy: Policy = policy or OpenPolicy()
        self.access = AccessControl(engine.access_rules(), engine.api_schema, claims)
        self.documents = DocumentStage(
            engine.api_schema, limits or DocumentLimits(), rules, cache_size
        )
        self.plans = PlanCache(engine, cache_size * 4)
        self._schema_answers: LRUCache[bytes, dict[str, Any]] = LRUCache(64)
        self.propagate_headers = tuple(h.lower() for h in propagate_headers)

    async def run(self, request: GraphQLRequest) -> GraphQLResponse:
        try:
            return GraphQLResponse(await self._answer(request))
        except GraphQLRequestError as error:
            return GraphQLResponse.failed(error)

    async def run_as(self, identity: object, request: GraphQLRequest) -> GraphQLResponse:
        """As :meth:`run` for a caller already authenticated (tests, in-process callers)."""
        try:
            return GraphQLResponse(await self._answer(request, identity, authenticated=True))
        except GraphQLRequestError as error:
            return GraphQLResponse.failed(error)

    async def _answer(
        self, request: GraphQLRequest, identity: object = None, *, authenticated: bool = False
    ) -> dict[str, Any]:
        query, variables, operation_name = request.checked()
        if not authenticated:
            identity = self.policy.authenticate(request.headers)
        access = self.access.decide(identity, request.headers)
        document = self.documents.parse(query, self.policy.token_budget(identity))
        schema_only = is_introspection_only(document, operation_in(document, operation_name))
        self.policy.admit(identity, document, schema_only)
        self.documents.validate(query, document)
        document = self.documents.answered_whole(query, document)
        operation = prepare_operation(
            self.engine.api_schema,
            query,
            document,
            operation_name,
            variables,
            allow_mutations=request.allow_mutations,
        )
        if schema_only and self.policy.public_introspection:
            return self._schema_answer(operation)
        authorization = self.policy.authorize(identity, operation)
        planned = self.access.guard(authorization.document, access)
        shaped = self.access.guard(document, access)
        plan = self.plans.plan(
            query,
            operation_name,
            (authorization.plan_key, access.denied) if access.restricts else authorization.plan_key,
            planned.document,
            self.engine.plan_variant(),
        )
        headers = {**self._propagated(request.headers), **authorization.subgraph_headers}
        outcome = await self.engine.execute(plan, operation.variables, headers)
        body = self.engine.shape(
            shaped.document,
            operation_name,
            operation.variables,
            outcome,
            authorization.field_resolver,
        )
        if shaped.changed:
            body = withhold(body, shaped, operation_in(shaped.document, operation_name))
        return await authorization.finish(body)

    def _schema_answer(self, operation: PreparedOperation) -> dict[str, Any]:
        """Introspection reads only the schema: answers are cached (bounded cost, no data)."""
        key = orjson.dumps(
            [operation.query, operation.operation_name, operation.variables],
            option=orjson.OPT_SORT_KEYS,
        )
        answer = self._schema_answers.get(key)
        if answer is None:
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
