"""The national data opt-out, decided at the gateway from what health published to the index
at linkage — never from asking health at query time — and closed when it cannot be known.

Regression tests for the fail-open found in review: health's own stricter rule returned null
for opted-out people, so the gateway's old check (health's flag == true) never fired and their
adult social care records were served for PLANNING; it also failed open with health down and
when a client used the internal alias itself."""

from __future__ import annotations

from typing import Any

from authz.access import Caller
from authz.model import Principal
from mesh.gateway import Gateway
from store import ServerAddress
from store.server import connect
from tests.gateway_fixtures import AsCaller, gateway_with

ANALYST = Caller(Principal("an-1", "QOP", ("analyst",)), "PLANNING")
GP = Caller(Principal("gp-1", "gp-p84001", ("gp",)), "DIRECT_CARE")
SECTIONS = "query ($id: ID!) { person(id: $id) { id health { sex } adultSocialCare { sex } } }"


async def _mesh_ids(address: ServerAddress, agency: str, where: str = "true") -> set[str]:
    conn = await connect(address, agency)
    try:
        rows = await conn.fetch(
            "SELECT c.mesh_id FROM mesh_crosswalk c JOIN mesh_identity i "
            f"ON i.local_id = c.local_id WHERE c.entity = 'Person' AND {where}"
        )
    finally:
        await conn.close()
    return {str(r["mesh_id"]) for r in rows}


async def _people(address: ServerAddress) -> dict[str, set[str]]:
    opted = "EXISTS (SELECT 1 FROM patient p WHERE p.patient_id::text = i.local_id AND p.national_data_opt_out)"  # noqa: E501
    health = await _mesh_ids(address, "health")
    opted_out = await _mesh_ids(address, "health", opted)
    social_care = await _mesh_ids(address, "adult_social_care")
    groups = {
        "opted_out_with_social_care": opted_out & social_care,
        "kept_with_social_care": (health - opted_out) & social_care,
    }
    for name, members in groups.items():
        assert members, f"the test population has nobody {name}: change TEST_SEED or the size"
    return groups


def _sections(body: dict[str, Any]) -> tuple[Any, Any]:
    person = body["data"]["person"]
    return person["health"], person["adultSocialCare"]


def _as(gateway: AsCaller | Gateway, caller: Caller) -> AsCaller:
    inner = gateway.gateway if isinstance(gateway, AsCaller) else gateway
    return AsCaller(inner, caller)


async def test_planning_withholds_health_and_social_care_of_everyone_who_opted_out(
    gateway: AsCaller, linked: ServerAddress
) -> None:
    analyst = _as(gateway, ANALYST)
    people = await _people(linked)
    for mesh_id in sorted(people["opted_out_with_social_care"]):
        result = await analyst.execute(SECTIONS, {"id": mesh_id})
        assert _sections(result.body) == (None, None), (mesh_id, result.body)
        assert result.body["extensions"]["governance"]["withheldByRowRules"] == 2
    for mesh_id in sorted(people["kept_with_social_care"])[:5]:
        result = await analyst.execute(SECTIONS, {"id": mesh_id})
        health, social_care = _sections(result.body)
        assert health is not None and social_care is not None, (mesh_id, result.body)


async def test_an_opt_out_nobody_can_know_is_treated_as_opted_out(
    gateway: AsCaller, linked: ServerAddress
) -> None:
    """Everyone in the synthetic population is registered with a GP, so the index is told
    "unknown" for one person here, as it would be for someone health does not know."""
    analyst = _as(gateway, ANALYST)
    mesh_id = sorted((await _people(linked))["kept_with_social_care"])[0]
    before = await analyst.execute(SECTIONS, {"id": mesh_id})
    assert _sections(before.body)[1] is not None, before.body
    index = await connect(linked, "index")
    try:
        await index.execute(
            "UPDATE mesh_person SET national_data_opt_out = NULL WHERE mesh_id = $1", mesh_id
        )
        result = await analyst.execute(SECTIONS, {"id": mesh_id})
    finally:
        await index.execute(
            "UPDATE mesh_person SET national_data_opt_out = false WHERE mesh_id = $1", mesh_id
        )
        await index.close()
    assert _sections(result.body) == (None, None), result.body


async def test_the_opt_out_holds_with_health_down_and_needs_no_request_to_health(
    gateway: AsCaller, linked: ServerAddress
) -> None:
    people = await _people(linked)
    down = _as(gateway_with(gateway, urls={"health": "http://127.0.0.1:9/graphql"}), ANALYST)
    try:
        for mesh_id in sorted(people["opted_out_with_social_care"])[:5]:
            result = await down.execute(
                "query ($id: ID!) { person(id: $id) { adultSocialCare { sex } } }", {"id": mesh_id}
            )
            assert result.body["data"]["person"]["adultSocialCare"] is None, result.body
            assert down.transport.requests["health"] == 0
        kept = sorted(people["kept_with_social_care"])[0]
        served = await down.execute(
            "query ($id: ID!) { person(id: $id) { adultSocialCare { sex } } }", {"id": kept}
        )
        assert served.body["data"]["person"]["adultSocialCare"] is not None, served.body
    finally:
        await down.aclose()


async def test_clients_cannot_write_the_gateways_internal_aliases(gateway: AsCaller) -> None:
    analyst = _as(gateway, ANALYST)
    query = '{ person(id: "mp_00000000000000000000") { _meshOptOut: id adultSocialCare { sex } } }'
    result = await analyst.execute(query)
    assert result.request_error
    assert "reserved" in result.body["errors"][0]["message"]


async def test_clients_cannot_alias_a_field_as_the_engines_typename(gateway: AsCaller) -> None:
    """``__typename`` is what the engine reads an entity's type from when it fetches it from
    an agency: a client alias of that name shadowed it (``__typename: id`` answered "Person"
    for the id and sent health the id "Person"). Names starting with ``__`` are GraphQL's own."""
    for alias in ("__typename", "__key", "__x"):
        query = f'{{ person(id: "mp_00000000000000000000") {{ {alias}: id health {{ sex }} }} }}'
        result = await _as(gateway, GP).execute(query)
        assert result.request_error and result.body.get("data") is None, result.body
        assert "reserved" in result.body["errors"][0]["message"]


async def test_the_opt_out_never_touches_direct_care(
    gateway: AsCaller, linked: ServerAddress
) -> None:
    gp = _as(gateway, GP)
    people = await _people(linked)
    mesh_id = sorted(people["opted_out_with_social_care"])[0]
    result = await gp.execute(SECTIONS, {"id": mesh_id})
    health, social_care = _sections(result.body)
    assert health is not None and social_care is not None, result.body
    assert result.body["extensions"]["governance"]["withheldByRowRules"] == 0
