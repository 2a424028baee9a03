"""The gateway over the real agency subgraphs (separate processes) and real Postgres."""

from __future__ import annotations

from typing import Any

import httpx

from authz.dev_keys import ensure_dev_keys, mint_token
from mesh.federation.http import PipelineHolder
from mesh.gateway import Gateway, GatewaySettings
from mesh.gateway.serve import gateway_app
from store import ServerAddress
from store.server import connect
from tests.conftest import TEST_KEYS_DIR
from tests.gateway_fixtures import AsCaller, gateway_with

HOUSEHOLD = """
query Household($id: ID!) {
  household(id: $id) {
    id
    size
    members {
      id
      health { nhsNumber familyName longTermConditions { snomedCode } }
      police { __typename }
      welfare { __typename }
    }
  }
}
"""


async def _households(address: ServerAddress) -> tuple[str, str]:
    """The largest household and a one-person household."""
    conn = await connect(address, "index")
    try:
        largest = await conn.fetchval(
            "SELECT household_id FROM mesh_person WHERE household_id IS NOT NULL "
            "GROUP BY household_id ORDER BY count(*) DESC, household_id LIMIT 1"
        )
        single = await conn.fetchval(
            "SELECT household_id FROM mesh_person WHERE household_id IS NOT NULL "
            "GROUP BY household_id HAVING count(*) = 1 ORDER BY household_id LIMIT 1"
        )
        return largest, single
    finally:
        await conn.close()


