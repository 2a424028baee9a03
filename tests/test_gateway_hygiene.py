"""Request hygiene at the gateway's edge (issue 10, item 9): one value per governing header,
bounded echoes, bounded case references and justifications, and readiness that says "no"
while the audit log — without which nothing personal is served — is down."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx

from authz.audit import AuditLog
from authz.dev_keys import ensure_dev_keys, mint_token
from mesh.federation.http import PipelineHolder
from mesh.gateway import Gateway
from mesh.gateway.serve import gateway_app
from store import ServerAddress
from tests.conftest import TEST_KEYS_DIR

QUERY = '{ person(id: "mp_00000000000000000000") { id } }'


def _token() -> str:
    keys = ensure_dev_keys(TEST_KEYS_DIR)
    return mint_token(keys, "manchester-city-council", ["safeguarding_lead"])


async def post_query(
    app: Any, headers: list[tuple[str, str]], query: str = QUERY
) -> httpx.Response:
    """``query`` to the gateway's HTTP app as a graphql-response+json client would send it."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        return await client.post(
            "/graphql",
            json={"query": query},
            headers=[("accept", "application/graphql-response+json"), *headers],
        )


def _code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_a_governing_header_sent_twice_is_refused_not_first_wins(http_app: Any) -> None:
    bearer = ("authorization", f"Bearer {_token()}")
    twice = await post_query(
        http_app,
        [bearer, ("x-purpose-of-use", "PLANNING"), ("x-purpose-of-use", "SAFEGUARDING"),
         ("x-case-reference", "CASE-1")],
    )  # fmt: skip
    assert twice.status_code == 400 and _code(twice) == "DUPLICATE_HEADER", twice.text
    cases = await post_query(
        http_app,
        [bearer, ("x-purpose-of-use", "SAFEGUARDING"), ("x-case-reference", "CASE-1"),
         ("x-case-reference", "CASE-2")],
    )  # fmt: skip
    assert cases.status_code == 400 and _code(cases) == "DUPLICATE_HEADER"
    once = await post_query(
        http_app, [bearer, ("x-purpose-of-use", "SAFEGUARDING"), ("x-case-reference", "CASE-1")]
    )
    assert once.status_code == 200, once.text


async def test_errors_never_echo_a_long_header_value(http_app: Any) -> None:
    long_purpose = "CURIOSITY-" + "X" * 6000
    answer = await post_query(
        http_app, [("authorization", f"Bearer {_token()}"), ("x-purpose-of-use", long_purpose)]
    )
    assert answer.status_code == 400 and _code(answer) == "UNKNOWN_PURPOSE"
    assert len(answer.text) < 400 and "X" * 50 not in answer.text


async def test_case_references_and_justifications_have_limits(http_app: Any) -> None:
    bearer = ("authorization", f"Bearer {_token()}")
    purpose = ("x-purpose-of-use", "SAFEGUARDING")
    long_case = await post_query(http_app, [bearer, purpose, ("x-case-reference", "C" * 65)])
    assert long_case.status_code == 400 and _code(long_case) == "INVALID_CASE_REFERENCE"
    assert "C" * 50 not in long_case.text
    control = await post_query(http_app, [bearer, purpose, ("x-case-reference", "CASE\x7f1")])
    assert control.status_code == 400 and _code(control) == "INVALID_CASE_REFERENCE"
    fits = await post_query(http_app, [bearer, purpose, ("x-case-reference", "C" * 64)])
    assert fits.status_code == 200
    emergency = ("x-purpose-of-use", "EMERGENCY")
    essay = await post_query(http_app, [bearer, emergency, ("x-justification", "why " * 200)])
    assert essay.status_code == 400 and _code(essay) == "INVALID_JUSTIFICATION"


async def test_not_ready_while_the_audit_log_is_down(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    assert raw_gateway.governance is not None
    ready_app = gateway_app(
        PipelineHolder(raw_gateway.pipeline), raw_gateway.settings, gateway=lambda: raw_gateway
    )
    closed = await AuditLog.open(linked.dsn("governance"), timeout=2)
    await closed.close()
    cut_off = Gateway(
        raw_gateway.supergraph,
        raw_gateway.transport,
        raw_gateway.settings,
        replace(raw_gateway.governance, audit=closed),
    )
    cut_off.owns_governance = False
    down_app = gateway_app(
        PipelineHolder(cut_off.pipeline), cut_off.settings, gateway=lambda: cut_off
    )
    for app, status in ((ready_app, 200), (down_app, 503)):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            assert (await client.get("/readyz")).status_code == status
