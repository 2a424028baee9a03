"""The shared kit, exercised through the health and index subgraphs over real Postgres."""

from __future__ import annotations

from store import ServerAddress
from store.server import connect
from subgraphs.kit.database import Database
from subgraphs.kit.settings import SubgraphSettings
from tests.subgraph_client import subgraph

HEALTH_ENTITIES = """
query ($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Person { id health { nhsNumber familyName longTermConditions { snomedCode } } }
  }
}
"""


async def _crosswalked_ids(
    address: ServerAddress, store: str, entity: str, limit: int
) -> list[str]:
    conn = await connect(address, store)
    try:
        rows = await conn.fetch(
            "SELECT DISTINCT mesh_id FROM mesh_crosswalk WHERE entity = $1 "
            "ORDER BY mesh_id LIMIT $2",
            entity,
            limit,
        )
        return [r["mesh_id"] for r in rows]
    finally:
        await conn.close()


def _reps(ids: list[str], typename: str = "Person") -> list[dict[str, str]]:
    return [{"__typename": typename, "id": i} for i in ids]


async def test_entities_cost_one_statement_per_table_for_1_and_1000(linked: ServerAddress) -> None:
    ids = await _crosswalked_ids(linked, "health", "Person", 1000)
    assert len(ids) == 1000
    async with subgraph("health", linked) as sg:
        for batch in (ids[:1], ids):
            before = sg.statements
            body = await sg.query(HEALTH_ENTITIES, {"reps": _reps(batch)})
            assert "errors" not in body, body
            # patient (joined with the crosswalk) + long_term_condition: two tables, two statements.
            assert sg.statements - before == 2
            assert [e["id"] for e in body["data"]["_entities"]] == batch


async def test_entities_answer_what_the_store_holds_in_representation_order(
    linked: ServerAddress,
) -> None:
    ids = list(reversed(await _crosswalked_ids(linked, "health", "Person", 50)))
    conn = await connect(linked, "health")
    try:
        rows = await conn.fetch(
            "SELECT c.mesh_id, p.nhs_number, p.family_name, "
            "(SELECT count(*) FROM long_term_condition l WHERE l.patient_id = p.patient_id) AS n "
            "FROM mesh_crosswalk c JOIN patient p ON p.patient_id = c.local_id::bigint "
            "WHERE c.entity = 'Person' AND c.mesh_id = ANY($1::text[])",
            ids,
        )
    finally:
        await conn.close()
    expected = {r["mesh_id"]: (r["nhs_number"], r["family_name"], r["n"]) for r in rows}
    async with subgraph("health", linked) as sg:
        body = await sg.query(HEALTH_ENTITIES, {"reps": _reps(ids)})
    for mesh_id, entity in zip(ids, body["data"]["_entities"], strict=True):
        record = entity["health"]
        nhs, family, conditions = expected[mesh_id]
        assert (record["nhsNumber"], record["familyName"]) == (nhs, family)
        assert len(record["longTermConditions"]) == conditions


async def test_unknown_ids_give_null_and_bad_entries_fail_alone(linked: ServerAddress) -> None:
    known = (await _crosswalked_ids(linked, "health", "Person", 1))[0]
    unknown = "mp_" + "0" * 20
    reps = [
        {"__typename": "Person", "id": known},
        {"__typename": "Martian", "id": known},
        {"__typename": "Person", "id": "not-a-mesh-id"},
        {"__typename": "Person", "id": unknown},
        {"__typename": "Person"},
    ]
    async with subgraph("health", linked) as sg:
        body = await sg.query(HEALTH_ENTITIES, {"reps": reps})
    entities = body["data"]["_entities"]
    assert entities[0]["health"] is not None
    assert entities[1] is None and entities[2] is None and entities[4] is None
    assert entities[3] == {"id": unknown, "health": None}
    by_index = {e["path"][1]: e for e in body["errors"]}
    assert set(by_index) == {1, 2, 4}
    assert by_index[1]["extensions"]["code"] == "UNKNOWN_TYPENAME"
    assert by_index[2]["extensions"]["code"] == "BAD_USER_INPUT"
    assert by_index[4]["extensions"]["code"] == "BAD_REPRESENTATION"


async def test_index_answers_null_for_unknown_people(linked: ServerAddress) -> None:
    ids = await _crosswalked_ids(linked, "health", "Person", 3)
    reps = _reps([ids[0], "mp_" + "f" * 20, ids[1]])
    async with subgraph("index", linked) as sg:
        body = await sg.query(
            "query ($reps: [_Any!]!) { _entities(representations: $reps) "
            "{ ... on Person { id household { id size } } } }",
            {"reps": reps},
        )
    entities = body["data"]["_entities"]
    assert entities[0]["id"] == ids[0] and entities[2]["id"] == ids[1]
    assert entities[1] is None
    assert entities[0]["household"]["size"] >= 1


async def test_oversized_representation_lists_are_refused(linked: ServerAddress) -> None:
    ids = await _crosswalked_ids(linked, "health", "Person", 11)
    async with subgraph("health", linked, max_representations=10) as sg:
        body = await sg.query(HEALTH_ENTITIES, {"reps": _reps(ids)})
        assert sg.statements == 0
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_REPRESENTATIONS"


