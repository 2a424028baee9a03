"""Hostile and broken bearer tokens over HTTP: every one is refused with a clear error code,
a 401, no data and nothing of the token echoed — whatever the query asks for."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from authz.dev_keys import DEV_AUDIENCE, DEV_ISSUER, ensure_dev_keys, mint_token
from tests.conftest import TEST_KEYS_DIR
from tests.test_gateway_hygiene import post_query

# Asks for personal data: a refusal must come before any of it is fetched.
QUERY = '{ person(id: "mp_00000000000000000000") { id health { nhsNumber } } }'


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": DEV_ISSUER,
        "aud": DEV_AUDIENCE,
        "sub": "gp-1",
        "org": "gp-p84001",
        "roles": ["gp"],
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _signed(claims: dict[str, Any], **header: Any) -> str:
    keys = ensure_dev_keys(TEST_KEYS_DIR)
    return jwt.encode(
        claims, keys.private_key, algorithm="ES256", headers={"kid": keys.kid, **header}
    )


def _unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    parts = (json.dumps(header).encode(), json.dumps(claims).encode())
    return ".".join([*(_b64(p) for p in parts), _b64(signature)])


def _hostile_tokens() -> list[tuple[str, str, str]]:
    """(what, Authorization header value, expected code)."""
    keys = ensure_dev_keys(TEST_KEYS_DIR)
    other_ec = ec.generate_private_key(ec.SECP256R1())
    other_rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = keys.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    good = _claims()
    tampered = _signed(good).split(".")
    tampered[1] = _b64(json.dumps(_claims(roles=["gp", "safeguarding_lead"])).encode())
    return [
        ("expired", f"Bearer {_signed(_claims(exp=int(time.time()) - 120))}", "TOKEN_EXPIRED"),
        (
            "not yet valid",
            f"Bearer {_signed(_claims(nbf=int(time.time()) + 600))}",
            "TOKEN_NOT_YET_VALID",
        ),
        (
            "issued in the future",
            f"Bearer {_signed(_claims(iat=int(time.time()) + 600))}",
            "TOKEN_NOT_YET_VALID",
        ),
        (
            "wrong audience",
            f"Bearer {_signed(_claims(aud='someone-else'))}",
            "TOKEN_WRONG_AUDIENCE",
        ),
        (
            "wrong issuer",
            f"Bearer {_signed(_claims(iss='https://evil.example/idp'))}",
            "TOKEN_WRONG_ISSUER",
        ),
        (
            "alg none",
            f"Bearer {_unsigned({'alg': 'none', 'kid': keys.kid}, good)}",
            "TOKEN_INVALID",
        ),
        (
            "alg None",
            f"Bearer {_unsigned({'alg': 'None', 'kid': keys.kid}, good)}",
            "TOKEN_INVALID",
        ),
        (
            "HS256 with the public key as secret",
            f"Bearer {_hs256(good, public_pem, keys.kid)}",
            "TOKEN_INVALID",
        ),
        (
            "another EC key, our kid",
            f"Bearer {jwt.encode(good, other_ec, algorithm='ES256', headers={'kid': keys.kid})}",
            "TOKEN_INVALID",
        ),
        (
            "another RSA key, our kid",
            f"Bearer {jwt.encode(good, other_rsa, algorithm='RS256', headers={'kid': keys.kid})}",
            "TOKEN_INVALID",
        ),
        (
            "another key, its own kid",
            f"Bearer {jwt.encode(good, other_ec, algorithm='ES256', headers={'kid': 'k2'})}",
            "TOKEN_INVALID",
        ),
        (
            "no kid",
            f"Bearer {jwt.encode(good, keys.private_key, algorithm='ES256')}",
            "TOKEN_INVALID",
        ),
        ("tampered claims", f"Bearer {'.'.join(tampered)}", "TOKEN_INVALID"),
        (
            "signature stripped",
            f"Bearer {'.'.join(_signed(good).split('.')[:2])}.",
            "TOKEN_INVALID",
        ),
        (
            "jku to another key set",
            f"Bearer {jwt.encode(good, other_ec, algorithm='ES256', headers={'kid': 'x', 'jku': 'https://evil.example/jwks'})}",
            "TOKEN_INVALID",
        ),
        (
            "exp as a string",
            f"Bearer {_signed(_claims(exp=str(int(time.time()) + 600)))}",
            "TOKEN_MISSING_CLAIMS",
        ),
        ("no org", f"Bearer {_signed(_claims(org=None))}", "TOKEN_MISSING_CLAIMS"),
        ("org a list", f"Bearer {_signed(_claims(org=['gp-p84001']))}", "TOKEN_MISSING_CLAIMS"),
        ("roles a string", f"Bearer {_signed(_claims(roles='gp'))}", "TOKEN_MISSING_CLAIMS"),
        (
            "roles with an empty name",
            f"Bearer {_signed(_claims(roles=['gp', '']))}",
            "TOKEN_MISSING_CLAIMS",
        ),
        ("no sub", f"Bearer {_signed(_claims(sub=None))}", "TOKEN_MISSING_CLAIMS"),
        ("no exp", f"Bearer {_signed(_claims(exp=None))}", "TOKEN_MISSING_CLAIMS"),
        ("nbf a boolean", f"Bearer {_signed(_claims(nbf=True))}", "TOKEN_MISSING_CLAIMS"),
        ("Basic scheme", "Basic Z3A6Z3A=", "UNAUTHENTICATED"),
        ("scheme only", "Bearer", "TOKEN_INVALID"),
        ("garbage", "Bearer a.b.c", "TOKEN_INVALID"),
        ("very long", "Bearer " + "a" * 20_000 + ".b.c", "TOKEN_INVALID"),
        ("two tokens in one header", f"Bearer {_signed(good)} {_signed(good)}", "TOKEN_INVALID"),
    ]


def _hs256(claims: dict[str, Any], secret: bytes, kid: str) -> str:
    """HS256 by hand: PyJWT itself refuses to use a PEM public key as an HMAC secret."""
    import hashlib
    import hmac

    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = _b64(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


async def test_every_hostile_token_is_refused_with_its_code_and_no_data(http_app: Any) -> None:
    purpose = [("x-purpose-of-use", "DIRECT_CARE")]
    refused = []
    for what, authorization, code in _hostile_tokens():
        response = await post_query(http_app, [("authorization", authorization), *purpose], QUERY)
        body = response.json()
        token = authorization.partition(" ")[2]
        assert response.status_code == 401, (what, response.status_code, response.text[:300])
        assert body.get("data") is None, (what, body)
        assert body["errors"][0]["extensions"]["code"] == code, (what, body)
        assert not token or token[:40] not in response.text, what
        refused.append(what)
    assert len(refused) >= 25


async def test_two_authorization_headers_are_refused_even_when_both_are_good(
    http_app: Any,
) -> None:
    keys = ensure_dev_keys(TEST_KEYS_DIR)
    gp = mint_token(keys, "gp-p84001", ["gp"])
    lead = mint_token(keys, "manchester-city-council", ["safeguarding_lead"])
    for pair in ((gp, gp), (gp, lead), (gp, "not.a.token")):
        response = await post_query(
            http_app,
            [("authorization", f"Bearer {pair[0]}"), ("authorization", f"Bearer {pair[1]}"),
             ("x-purpose-of-use", "DIRECT_CARE")],
            QUERY,
        )  # fmt: skip
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == "DUPLICATE_HEADER"
        assert response.json().get("data") is None
