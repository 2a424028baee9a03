"""The sharing rules at the gateway, end to end over real subgraphs and real Postgres:
identity and purpose, deny-by-default without leaks through any query shape, masking,
the national data opt-out, break-glass, and the audit written before anything is served."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import pytest

from authz.access import Caller
from authz.audit import AuditLog
from authz.dev_keys import ensure_dev_keys, mint_token
from authz.model import Principal
from authz.oversight import unreviewed_break_glass
from mesh.gateway import Gateway
from mesh.gateway.transport import MeshTransport
from store import ServerAddress
from store.server import connect
from tests.conftest import TEST_KEYS_DIR

ANALYST = Caller(Principal("an-1", "QOP", ("analyst",)), "PLANNING")
LANDLORD = Caller(Principal("ho-1", "one-manchester", ("housing_officer",)), "EARLY_HELP")
PARAMEDIC = Caller(
    Principal("pm-1", "nwas", ("paramedic",)),
    "EMERGENCY",
    None,
    "unconscious patient, no history available",
)
LEAD = Caller(
    Principal("lead-1", "manchester-city-council", ("safeguarding_lead",)),
    "SAFEGUARDING",
    "CASE-2026-002",
)


class RecordingTransport(MeshTransport):
    """The real transport, keeping the text of every subgraph request for inspection."""

    def __init__(self, urls: Mapping[str, str], local: Mapping[str, Any]) -> None:
        super().__init__(urls, local=local)
        self.sent: list[tuple[str, str]] = []

    async def post(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
        *,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        self.sent.append((subgraph, query))
        return await super().post(subgraph, query, variables, headers, timeout=timeout)


@pytest.fixture()
def recording(raw_gateway: Gateway) -> Gateway:
    transport = raw_gateway.transport
    return raw_gateway.with_transport(RecordingTransport(transport.urls, transport.local))


async def _person_known_to(address: ServerAddress, agency: str, where: str = "true") -> str:
    conn = await connect(address, agency)
    try:
        mesh_id = await conn.fetchval(
            "SELECT c.mesh_id FROM mesh_crosswalk c JOIN mesh_identity i "
            f"ON i.local_id = c.local_id WHERE c.entity = 'Person' AND {where} "
            "ORDER BY c.mesh_id LIMIT 1"
        )
    finally:
        await conn.close()
    assert mesh_id is not None
    return str(mesh_id)


def _codes(body: dict[str, Any]) -> set[str]:
    return {e["extensions"]["code"] for e in body.get("errors", [])}


async def test_denied_fields_never_leak_through_any_query_shape(
    recording: Gateway, linked: ServerAddress
) -> None:
    person = await _person_known_to(linked, "health")
    shapes = {
        "plain": "query ($id: ID!) { person(id: $id) { health { nhsNumber } } }",
        "alias": "query ($id: ID!) { person(id: $id) { h: health { n: nhsNumber } } }",
        "fragment": "query ($id: ID!) { person(id: $id) { ...F } } "
        "fragment F on Person { health { nhsNumber } }",
        "inline": "query ($id: ID!) { person(id: $id) { ... on Person { health { nhsNumber } } } }",
        "nested": "query ($id: ID!) { person(id: $id) { household { members { health "
        "{ nhsNumber } } } } }",
        "variables": "query ($id: ID!, $yes: Boolean!) { person(id: $id) "
        "{ health @include(if: $yes) { nhsNumber } } }",
    }
    for name, query in shapes.items():
        transport = recording.transport
        assert isinstance(transport, RecordingTransport)
        transport.sent.clear()
        result = await recording.execute(query, {"id": person, "yes": True}, caller=LANDLORD)
        assert "FORBIDDEN_BY_POLICY" in _codes(result.body), (name, result.body)
        assert person[3:] not in str(result.body.get("data")) or name == "nested"
        assert "nhsNumber" not in str(result.body.get("data")).replace("'nhsNumber': None", "")
        assert all(subgraph != "health" for subgraph, _ in transport.sent), name
        assert all("nhsNumber" not in text for _, text in transport.sent), name
        denied = next(
            e for e in result.body["errors"] if e["extensions"]["code"] == "FORBIDDEN_BY_POLICY"
        )
        assert denied["extensions"]["coordinate"] in ("Person.health", "Person.household")
        assert denied["extensions"]["reason"]


async def test_allowed_fields_are_served_next_to_denied_ones(
    recording: Gateway, linked: ServerAddress
) -> None:
    person = await _person_known_to(linked, "welfare")
    query = (
        "query ($id: ID!) { person(id: $id) { id welfare { givenName "
        "universalCreditClaims { startDate housingElement monthlyAward } } } }"
    )
    result = await recording.execute(query, {"id": person}, caller=LANDLORD)
    welfare = result.body["data"]["person"]["welfare"]
    assert welfare["givenName"]
    coordinates = {e["extensions"]["coordinate"] for e in result.body["errors"]}
    assert coordinates == {"UniversalCreditClaim.monthlyAward"}
    assert all(c["monthlyAward"] is None for c in welfare["universalCreditClaims"])
    assert result.body["extensions"]["governance"]["denied"] == [
        "UniversalCreditClaim.monthlyAward"
    ]


async def test_planning_masks_and_honours_the_national_data_opt_out(
    recording: Gateway, linked: ServerAddress
) -> None:
    kept = await _person_known_to(
        linked,
        "health",
        "i.postcode IS NOT NULL AND NOT EXISTS (SELECT 1 FROM patient p "
        "WHERE p.patient_id::text = i.local_id AND p.national_data_opt_out)",
    )
    opted = await _person_known_to(
        linked,
        "health",
        "EXISTS (SELECT 1 FROM patient p WHERE p.patient_id::text = i.local_id "
        "AND p.national_data_opt_out)",
    )
    query = "query ($id: ID!) { person(id: $id) { health { dateOfBirth postcode sex } } }"
    shown = await recording.execute(query, {"id": kept}, caller=ANALYST)
    health = shown.body["data"]["person"]["health"]
    conn = await connect(linked, "health")
    try:
        row = await conn.fetchrow(
            "SELECT p.date_of_birth, p.postcode FROM patient p JOIN mesh_crosswalk c "
            "ON c.local_id = p.patient_id::text AND c.entity = 'Person' WHERE c.mesh_id = $1",
            kept,
        )
    finally:
        await conn.close()
    assert row is not None
    assert health["dateOfBirth"] == str(row["date_of_birth"].year)
    assert health["postcode"] == row["postcode"].split()[0]
    assert set(shown.body["extensions"]["governance"]["masked"]) == {
        "HealthRecord.dateOfBirth",
        "HealthRecord.postcode",
    }
    withheld = await recording.execute(query, {"id": opted}, caller=ANALYST)
    assert withheld.body["data"]["person"]["health"] is None


async def test_break_glass_needs_a_justification_and_is_flagged_for_review(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    person = await _person_known_to(linked, "health")
    query = "query ($id: ID!) { person(id: $id) { health { longTermConditions { description } } } }"
    no_reason = Caller(PARAMEDIC.principal, "EMERGENCY")
    refused = await raw_gateway.execute(query, {"id": person}, caller=no_reason)
    assert refused.request_error and _codes(refused.body) == {"JUSTIFICATION_REQUIRED"}
    granted = await raw_gateway.execute(query, {"id": person}, caller=PARAMEDIC)
    governance = granted.body["extensions"]["governance"]
    assert governance["breakGlass"] is True
    assert granted.body["data"]["person"]["health"] is not None
    assert raw_gateway.governance is not None
    log: AuditLog = raw_gateway.governance.audit
    pending = await unreviewed_break_glass(log)
    assert governance["auditRecord"] in {record.seq for record in pending}


async def test_every_answer_is_audited_in_an_unbroken_chain(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    person = await _person_known_to(linked, "police")
    query = "query ($id: ID!) { person(id: $id) { police { incidents { occurredAt } } } }"
    result = await raw_gateway.execute(query, {"id": person}, caller=LEAD)
    seq = result.body["extensions"]["governance"]["auditRecord"]
    assert raw_gateway.governance is not None
    log: AuditLog = raw_gateway.governance.audit
    record = await log.record(seq)
    assert record is not None
    entry = record.entry
    assert (entry.organisation, entry.purpose.value, entry.case_reference) == (
        "manchester-city-council",
        "SAFEGUARDING",
        "CASE-2026-002",
    )
    assert person in entry.subjects
    assert "PoliceRecord.incidents" in entry.served
    assert any(a.startswith("police-mash-safeguarding@") for a in entry.agreements)
    assert (await log.verify()).ok


async def test_no_data_is_served_when_the_audit_log_is_down(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    from dataclasses import replace

    from authz.audit import AuditLog

    assert raw_gateway.governance is not None
    dead_pool_log = await AuditLog.open(linked.dsn("governance"), timeout=2)
    await dead_pool_log.close()
    governance = replace(raw_gateway.governance, audit=dead_pool_log)  # a new writer
    cut_off = Gateway(
        raw_gateway.supergraph, raw_gateway.transport, raw_gateway.settings, governance
    )
    cut_off.owns_governance = False
    person = await _person_known_to(linked, "health")
    result = await cut_off.execute(
        "query ($id: ID!) { person(id: $id) { health { familyName } } }",
        {"id": person},
        caller=LEAD,
    )
    assert result.http_status() == 503
    assert result.body["data"] is None
    assert _codes(result.body) == {"AUDIT_UNAVAILABLE"}


async def _post(app: Any, query: str, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        return await client.post("/graphql", json={"query": query}, headers=headers)


async def test_tokens_and_purposes_over_http(http_app: Any) -> None:
    query = '{ person(id: "mp_00000000000000000000") { id } }'
    keys = ensure_dev_keys(TEST_KEYS_DIR)
    good = mint_token(keys, "manchester-city-council", ["safeguarding_lead"])
    expired = mint_token(keys, "manchester-city-council", ["safeguarding_lead"], ttl=-120)
    cases = [
        ({}, 401, "UNAUTHENTICATED"),
        ({"authorization": "Bearer not.a.token"}, 401, "TOKEN_INVALID"),
        ({"authorization": f"Bearer {expired}"}, 401, "TOKEN_EXPIRED"),
        ({"authorization": f"Bearer {good}"}, 400, "PURPOSE_REQUIRED"),
        (
            {"authorization": f"Bearer {good}", "x-purpose-of-use": "CURIOSITY"},
            400,
            "UNKNOWN_PURPOSE",
        ),
    ]
    for headers, status, code in cases:
        response = await _post(
            http_app, query, {"accept": "application/graphql-response+json", **headers}
        )
        assert response.status_code == status, (headers, response.text)
        assert response.json()["errors"][0]["extensions"]["code"] == code
        assert good not in response.text
    ok = await _post(
        http_app,
        query,
        {
            "authorization": f"Bearer {good}",
            "x-purpose-of-use": "SAFEGUARDING",
            "x-case-reference": "CASE-9",
        },
    )
    assert ok.status_code == 200 and ok.json()["data"] == {"person": None}