async def test_releasing_a_connection_costs_no_round_trip_and_ends_an_open_transaction(
    linked: ServerAddress,
) -> None:
    database = Database(linked.dsn("health"), SubgraphSettings(pool_min=1, pool_max=1))
    try:
        pool = await database.pool()
        sent: list[str] = []
        async with pool.acquire() as conn:
            conn.add_query_logger(lambda record: sent.append(record.query))
            await conn.execute("BEGIN")  # left open by somebody: rolled back on release
        assert sent == ["BEGIN", "ROLLBACK"]
        for _ in range(3):
            assert await database.fetch("SELECT txid_current_if_assigned() IS NULL AS fresh")
        # only the statements themselves reached PostgreSQL: no reset after each release
        assert sent[2:] == ["SELECT txid_current_if_assigned() IS NULL AS fresh"] * 3
        rows = await database.fetch("SELECT txid_current_if_assigned() IS NULL AS fresh")
        assert rows[0]["fresh"] is True  # no transaction carried over
    finally:
        await database.close()


async def test_database_down_gives_a_clear_error_and_readiness_fails() -> None:
    dead = "postgresql://mesh@127.0.0.1:9/health"
    async with subgraph("health", dsn=dead) as sg:
        body = await sg.query(HEALTH_ENTITIES, {"reps": _reps(["mp_" + "1" * 20])})
        assert (await sg.http.get("/healthz")).status_code == 200
        ready = await sg.http.get("/readyz")
    error = body["errors"][0]
    assert error["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    assert error["message"].startswith("database unavailable")
    assert ready.status_code == 503


async def test_search_by_nhs_number_name_and_postcode(linked: ServerAddress) -> None:
    conn = await connect(linked, "health")
    try:
        row = await conn.fetchrow(
            "SELECT c.mesh_id, i.* FROM mesh_identity i JOIN mesh_crosswalk c "
            "ON c.entity = 'Person' AND c.local_id = i.local_id "
            "WHERE i.postcode IS NOT NULL ORDER BY i.local_id LIMIT 1"
        )
    finally:
        await conn.close()
    assert row is not None
    search = (
        "query ($nhs: String, $family: String, $dob: Date, $postcode: String) {"
        " healthPeopleSearch(nhsNumber: $nhs, familyName: $family, dateOfBirth: $dob,"
        " postcode: $postcode) { meshId agency strength matchedOn } }"
    )
    async with subgraph("health", linked) as sg:
        by_nhs = await sg.query(search, {"nhs": row["nhs_number"]})
        by_name = await sg.query(
            search, {"family": row["family_name"].upper(), "dob": row["date_of_birth"].isoformat()}
        )
        by_postcode = await sg.query(search, {"postcode": row["postcode"].replace(" ", "").lower()})
        bad = await sg.query(search, {"postcode": "not a postcode"})
        empty = await sg.query(search, {})
    top = by_nhs["data"]["healthPeopleSearch"][0]
    assert top["meshId"] == row["mesh_id"] and top["strength"] >= 0.95
    assert row["mesh_id"] in [m["meshId"] for m in by_name["data"]["healthPeopleSearch"]]
    assert row["mesh_id"] in [m["meshId"] for m in by_postcode["data"]["healthPeopleSearch"]]
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert empty["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_request_bodies_over_the_limit_are_refused(linked: ServerAddress) -> None:
    async with subgraph("health", linked) as sg:
        response = await sg.http.post(
            "/graphql",
            content=b"x" * (9 * 1024 * 1024),
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 413


async def test_loaders_live_for_one_request_only(linked: ServerAddress) -> None:
    """A second request must reach the database again: no rows cached between callers."""
    ids = await _crosswalked_ids(linked, "health", "Person", 5)
    async with subgraph("health", linked) as sg:
        first = sg.statements
        await sg.query(HEALTH_ENTITIES, {"reps": _reps(ids)})
        second = sg.statements
        await sg.query(HEALTH_ENTITIES, {"reps": _reps(ids)})
        assert second - first == 2
        assert sg.statements - second == 2


async def test_data_needs_a_gateway_context_but_the_schema_is_public(
    linked: ServerAddress,
) -> None:
    from authz.model import AccessRequest, Principal, PurposeOfUse

    ids = await _crosswalked_ids(linked, "police", "Person", 1)
    query = {"query": HEALTH_ENTITIES, "variables": {"reps": _reps(ids)}}
    async with subgraph("health", linked) as sg:
        bare = await sg.http.post("/graphql", json=query)
        forged = await sg.http.post("/graphql", json=query, headers={"x-mesh-context": "abc"})
        sdl = await sg.http.post("/graphql", json={"query": "{ _service { sdl } }"})
    assert bare.status_code == 401
    assert bare.json()["errors"][0]["extensions"]["code"] == "GATEWAY_CONTEXT_REQUIRED"
    assert forged.status_code == 401
    assert forged.json()["errors"][0]["extensions"]["code"] == "GATEWAY_CONTEXT_INVALID"
    assert sdl.status_code == 200 and "@key" in sdl.json()["data"]["_service"]["sdl"]

    planning = AccessRequest(Principal("a", "gmca", ("analyst",)), PurposeOfUse.PLANNING)
    police_query = {
        "query": "query ($reps: [_Any!]!) { _entities(representations: $reps) "
        "{ ... on Person { police { __typename } } } }",
        "variables": {"reps": _reps(ids)},
    }
    async with subgraph("police", linked) as sg:
        refused = await sg.post(police_query, planning)
        allowed = await sg.post(police_query)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN_BY_AGENCY"
    assert allowed.status_code == 200 and "errors" not in allowed.json()
