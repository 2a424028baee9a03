"""The engine's request pipeline and GraphQL over HTTP, on a one-schema engine (no subgraphs,
no PostgreSQL): stage order, one error channel, statuses, caches, and what a policy can do."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLFieldResolver,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    execute,
    parse,
)

from mesh.federation.access import AccessRules
from mesh.federation.errors import Unauthenticated
from mesh.federation.execute import FieldReader
from mesh.federation.http import PipelineHolder, create_app
from mesh.federation.pipeline import (
    DocumentLimits,
    FetchHeaders,
    GraphQLRequest,
    OpenPolicy,
    Pipeline,
    PreparedOperation,
    Unrestricted,
)

SCHEMA = build_schema(
    """
    type Query { hello(name: String = "world"): String  count: Int }
    type Mutation { bump: Int }
    """
)


@dataclass
class Outcome:
    data: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)


class OneSchemaEngine:
    """An engine whose 'plan' is the document and whose 'subgraph' is one local schema."""

    def __init__(self) -> None:
        self.plans = 0
        self.executions: list[Mapping[str, str]] = []

    @property
    def api_schema(self) -> GraphQLSchema:
        return SCHEMA

    def plan_variant(self) -> Hashable:
        return None

    def access_rules(self) -> AccessRules:
        return AccessRules({})

    def plan(self, document: DocumentNode, operation_name: str | None, variant: Hashable) -> object:
        self.plans += 1
        return (document, operation_name)

    async def execute(
        self, plan: object, variables: Mapping[str, Any], headers: FetchHeaders
    ) -> Outcome:
        self.executions.append(dict(await headers("local", orjson.dumps(dict(variables)))))
        assert isinstance(plan, tuple)
        result = execute(
            SCHEMA,
            plan[0],
            root_value={"hello": lambda _i, name="world": f"hello {name}", "count": 3, "bump": 1},
            variable_values=dict(variables),
            operation_name=plan[1],
            field_resolver=_call_or_read,
        )
        assert isinstance(result, ExecutionResult)
        return Outcome(result.data or {})

    def shape(
        self,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any],
        outcome: Any,
        field_reader: FieldReader | None,
    ) -> dict[str, Any]:
        result = execute(
            SCHEMA,
            document,
            root_value=outcome.data if outcome is not None else {},
            variable_values=dict(variables),
            operation_name=operation_name,
            field_resolver=_read if field_reader is None else _resolver(field_reader),
        )
        assert isinstance(result, ExecutionResult)
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [e.formatted for e in result.errors]
        return body


def _call_or_read(source: Any, info: Any, **args: Any) -> Any:
    value = source.get(info.field_name)
    return value(info, **args) if callable(value) else value


def _read(source: Any, info: Any, **_: Any) -> Any:
    return source.get(info.path.key) if isinstance(source, dict) else None


def _resolver(reader: FieldReader) -> GraphQLFieldResolver:
    return lambda source, info, **_: reader(
        source, info.parent_type.name, info.field_name, str(info.path.key)
    )


class TokenPolicy:
    """A policy after the civic one's shape: a token or nothing but the schema."""

    public_introspection = True
    single_valued_headers: tuple[str, ...] = ("authorization",)

    def __init__(self) -> None:
        self.authorized = 0

    def authenticate(self, headers: Mapping[str, str]) -> object:
        token = headers.get("authorization")
        if token is None:
            return None
        if token != "Bearer good":
            raise Unauthenticated("bad token", code="TOKEN_INVALID")
        return "alice"

    def admit_text(self, identity: object, query: str) -> None:
        return None

    def token_budget(self, identity: object) -> int | None:
        return 20 if identity is None else None

    def admit(self, identity: object, document: DocumentNode, schema_only: bool) -> None:
        if identity is None and not schema_only:
            raise Unauthenticated("a bearer token is required")

    def authorize(self, identity: object, operation: PreparedOperation) -> Unrestricted:
        self.authorized += 1
        return Unrestricted(operation.document, ("key", identity), {"x-caller": str(identity)})


def _pipeline(policy: Any = None) -> tuple[Pipeline, OneSchemaEngine]:
    engine = OneSchemaEngine()
    return Pipeline(engine, policy, limits=DocumentLimits(max_tokens=200, max_fields=5)), engine


async def test_an_open_pipeline_answers_and_caches_its_plan() -> None:
    pipeline, engine = _pipeline()
    for _ in range(3):
        answer = await pipeline.run(GraphQLRequest('{ hello(name: "ada") count }'))
        assert answer.body == {"data": {"hello": "hello ada", "count": 3}}
        assert answer.http_status() == 200
    assert engine.plans == 1 and (pipeline.plans.hits, pipeline.plans.misses) == (2, 1)


@pytest.mark.parametrize(
    ("request_", "code", "status", "legacy"),
    [
        (GraphQLRequest(None), "BAD_REQUEST", 400, 400),
        (GraphQLRequest("{ hello }", variables=[1]), "BAD_REQUEST", 400, 400),
        (GraphQLRequest("{ hello", None), "GRAPHQL_PARSE_FAILED", 400, 200),
        (GraphQLRequest("{ nope }"), "GRAPHQL_VALIDATION_FAILED", 400, 200),
        (GraphQLRequest("{ a:hello b:hello c:hello d:hello e:hello f:hello }"),
         "QUERY_TOO_LARGE", 400, 200),
        (GraphQLRequest("query A { hello } query B { count }"),
         "OPERATION_RESOLUTION_FAILURE", 400, 200),
        (GraphQLRequest("query ($n: String!) { hello(name: $n) }", {}),
         "BAD_USER_INPUT", 400, 200),
        (GraphQLRequest("mutation { bump }", allow_mutations=False),
         "METHOD_NOT_ALLOWED", 405, 405),
    ],
)  # fmt: skip
async def test_request_errors_carry_their_code_and_status(
    request_: GraphQLRequest, code: str, status: int, legacy: int
) -> None:
    pipeline, engine = _pipeline()
    answer = await pipeline.run(request_)
    assert answer.request_error
    assert answer.body["errors"][0]["extensions"]["code"] == code
    assert (answer.http_status(True), answer.http_status(False)) == (status, legacy)
    assert engine.executions == []


