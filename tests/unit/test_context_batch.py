"""The subgraph requests of one plan level share a signature and nothing else.

Each request keeps its own commitment (nonce, body digest, subgraph), so a context verifies
only for the subgraph and the exact body it was made for, whichever signature it shares."""

from __future__ import annotations

import asyncio
import base64
import time
from pathlib import Path
from typing import Any

import jwt
import pytest

from authz.context_batch import ContextBatch
from authz.context_token import (
    CONTEXT_HEADER,
    NONCE_HEADER,
    ContextRejected,
    ContextSigner,
    ContextVerifier,
    RequestContext,
    commitment,
)
from authz.model import AccessRequest, Principal, PurposeOfUse
from authz.signing_keys import ensure_signing_key

ACCESS = AccessRequest(
    Principal("sw-1", "manchester-city-council", ("social_worker",)),
    PurposeOfUse.DIRECT_CARE,
    "CASE-1",
)
CONTEXT = RequestContext(ACCESS, "request-1", ("care@1",), False, frozenset({"health"}))
LEVEL = [("health", b'{"query":"a"}'), ("police", b'{"query":"b"}'), ("housing", b"{}")]


@pytest.fixture()
def keys(tmp_path: Path) -> tuple[ContextSigner, ContextVerifier]:
    key = ensure_signing_key(tmp_path, "k.pem", "k.json")
    return ContextSigner(key.private_key, key.kid), ContextVerifier(key.jwks)


def _claims(headers: dict[str, str]) -> dict[str, Any]:
    return dict(jwt.decode(headers[CONTEXT_HEADER], options={"verify_signature": False}))


async def test_requests_asked_in_one_turn_share_one_signature_and_keep_their_own_commitment(
    keys: tuple[ContextSigner, ContextVerifier],
) -> None:
    signer, verifier = keys
    batch = ContextBatch(signer, CONTEXT, CONTEXT.claims())
    made = await asyncio.gather(*(batch.headers(name, body) for name, body in LEVEL))
    assert len({h[CONTEXT_HEADER] for h in made}) == 1
    assert len({h[NONCE_HEADER] for h in made}) == len(LEVEL)
    assert len(_claims(made[0])["req"]) == len(LEVEL)
    ids = set()
    for (name, body), headers in zip(LEVEL, made, strict=True):
        context = verifier.verify(
            headers[CONTEXT_HEADER], headers[NONCE_HEADER], audience=name, body=body
        )
        assert (context.request, context.request_id) == (ACCESS, "request-1")
        ids.add(context.context_id)
    assert len(ids) == len(LEVEL)  # one use each: the agencies' logs key on these


async def test_a_request_asked_after_the_turn_gets_a_signature_of_its_own(
    keys: tuple[ContextSigner, ContextVerifier],
) -> None:
    signer, _ = keys
    batch = ContextBatch(signer, CONTEXT, CONTEXT.claims())
    first = await batch.headers("index", b"{}")
    second = await asyncio.gather(*(batch.headers(name, body) for name, body in LEVEL))
    third = await batch.headers("index", b"{}")
    tokens = [first[CONTEXT_HEADER], second[0][CONTEXT_HEADER], third[CONTEXT_HEADER]]
    assert len(set(tokens)) == 3
    assert [len(_claims({CONTEXT_HEADER: t})["req"]) for t in tokens] == [1, len(LEVEL), 1]


