"""A captured agency context is worth nothing (issue 10, item 5), and both ends log.

Before: an ``X-Mesh-Context`` captured on its way to police was replayed straight to police
twice within 60 seconds for another person's incidents; police served both and nothing was
recorded centrally. Now each context is for one subgraph and one request body (the operation
and the people it asks about: the commitment the signed context lists for the request's own
nonce), one use (the commitment, in the agency's own access log) and 30 seconds; the agency
logs what it served in its own database, and ``mesh audit reconcile`` finds any request an
agency served that the central chain lacks. The requests of one plan level share a
signature, never a commitment."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from typer.testing import CliRunner

from authz.access import Caller
from authz.audit import AuditLog
from authz.context_token import (
    CONTEXT_HEADER,
    NONCE_HEADER,
    ContextSigner,
    RequestContext,
    commitment,
    ensure_gateway_keys,
)
from authz.model import Principal
from authz.reconcile import reconcile
from mesh.cli.app import app
from mesh.federation.execute.transport import Headers
from mesh.gateway import Gateway
from mesh.gateway.transport import MeshTransport
from store import ServerAddress
from store.server import connect
from tests.conftest import TEST_KEYS_DIR, TEST_PREFIX

LEAD = Caller(
    Principal("lead-5", "manchester-city-council", ("safeguarding_lead",)),
    "SAFEGUARDING",
    "CASE-2026-050",
)
INCIDENTS = "query ($id: ID!) { person(id: $id) { police { incidents { incidentType } } } }"


class WireTap(MeshTransport):
    """The real transport, keeping each request's subgraph, exact body and headers."""

    def __init__(self, urls: Mapping[str, str], local: Mapping[str, Any]) -> None:
        super().__init__(urls, local=local)
        self.sent: list[tuple[str, bytes, dict[str, str]]] = []

    async def post(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Headers | None = None,
        *,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        async def tapped(name: str, body: bytes) -> Mapping[str, str]:
            made = dict(await headers(name, body) if callable(headers) else headers or {})
            self.sent.append((name, body, made))
            return made

        return await super().post(subgraph, query, variables, tapped, timeout=timeout)


async def _known_to_police(address: ServerAddress) -> tuple[str, str]:
    conn = await connect(address, "police")
    try:
        rows = await conn.fetch(
            "SELECT mesh_id FROM mesh_crosswalk WHERE entity = 'Person' ORDER BY mesh_id LIMIT 2"
        )
    finally:
        await conn.close()
    return str(rows[0]["mesh_id"]), str(rows[1]["mesh_id"])


async def _logged(address: ServerAddress, store: str, context_id: str) -> Any:
    conn = await connect(address, store)
    try:
        return await conn.fetchrow(
            "SELECT * FROM mesh_access_log WHERE context_id = $1", context_id
        )
    finally:
        await conn.close()


@pytest.fixture()
async def captured(
    raw_gateway: Gateway, linked: ServerAddress
) -> tuple[Gateway, dict[str, Any], list[tuple[str, bytes, dict[str, str]]], str, str]:
    victim, other = await _known_to_police(linked)
    tap = WireTap(raw_gateway.transport.urls, raw_gateway.transport.local)
    tapped = raw_gateway.with_transport(tap)
    answer = await tapped.execute(INCIDENTS, {"id": victim}, caller=LEAD)
    assert answer.body["data"]["person"]["police"] is not None, answer.body
    return tapped, answer.body, tap.sent, victim, other


def _claims(headers: Mapping[str, str]) -> dict[str, Any]:
    return dict(jwt.decode(headers[CONTEXT_HEADER], options={"verify_signature": False}))


def _committed(subgraph: str, body: bytes, headers: Mapping[str, str]) -> str:
    """The request's context id, as its agency works it out from what it received."""
    nonce = headers[NONCE_HEADER]
    return commitment(base64.urlsafe_b64decode(nonce + "=" * (-len(nonce) % 4)), subgraph, body)


def _signer() -> ContextSigner:
    """The gateway's key for this session (anyone holding it can sign: reconcile finds out)."""
    signer, _ = ensure_gateway_keys(TEST_KEYS_DIR)
    return signer


async def _send(url: str, body: bytes, headers: Mapping[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.post(url, content=body, headers=dict(headers))


def _code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_a_captured_context_cannot_be_replayed_or_reused(
    captured: tuple[Gateway, dict[str, Any], list[tuple[str, bytes, dict[str, str]]], str, str],
    subgraph_urls: dict[str, str],
) -> None:
    _, _, sent, victim, other = captured
    police = [(body, headers) for name, body, headers in sent if name == "police"]
    assert len(police) == 1
    body, headers = police[0]
    contexts = [_claims(h) for *_, h in sent]
    committed = [_committed(name, body, h) for name, body, h in sent]
    assert len(set(committed)) == len(sent)  # one commitment per subgraph request
    assert all(c in claims["req"] for c, claims in zip(committed, contexts, strict=True))
    assert contexts and max(c["exp"] - c["iat"] for c in contexts) <= 30
    served = 0
    for _ in range(2):  # the reviewer's attack: replayed for another person, twice in 60 s
        someone_else = body.replace(victim.encode(), other.encode())
        replay = await _send(subgraph_urls["police"], someone_else, headers)
        assert replay.status_code == 401 and _code(replay) == "GATEWAY_CONTEXT_INVALID"
        served += replay.status_code == 200
    exact = await _send(subgraph_urls["police"], body, headers)
    assert exact.status_code == 401 and _code(exact) == "GATEWAY_CONTEXT_REPLAYED"
    elsewhere = await _send(subgraph_urls["health"], body, headers)
    assert elsewhere.status_code == 401 and "not for health" in elsewhere.text
    assert served == 0


LEVEL = (
    "query ($id: ID!) { person(id: $id) { police { incidents { incidentType } }"
    " health { nhsNumber } housing { __typename } } }"
)


async def test_one_plan_level_shares_a_signature_and_every_agency_serves_its_own_request(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    """The index first, then police, health and housing together: two signatures for four
    requests, and each agency logged its own request under its own commitment."""
    person, _ = await _known_to_police(linked)
    tap = WireTap(raw_gateway.transport.urls, raw_gateway.transport.local)
    answer = await raw_gateway.with_transport(tap).execute(LEVEL, {"id": person}, caller=LEAD)
    assert answer.body["data"]["person"]["police"] is not None, answer.body
    asked = sorted(name for name, *_ in tap.sent)
    assert asked == ["health", "housing", "index", "police"]
    tokens = {name: headers[CONTEXT_HEADER] for name, _, headers in tap.sent}
    assert tokens["police"] == tokens["health"] == tokens["housing"] != tokens["index"]
    assert len(_claims(tap.sent[0][2])["req"]) in {1, 3}
    for name, body, headers in tap.sent:
        row = await _logged(linked, name, _committed(name, body, headers))
        assert row is not None, name


async def test_a_stale_context_is_refused(subgraph_urls: dict[str, str]) -> None:
    body = json.dumps({"query": '{ policePeopleSearch(postcode: "M1 1AA") { meshId } }'})
    context = RequestContext(LEAD.access_request(), str(uuid.uuid4()), (), False)
    stale = _signer().sign(context, "police", body.encode(), ttl=-60)
    answer = await _send(subgraph_urls["police"], body.encode(), {**stale, "content-type": "json"})
    assert answer.status_code == 401 and _code(answer) == "GATEWAY_CONTEXT_EXPIRED"


async def test_each_agency_logs_what_it_served_and_the_logs_reconcile(
    captured: tuple[Gateway, dict[str, Any], list[tuple[str, bytes, dict[str, str]]], str, str],
    subgraph_urls: dict[str, str],
    linked: ServerAddress,
) -> None:
    gateway, answer, sent, victim, _ = captured
    request_id = answer["extensions"]["governance"]["requestId"]
    for name, body, headers in sent:
        if name == "mesh":
            continue  # the centre is the gateway itself: the central chain is its log
        row = await _logged(linked, name, _committed(name, body, headers))
        assert row is not None, name
        assert (row["request_id"], row["organisation"], row["purpose"]) == (
            request_id,
            "manchester-city-council",
            "SAFEGUARDING",
        )
        assert victim in row["subjects"]
    stray_id = await _stray(subgraph_urls["police"], victim)
    assert gateway.governance is not None
    log: AuditLog = gateway.governance.audit
    now = datetime.now(UTC)
    logs = {name: linked.dsn(name) for name in subgraph_urls}
    report = await reconcile(
        log, logs, since=now - timedelta(minutes=5), until=now + timedelta(minutes=1)
    )
    flagged = {(d.kind, d.request_id) for d in report.discrepancies}
    assert ("unrecorded", stray_id) in flagged
    assert not {d for d in report.discrepancies if d.request_id == request_id}
    assert report.checked["police"] >= 2


async def _stray(police: str, person: str) -> str:
    """A context used outside the gateway (signed with its key, say, by someone who has it):
    police serve it — it is valid — and only reconciliation can tell the centre never saw it."""
    body = json.dumps(
        {
            "query": "query ($r: [_Any!]!) { _entities(representations: $r) "
            "{ ... on Person { police { __typename } } } }",
            "variables": {"r": [{"__typename": "Person", "id": person}]},
        }
    ).encode()
    stray_id = str(uuid.uuid4())
    signed = _signer().sign(
        RequestContext(LEAD.access_request(), stray_id, (), False), "police", body
    )
    served = await _send(police, body, {**signed, "content-type": "application/json"})
    assert served.status_code == 200, served.text
    return stray_id


def test_mesh_audit_reconcile_names_what_the_centre_never_recorded(
    subgraph_urls: dict[str, str], linked: ServerAddress
) -> None:
    stray_id = asyncio.run(_stray(subgraph_urls["police"], "mp_" + "5" * 20))
    cli = CliRunner().invoke(
        app,
        ["audit", "reconcile", "--hours", "1", "--grace", "0"],
        env={"MESH_DB_PREFIX": TEST_PREFIX, "COLUMNS": "250"},
    )
    assert cli.exit_code == 1, cli.output
    assert stray_id in cli.output and "unrecorded" in cli.output