async def test_a_bad_token_is_refused_before_parsing() -> None:
    pipeline, _ = _pipeline(TokenPolicy())
    answer = await pipeline.run(GraphQLRequest("{ hello", headers={"authorization": "Bearer x"}))
    assert answer.http_status() == 401
    assert answer.body["errors"][0]["extensions"]["code"] == "TOKEN_INVALID"
    assert pipeline.documents._parsed.currsize == 0  # never parsed


async def test_strangers_get_the_schema_only_and_a_small_parse_budget() -> None:
    policy = TokenPolicy()
    pipeline, engine = _pipeline(policy)
    schema = await pipeline.run(GraphQLRequest("{ __typename __schema { queryType { name } } }"))
    assert schema.body["data"]["__schema"] == {"queryType": {"name": "Query"}}
    again = await pipeline.run(GraphQLRequest("{ __typename __schema { queryType { name } } }"))
    assert again.body is schema.body  # cached: no policy, no engine
    data = await pipeline.run(GraphQLRequest("{ nope }"))
    assert data.http_status() == 401  # refused before validation
    assert pipeline.documents._valid.currsize == 1  # only the schema query was validated
    big = await pipeline.run(GraphQLRequest("{ " + "__typename " * 30 + "}"))
    assert big.body["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"
    assert policy.authorized == 0 and engine.executions == []


async def test_the_policy_rewrites_headers_and_keys_the_plan_cache() -> None:
    policy = TokenPolicy()
    pipeline, engine = _pipeline(policy)
    headers = {"authorization": "Bearer good", "x-request-id": "r-1", "cookie": "secret"}
    answer = await pipeline.run(GraphQLRequest("{ count }", headers=headers))
    assert answer.body == {"data": {"count": 3}}
    # the request's id is the pipeline's own (the client's is only logged)
    assert answer.request_id is not None and answer.request_id != "r-1"
    assert engine.executions == [{"x-request-id": answer.request_id, "x-caller": "alice"}]
    assert list(pipeline.plans._plans) == [("{ count }", None, ("key", "alice"), None)]


async def test_graphql_over_http_maps_statuses_once() -> None:
    pipeline, _ = _pipeline(TokenPolicy())
    app = create_app(PipelineHolder(pipeline), max_body_bytes=2_000)
    transport = httpx.ASGITransport(app=app)
    response_json = "application/graphql-response+json"
    async with httpx.AsyncClient(transport=transport, base_url="http://engine") as client:
        good = {"authorization": "Bearer good", "accept": response_json}
        ok = await client.post("/graphql", json={"query": "{ count }"}, headers=good)
        invalid = await client.post("/graphql", json={"query": "{ nope }"}, headers=good)
        legacy = await client.post(
            "/graphql", json={"query": "{ nope }"}, headers={**good, "accept": "application/json"}
        )
        get_mutation = await client.get(
            "/graphql", params={"query": "mutation { bump }"}, headers=good
        )
        too_big = await client.post(
            "/graphql",
            content=b'{"query": "' + b" " * 3_000 + b'"}',
            headers={**good, "content-type": "application/json"},
        )
        media = await client.post("/graphql", content=b"{ count }", headers=good)
        not_acceptable = await client.post(
            "/graphql", json={"query": "{ count }"}, headers={**good, "accept": "text/csv"}
        )
        ready = await client.get("/readyz")
    assert (ok.status_code, ok.json()) == (200, {"data": {"count": 3}})
    assert ok.headers["content-type"] == response_json
    assert (invalid.status_code, legacy.status_code) == (400, 200)
    assert get_mutation.status_code == 405
    assert too_big.status_code == 413
    assert media.status_code == 415
    assert not_acceptable.status_code == 406
    assert ready.status_code == 200


async def test_readiness_needs_a_pipeline_and_the_check() -> None:
    async def never() -> str | None:
        return "the check says no"

    empty = create_app(PipelineHolder())
    failing = create_app(PipelineHolder(_pipeline()[0]), ready=never)
    for app in (empty, failing):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://engine") as client:
            assert (await client.get("/readyz")).status_code == 503


def test_open_policy_plans_without_a_key() -> None:
    authorization = OpenPolicy().authorize(None, _prepared("{ count }"))
    key: Hashable = authorization.plan_key
    assert key is None and authorization.field_reader is None


def _prepared(query: str) -> PreparedOperation:
    document = parse(query)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return PreparedOperation(query, document, operation, None, {})


async def test_plan_cache_stats_for_the_machine_itself() -> None:
    pipeline, _ = _pipeline()
    app = create_app(PipelineHolder(pipeline))
    local = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    remote = httpx.ASGITransport(app=app, client=("192.0.2.7", 50000))
    async with httpx.AsyncClient(transport=local, base_url="http://engine") as client:
        for query in ("{ count }", "{ count }", "{ count }", '{ hello(name: "x") }'):
            await client.post("/graphql", json={"query": query})
        stats = (await client.get("/stats")).json()["plans"]
    async with httpx.AsyncClient(transport=remote, base_url="http://engine") as client:
        refused = await client.get("/stats")
    assert (stats["hits"], stats["misses"], stats["hit_rate"]) == (2, 2, 0.5)
    assert stats["planning_ms"]["samples"] == 2 and stats["planning_ms"]["p50"] >= 0
    assert refused.status_code == 403