@pytest.mark.parametrize(
    ("use_nonce_of", "audience", "body"),
    [
        ("health", "police", LEVEL[0][1]),  # health's request sent to police
        ("health", "health", b'{"query":"another person"}'),  # another body
        ("police", "health", LEVEL[0][1]),  # health's body with police's nonce
    ],
)
async def test_a_shared_signature_does_not_open_another_request(
    keys: tuple[ContextSigner, ContextVerifier], use_nonce_of: str, audience: str, body: bytes
) -> None:
    signer, verifier = keys
    batch = ContextBatch(signer, CONTEXT, CONTEXT.claims())
    made = dict(
        zip(
            [name for name, _ in LEVEL],
            await asyncio.gather(*(batch.headers(name, body) for name, body in LEVEL)),
            strict=True,
        )
    )
    token, nonce = made["health"][CONTEXT_HEADER], made[use_nonce_of][NONCE_HEADER]
    with pytest.raises(ContextRejected, match=f"not for {audience}") as refused:
        verifier.verify(token, nonce, audience=audience, body=body)
    assert refused.value.code == "GATEWAY_CONTEXT_INVALID"


@pytest.mark.parametrize(
    "nonce",
    [None, "", "not base64 at all!", base64.urlsafe_b64encode(b"short").decode(), "A" * 400],
)
def test_a_missing_or_malformed_nonce_is_refused(
    keys: tuple[ContextSigner, ContextVerifier], nonce: str | None
) -> None:
    signer, verifier = keys
    headers = signer.sign(CONTEXT, "health", b"{}")
    with pytest.raises(ContextRejected) as refused:
        verifier.verify(headers[CONTEXT_HEADER], nonce, audience="health", body=b"{}")
    assert refused.value.code == "GATEWAY_CONTEXT_INVALID"


def test_a_token_without_commitments_or_with_an_audience_is_refused(
    keys: tuple[ContextSigner, ContextVerifier], tmp_path: Path
) -> None:
    _, verifier = keys
    key = ensure_signing_key(tmp_path, "k.pem", "k.json")
    now = int(time.time())
    claims = {**CONTEXT.claims(), "iat": now, "exp": now + 20, "jti": "x"}
    nonce = b"n" * 16

    def token_of(extra: dict[str, Any]) -> str:
        return jwt.encode(
            {**claims, **extra}, key.private_key, algorithm="ES256", headers={"kid": key.kid}
        )

    listed = [commitment(nonce, "health", b"{}")]
    encoded = base64.urlsafe_b64encode(nonce).decode().rstrip("=")
    extras: list[dict[str, Any]] = [{}, {"req": "not a list"}, {"req": listed, "aud": "health"}]
    verifier.verify(token_of({"req": listed}), encoded, audience="health", body=b"{}")  # control
    for extra in extras:
        with pytest.raises(ContextRejected) as refused:
            verifier.verify(token_of(extra), encoded, audience="health", body=b"{}")
        assert refused.value.code == "GATEWAY_CONTEXT_INVALID"


async def test_a_cancelled_asker_leaves_the_others_signed(
    keys: tuple[ContextSigner, ContextVerifier],
) -> None:
    signer, verifier = keys
    batch = ContextBatch(signer, CONTEXT, CONTEXT.claims())
    asks = [asyncio.ensure_future(batch.headers(name, body)) for name, body in LEVEL]
    await asyncio.sleep(0)  # every ask is waiting for the end of the turn
    asks[1].cancel()
    done = await asyncio.gather(*asks, return_exceptions=True)
    assert isinstance(done[1], asyncio.CancelledError)
    for (name, body), headers in ((LEVEL[0], done[0]), (LEVEL[2], done[2])):
        assert isinstance(headers, dict)
        verifier.verify(headers[CONTEXT_HEADER], headers[NONCE_HEADER], audience=name, body=body)


async def test_a_signing_failure_reaches_every_asker() -> None:
    class BrokenSigner(ContextSigner):
        def sign_together(self, *args: Any, **kwargs: Any) -> list[dict[str, str]]:
            raise RuntimeError("the key is gone")

    broken = BrokenSigner.__new__(BrokenSigner)
    batch = ContextBatch(broken, CONTEXT, CONTEXT.claims())
    done = await asyncio.gather(
        *(batch.headers(name, body) for name, body in LEVEL), return_exceptions=True
    )
    assert len(done) == len(LEVEL)
    assert all(isinstance(d, RuntimeError) for d in done)
