"""``@defer``/``@stream`` answered in one response (the ``defer`` case's subgraphs in
process): the API schema accepts them, nothing of them reaches a subgraph, and a client that
accepts only ``multipart/mixed`` gets the whole answer as one final part."""

from __future__ import annotations

import json

import httpx
from graphql import parse, validate

from mesh.federation.engine import FederatedEngine
from mesh.federation.http import PipelineHolder, create_app
from mesh.federation.pipeline import GraphQLRequest, Pipeline
from tests.federation.cases.defer import ALL
from tests.unit.federation.corpus import CaseSubgraphs, case_supergraph

DEFERRED = '{ parks { name ... @defer(label: "more") { acres events } } }'


def _pipeline() -> tuple[Pipeline, CaseSubgraphs]:
    subgraphs = CaseSubgraphs("defer")
    return Pipeline(FederatedEngine(case_supergraph("defer"), subgraphs.transport)), subgraphs


def test_the_api_schema_accepts_defer_and_stream_where_they_apply() -> None:
    schema = case_supergraph("defer").api_schema
    assert not validate(schema, parse(DEFERRED))
    assert not validate(schema, parse("{ parks @stream(initialCount: 1) { name } }"))
    assert validate(schema, parse("{ parks { name @defer } }"))  # not on a field


async def test_deferred_parts_come_with_the_rest_and_no_subgraph_sees_the_directive() -> None:
    pipeline, subgraphs = _pipeline()
    answer = await pipeline.run(GraphQLRequest(DEFERRED))
    assert answer.body == {"data": ALL}
    assert subgraphs.sent and not any("@defer" in r.query for r in subgraphs.sent)


async def test_a_multipart_only_client_gets_one_final_part() -> None:
    pipeline, _ = _pipeline()
    app = create_app(PipelineHolder(pipeline))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://engine"
    ) as client:
        multipart = await client.post(
            "/graphql",
            json={"query": DEFERRED},
            headers={"accept": "multipart/mixed;deferSpec=20220824"},
        )
        both = await client.post(
            "/graphql",
            json={"query": DEFERRED},
            headers={"accept": "multipart/mixed;deferSpec=20220824, application/json"},
        )
    assert multipart.status_code == 200
    assert multipart.headers["content-type"].startswith('multipart/mixed; boundary="graphql"')
    parts = multipart.text.split("--graphql")
    assert parts[-1].strip() == "--"
    headers, _, payload = parts[1].partition("\r\n\r\n")
    assert "application/json" in headers
    assert json.loads(payload) == {"data": ALL, "hasNext": False}
    assert both.headers["content-type"] == "application/json"
    assert both.json() == {"data": ALL}