async def test_household_costs_one_request_per_subgraph_whatever_its_size(
    gateway: AsCaller, linked: ServerAddress
) -> None:
    counts = []
    sizes = []
    for household_id in await _households(linked):
        before = dict(gateway.transport.requests)
        result = await gateway.execute(HOUSEHOLD, {"id": household_id})
        assert "errors" not in result.body, result.body
        household = result.body["data"]["household"]
        sizes.append(household["size"])
        after = gateway.transport.requests
        counts.append(
            {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
        )
    assert sizes[0] > 1 and sizes[1] == 1
    # index for the household and its members, then one _entities call per agency asked.
    assert counts[0] == counts[1] == {"index": 1, "health": 1, "police": 1, "welfare": 1}


async def test_household_answers_what_the_stores_hold(
    gateway: AsCaller, linked: ServerAddress
) -> None:
    household_id, _ = await _households(linked)
    result = await gateway.execute(HOUSEHOLD, {"id": household_id})
    members = result.body["data"]["household"]["members"]
    index = await connect(linked, "index")
    health = await connect(linked, "health")
    try:
        expected_ids = {
            r["mesh_id"]
            for r in await index.fetch(
                "SELECT mesh_id FROM mesh_person WHERE household_id = $1", household_id
            )
        }
        rows = await health.fetch(
            "SELECT c.mesh_id, p.nhs_number, p.family_name, "
            "(SELECT count(*) FROM long_term_condition l WHERE l.patient_id = p.patient_id) AS n "
            "FROM mesh_crosswalk c JOIN patient p ON p.patient_id = c.local_id::bigint "
            "WHERE c.entity = 'Person' AND c.mesh_id = ANY($1::text[]) ORDER BY p.patient_id",
            list(expected_ids),
        )
    finally:
        await index.close()
        await health.close()
    assert {m["id"] for m in members} == expected_ids
    first_record: dict[str, Any] = {}
    for r in rows:
        first_record.setdefault(r["mesh_id"], r)
    for member in members:
        record = first_record.get(member["id"])
        if record is None:
            assert member["health"] is None
        else:
            assert member["health"]["nhsNumber"] == record["nhs_number"]
            assert member["health"]["familyName"] == record["family_name"]
            assert len(member["health"]["longTermConditions"]) == record["n"]


async def test_aliases_fragments_variables_and_typename(
    gateway: AsCaller, linked: ServerAddress
) -> None:
    household_id, _ = await _households(linked)
    query = """
    query Q($id: ID!, $withHealth: Boolean!) {
      home: household(id: $id) {
        __typename
        people: members { ...Who mine: health @include(if: $withHealth) { n: nhsNumber } }
      }
      nobody: person(id: "mp_00000000000000000000") { id }
    }
    fragment Who on Person { __typename personId: id }
    """
    result = await gateway.execute(query, {"id": household_id, "withHealth": True})
    assert "errors" not in result.body, result.body
    home = result.body["data"]["home"]
    assert home["__typename"] == "Household"
    people = home["people"]
    assert len(people) >= 2  # the fixture's household has several members
    assert {p["__typename"] for p in people} == {"Person"}
    assert [p["personId"][:3] for p in people] == ["mp_"] * len(people)
    assert any(p["mine"] and p["mine"]["n"] for p in people)
    assert result.body["data"]["nobody"] is None
    skipped = await gateway.execute(query, {"id": household_id, "withHealth": False})
    skipped_people = skipped.body["data"]["home"]["people"]
    assert len(skipped_people) == len(people)
    assert [sorted(p) for p in skipped_people] == [["__typename", "personId"]] * len(people)


async def test_a_stopped_subgraph_costs_only_its_own_fields(
    gateway: AsCaller, linked: ServerAddress
) -> None:
    household_id, _ = await _households(linked)
    broken = gateway_with(gateway, urls={"police": "http://127.0.0.1:9/graphql"})
    try:
        result = await broken.execute(HOUSEHOLD, {"id": household_id})
    finally:
        await broken.aclose()
    members = result.body["data"]["household"]["members"]
    assert len(members) >= 2
    assert [m["police"] for m in members] == [None] * len(members)
    assert any(m["health"] is not None for m in members)
    errors = result.body["errors"]  # one for every member the police fetch was to complete
    assert [e["extensions"] for e in errors] == [
        {"code": "SUBGRAPH_UNAVAILABLE", "subgraph": "police"}
    ] * len(members)
    assert sorted(e["path"][:3] for e in errors) == [
        ["household", "members", i] for i in range(len(members))
    ]


async def test_a_slow_subgraph_times_out_with_its_own_code(
    gateway: AsCaller, linked: ServerAddress
) -> None:
    household_id, _ = await _households(linked)
    slow = gateway_with(gateway, timeouts={"welfare": 0.000001})
    try:
        result = await slow.execute(HOUSEHOLD, {"id": household_id})
    finally:
        await slow.aclose()
    codes = {(e["extensions"]["code"], e["extensions"]["subgraph"]) for e in result.body["errors"]}
    assert codes == {("SUBGRAPH_TIMEOUT", "welfare")}
    assert result.body["data"]["household"]["members"][0]["id"].startswith("mp_")


async def test_subgraph_errors_come_back_with_their_path(gateway: AsCaller) -> None:
    result = await gateway.execute('{ person(id: "not-an-id") { id } }')
    (error,) = result.body["errors"]
    assert error["path"] == ["person"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["subgraph"] == "index"
    assert result.body["data"] == {"person": None}


async def test_limits_give_clear_errors(gateway: AsCaller) -> None:
    deep = (
        '{ person(id: "mp_00000000000000000000") { '
        + "household { members { " * 7
        + "id"
        + " } }" * 7
        + " } }"
    )
    aliases = "{ " + " ".join(f'a{i}: person(id: "x") {{ id }}' for i in range(40)) + " }"
    wide = "{ " + " ".join("__typename" for _ in range(6000)) + " }"
    huge = '{ person(id: "x", ids: [' + ", ".join("1" for _ in range(6000)) + "]) { id } }"
    for query, code in (
        (deep, "QUERY_TOO_DEEP"),
        (aliases, "TOO_MANY_ALIASES"),
        (wide, "QUERY_TOO_COMPLEX"),
        (huge, "QUERY_TOO_LARGE"),
    ):
        result = await gateway.execute(query)
        assert result.request_error
        assert code in {e["extensions"]["code"] for e in result.body["errors"]}, result.body


async def _post(app: Any, body: bytes | dict[str, Any], **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        if isinstance(body, dict):
            return await client.post("/graphql", json=body, headers=headers)
        return await client.post("/graphql", content=body, headers=headers)


def _signed_in() -> dict[str, str]:
    token = mint_token(ensure_dev_keys(TEST_KEYS_DIR), "manchester-city-council", ["gp"])
    return {"authorization": f"Bearer {token}", "x-purpose-of-use": "DIRECT_CARE"}


async def test_graphql_over_http_status_codes(http_app: Any) -> None:
    response_json = "application/graphql-response+json"
    ok = await _post(http_app, {"query": "{ __typename }"}, accept=response_json)
    assert ok.status_code == 200 and ok.headers["content-type"] == response_json
    assert ok.json() == {"data": {"__typename": "Query"}}
    parse_error = await _post(
        http_app, {"query": "{ person("}, accept=response_json, **_signed_in()
    )
    assert parse_error.status_code == 400
    assert parse_error.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    legacy = await _post(
        http_app, {"query": "{ person("}, accept="application/json", **_signed_in()
    )
    assert legacy.status_code == 200 and "errors" in legacy.json()
    stranger = await _post(http_app, {"query": "{ person("}, accept=response_json)
    assert stranger.status_code == 401  # a stranger's data query: refused before parsing
    stranger = await _post(http_app, {"query": "{ nope }"}, accept=response_json)
    assert stranger.status_code == 401  # authenticated before anything is validated
    invalid = await _post(http_app, {"query": "{ nope }"}, accept=response_json, **_signed_in())
    assert invalid.status_code == 400
    assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    bad_json = await _post(http_app, b"{not json", **{"content-type": "application/json"})
    assert bad_json.status_code == 400
    bad_type = await _post(http_app, b"query", **{"content-type": "text/plain"})
    assert bad_type.status_code == 415
    bad_accept = await _post(http_app, {"query": "{ __typename }"}, accept="text/csv")
    assert bad_accept.status_code == 406
    bad_variables = await _post(
        http_app,
        {"query": "query ($id: ID!) { person(id: $id) { id } }", "variables": {}},
        accept=response_json,
        **_signed_in(),
    )
    assert bad_variables.status_code == 400
    assert bad_variables.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_get_queries_graphiql_and_health(http_app: Any) -> None:
    transport = httpx.ASGITransport(app=http_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        got = await client.get("/graphql", params={"query": "{ __typename }"})
        page = await client.get("/graphql", headers={"accept": "text/html"})
        graphiql = await client.get("/graphiql/")
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
    assert got.status_code == 200 and got.json()["data"] == {"__typename": "Query"}
    assert page.status_code == 307 and page.headers["location"] == "graphiql/"  # self-hosted
    assert graphiql.status_code == 200 and "X-Purpose-Of-Use" in graphiql.text
    assert health.status_code == 200 and ready.status_code == 200


async def test_readiness_fails_when_the_index_is_unreachable(gateway: AsCaller) -> None:
    settings = GatewaySettings(
        subgraphs={**gateway.settings.subgraphs, "index": "http://127.0.0.1:9/graphql"}
    )
    app = gateway_app(PipelineHolder(gateway.gateway.pipeline), settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        assert (await client.get("/readyz")).status_code == 503


def test_running_subgraphs_compose_to_the_committed_contract(raw_gateway: Gateway) -> None:
    from mesh.gateway.contract import contract_sdl
    from mesh.schema_contract import CONTRACT_PATH

    committed = CONTRACT_PATH.read_text(encoding="utf-8")
    assert contract_sdl(raw_gateway.supergraph.api_schema) == committed


async def test_the_household_view_takes_eight_subgraph_requests(
    gateway: AsCaller, linked: ServerAddress
) -> None:
    """The bench's household view: the index once, then one request per agency — housing's
    Household section and its members' Person sections share one _entities call."""
    from bench.workloads import HOUSEHOLD_VIEW

    household_id = (await _households(linked))[0]
    before = dict(gateway.transport.requests)
    result = await gateway.execute(HOUSEHOLD_VIEW, {"id": household_id})
    assert "errors" not in result.body, result.body
    after = gateway.transport.requests
    sent = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
    assert sum(sent.values()) == 8, sent
    assert sent == dict.fromkeys(
        ("index", "health", "adult_social_care", "childrens_services", "housing", "police",
         "education", "welfare"), 1
    )  # fmt: skip
