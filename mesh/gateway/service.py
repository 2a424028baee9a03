"""The gateway's request pipeline: parse → validate (with limits) → coerce variables → plan
→ fetch from subgraphs → shape. Parsed documents and plans are cached per query text."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from cachetools import LRUCache
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.utilities import get_operation_ast

from authz.audit import AuditEntry, AuditUnavailable
from authz.model import Effect
from mesh.compose import SubgraphSDL, Supergraph
from mesh.enforce import FieldGuard, operation_coordinates, prune_denied
from mesh.enforce.guard import RESERVED_ALIAS_PREFIX
from mesh.execute import ExecutionOutcome, SubgraphTransport, execute_plan
from mesh.execute.response import shape_response
from mesh.gateway.governance import (
    OPT_OUT_FIELDS,
    Caller,
    CallerError,
    Governance,
    opt_out_selection,
    subjects_in,
)
from mesh.gateway.limits import alias_limit, depth_limit, reserved_aliases
from mesh.gateway.settings import GatewaySettings
from mesh.plan import PlanningError, QueryPlan, plan_operation


@dataclass(frozen=True)
class GatewayResult:
    body: dict[str, Any]
    request_error: bool = False  # the request never reached execution (400 under the spec)
    operation_kind: str | None = None
    status: int | None = None  # an HTTP status the pipeline insists on (401, 503)


def _request_error(
    message: str, code: str, errors: list[GraphQLError] | None = None
) -> GatewayResult:
    if errors:
        formatted = []
        for error in errors:
            entry = error.formatted
            entry.setdefault("extensions", {}).setdefault("code", code)
            formatted.append(entry)
        return GatewayResult({"errors": formatted}, request_error=True)
    return GatewayResult(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, request_error=True
    )


@dataclass(frozen=True)
class _Prepared:
    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    code: str


class Gateway:
    def __init__(
        self,
        supergraph: Supergraph,
        transport: SubgraphTransport,
        settings: GatewaySettings,
        governance: Governance | None = None,
    ) -> None:
        self.supergraph = supergraph
        self.governance = governance
        self._coordinates: LRUCache[str, set[tuple[str, str]]] = LRUCache(
            maxsize=max(settings.document_cache, 1)
        )
        self._governed_plans: LRUCache[
            tuple[str, str | None, frozenset[tuple[str, str]], bool], QueryPlan
        ] = LRUCache(maxsize=max(settings.document_cache, 1) * 4)
        self.schema: GraphQLSchema = supergraph.client_schema
        self.transport = transport
        self.settings = settings
        self._rules = [
            *specified_rules,
            depth_limit(settings.max_depth),
            alias_limit(settings.max_aliases),
            reserved_aliases(RESERVED_ALIAS_PREFIX),
        ]
        self._documents: LRUCache[str, _Prepared] = LRUCache(
            maxsize=max(settings.document_cache, 1)
        )
        self._plans: LRUCache[tuple[str, str | None], QueryPlan] = LRUCache(
            maxsize=max(settings.document_cache, 1)
        )

    def prepare(self, query: str) -> _Prepared:
        prepared = self._documents.get(query)
        if prepared is not None:
            return prepared
        try:
            document = parse(query, max_tokens=self.settings.max_tokens)
        except GraphQLError as error:
            code = (
                "QUERY_TOO_LARGE" if "tokens" in error.message.lower() else "GRAPHQL_PARSE_FAILED"
            )
            prepared = _Prepared(None, (error,), code)
        else:
            errors = validate(self.schema, document, self._rules)
            prepared = _Prepared(
                document if not errors else None, tuple(errors), "GRAPHQL_VALIDATION_FAILED"
            )
        self._documents[query] = prepared
        return prepared

    def plan(self, query: str, document: DocumentNode, operation_name: str | None) -> QueryPlan:
        key = (query, operation_name)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = plan_operation(self.supergraph, document, operation_name)
        return plan

    async def execute(
        self,
        query: Any,
        variables: Any = None,
        operation_name: Any = None,
        headers: Mapping[str, str] | None = None,
        allow_mutations: bool = True,
        caller: Caller | None = None,
    ) -> GatewayResult:
        if not isinstance(query, str) or not query.strip():
            return _request_error("a GraphQL query string is required", "BAD_REQUEST")
        if variables is not None and not isinstance(variables, dict):
            return _request_error("variables must be a JSON object", "BAD_REQUEST")
        if operation_name is not None and not isinstance(operation_name, str):
            return _request_error("operationName must be a string", "BAD_REQUEST")
        prepared = self.prepare(query)
        if prepared.document is None:
            return _request_error("", prepared.code, list(prepared.errors))
        document = prepared.document
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            message = (
                f"unknown operation {operation_name!r}"
                if operation_name
                else "the document has several operations: give operationName"
            )
            return _request_error(message, "OPERATION_RESOLUTION_FAILURE")
        kind = operation.operation.value
        if kind == "mutation" and not allow_mutations:
            return GatewayResult(
                {
                    "errors": [
                        {
                            "message": "mutations need POST",
                            "extensions": {"code": "METHOD_NOT_ALLOWED"},
                        }
                    ]
                },
                request_error=True,
                operation_kind=kind,
            )
        coerced = get_variable_values(
            self.schema, operation.variable_definitions or (), variables or {}
        )
        if isinstance(coerced, list):
            return _request_error("", "BAD_USER_INPUT", coerced)
        if self.governance is not None:
            return await self._execute_governed(
                query, document, operation_name, variables, caller, kind
            )
        try:
            plan = self.plan(query, document, operation_name)
        except PlanningError as error:
            return _request_error(str(error), "QUERY_PLANNING_FAILED")
        outcome = await execute_plan(plan, self.transport, variables or {}, headers)
        body = shape_response(self.schema, document, operation_name, variables, outcome)
        return GatewayResult(body, operation_kind=kind)

    def coordinates(self, query: str, document: DocumentNode) -> set[tuple[str, str]]:
        found = self._coordinates.get(query)
        if found is None:
            found = self._coordinates[query] = operation_coordinates(self.schema, document)
        return found

    async def _execute_governed(
        self,
        query: str,
        document: DocumentNode,
        operation_name: str | None,
        variables: Any,
        caller: Caller | None,
        kind: str,
    ) -> GatewayResult:
        governance = self.governance
        assert governance is not None
        coordinates = self.coordinates(query, document)
        if not coordinates:  # introspection or __typename only: no data, no purpose needed
            body = shape_response(
                self.schema, document, operation_name, variables, ExecutionOutcome()
            )
            return GatewayResult(body, operation_kind=kind)
        if caller is None:
            return GatewayResult(
                {
                    "errors": [
                        {
                            "message": "a bearer token is required",
                            "extensions": {"code": "UNAUTHENTICATED"},
                        }
                    ]
                },
                request_error=True,
                status=401,
            )
        try:
            access = caller.access_request()
        except CallerError as error:
            return _request_error(str(error), error.code)
        request_id = str(uuid.uuid4())  # ours, unique: the audit record's key
        decisions = governance.decide_all(access, coordinates)
        decisions.update(governance.unenforceable_row_rules(access, coordinates))
        denied = frozenset(c for c, d in decisions.items() if d.effect is Effect.DENY)
        opt_out = governance.opt_out_applies(access) and bool(coordinates & OPT_OUT_FIELDS)
        key = (query, operation_name, denied, opt_out)
        plan = self._governed_plans.get(key)
        if plan is None:
            pruned = prune_denied(
                self.schema, document, set(denied), opt_out_selection() if opt_out else None
            )
            try:
                plan = plan_operation(self.supergraph, pruned, operation_name)
            except PlanningError as error:
                return _request_error(str(error), "QUERY_PLANNING_FAILED")
            self._governed_plans[key] = plan
        headers = governance.context_header(access, request_id, decisions)
        outcome = await execute_plan(plan, self.transport, variables or {}, headers)
        guard = FieldGuard(
            decisions, governance.apply_mask, OPT_OUT_FIELDS if opt_out else frozenset()
        )
        body = shape_response(
            self.schema, document, operation_name, variables, outcome, guard.resolve
        )
        entry = AuditEntry.for_request(
            access,
            subjects=subjects_in(body.get("data"), variables),
            decisions=decisions.values(),
            response=orjson.dumps(body),
            request_id=request_id,
        )
        try:
            receipt = await governance.writer.append(entry)
        except AuditUnavailable as error:
            return GatewayResult(
                {
                    "data": None,
                    "errors": [
                        {
                            "message": f"no data is served while the audit log is down: {error}",
                            "extensions": {"code": "AUDIT_UNAVAILABLE"},
                        }
                    ],
                },
                status=503,
                operation_kind=kind,
            )
        body["extensions"] = {
            "governance": {
                "requestId": request_id,
                "purpose": access.purpose.value,
                "auditRecord": receipt.seq,
                "agreements": list(entry.agreements),
                "masked": sorted(guard.masked),
                "denied": sorted(guard.denied),
                "breakGlass": entry.break_glass,
                "withheldByRowRules": guard.withheld_by_row_rule,
            }
        }
        return GatewayResult(body, operation_kind=kind)

    async def aclose(self) -> None:
        await self.transport.aclose()
        if self.governance is not None:
            await self.governance.writer.close()
            await self.governance.audit.close()


async def compose_from_subgraphs(
    settings: GatewaySettings,
    attempts: int = 1,
    delay: float = 1.0,
    local: list[SubgraphSDL] | None = None,
) -> Supergraph:
    """Fetch every subgraph's ``_service { sdl }`` and compose (retrying while they start)."""
    from mesh.compose import compose
    from mesh.gateway.discovery import fetch_sdl

    last: Exception | None = None
    for attempt in range(attempts):
        try:
            sdls = await asyncio.gather(
                *(
                    fetch_sdl(name, url, settings.timeout)
                    for name, url in settings.subgraphs.items()
                )
            )
            return compose(
                [
                    SubgraphSDL(n, s, u)
                    for (n, u), s in zip(settings.subgraphs.items(), sdls, strict=True)
                ]
                + list(local or ())
            )
        except ConnectionError as exc:
            last = exc
            if attempt + 1 < attempts:
                await asyncio.sleep(delay)
    assert last is not None
    raise last
