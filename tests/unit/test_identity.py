"""Bearer-token verification: real keys, real signatures, every way a token can be wrong."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from authz.dev_keys import (
    DEV_AUDIENCE,
    DEV_ISSUER,
    DevKeys,
    dev_verifier,
    ensure_dev_keys,
    mint_token,
)
from authz.identity import AuthenticationError, TokenVerifier


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DevKeys:
    return ensure_dev_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def verifier(keys: DevKeys) -> TokenVerifier:
    return TokenVerifier(str(keys.jwks_path), DEV_ISSUER, DEV_AUDIENCE)


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": DEV_ISSUER,
        "aud": DEV_AUDIENCE,
        "sub": "u-123",
        "org": "RW6",
        "roles": ["gp"],
        "iat": now,
        "exp": now + 600,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def signed(keys: DevKeys, **overrides: Any) -> str:
    return jwt.encode(claims(**overrides), keys.private_key, "ES256", headers={"kid": keys.kid})


def b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def rejected(verifier: TokenVerifier, header: str | None) -> AuthenticationError:
    with pytest.raises(AuthenticationError) as caught:
        verifier.verify(header)
    error = caught.value
    token = (header or "").partition(" ")[2]
    for part in token.split("."):
        assert len(part) < 8 or part not in error.message, "the message must not echo the token"
    return error


def test_valid_token_gives_the_principal(keys: DevKeys, verifier: TokenVerifier) -> None:
    token = mint_token(keys, "RW6", ["gp", "nurse"], subject="u-42", name="Dr A Patel")
    principal = verifier.verify(f"Bearer {token}")
    assert principal.subject == "u-42"
    assert principal.organisation == "RW6"
    assert principal.roles == ("gp", "nurse")
    assert principal.name == "Dr A Patel"
    assert verifier.verify(f"bearer   {token}  ").subject == "u-42"  # scheme is case-blind


def test_dev_keys_are_made_once_and_private(tmp_path: Path) -> None:
    first = ensure_dev_keys(tmp_path)
    second = ensure_dev_keys(tmp_path)
    assert first.kid == second.kid
    assert stat.S_IMODE(os.stat(first.key_path).st_mode) == 0o600
    published = json.loads(first.jwks_path.read_text())
    assert published["keys"][0]["kid"] == first.kid
    assert "d" not in published["keys"][0], "the JWKS must hold the public key only"
    assert dev_verifier(tmp_path).verify(f"Bearer {mint_token(first, 'X', ['gp'])}").roles


def test_jwks_can_be_given_as_a_dict(keys: DevKeys) -> None:
    verifier = TokenVerifier(keys.jwks, DEV_ISSUER, DEV_AUDIENCE)
    assert verifier.verify(f"Bearer {signed(keys)}").organisation == "RW6"


def test_expired(keys: DevKeys, verifier: TokenVerifier) -> None:
    now = int(time.time())
    token = signed(keys, iat=now - 7200, exp=now - 120)
    assert rejected(verifier, f"Bearer {token}").code == "TOKEN_EXPIRED"


def test_expiry_within_leeway_is_accepted(keys: DevKeys, verifier: TokenVerifier) -> None:
    now = int(time.time())
    assert verifier.verify(f"Bearer {signed(keys, exp=now - 10)}").subject == "u-123"


def test_not_yet_valid(keys: DevKeys, verifier: TokenVerifier) -> None:
    now = int(time.time())
    token = signed(keys, nbf=now + 600, exp=now + 1200)
    assert rejected(verifier, f"Bearer {token}").code == "TOKEN_NOT_YET_VALID"


def test_wrong_issuer(keys: DevKeys, verifier: TokenVerifier) -> None:
    token = signed(keys, iss="https://evil.example/idp")
    error = rejected(verifier, f"Bearer {token}")
    assert error.code == "TOKEN_WRONG_ISSUER"
    assert "evil" not in error.message


def test_wrong_audience(keys: DevKeys, verifier: TokenVerifier) -> None:
    token = signed(keys, aud="some-other-api")
    assert rejected(verifier, f"Bearer {token}").code == "TOKEN_WRONG_AUDIENCE"


def test_alg_none_is_refused(verifier: TokenVerifier) -> None:
    token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims())}."
    assert rejected(verifier, f"Bearer {token}").code == "TOKEN_INVALID"
    with_kid = f"{b64({'alg': 'none', 'kid': 'x'})}.{b64(claims())}.c2ln"
    assert rejected(verifier, f"Bearer {with_kid}").code == "TOKEN_INVALID"


def test_tampered_payload(keys: DevKeys, verifier: TokenVerifier) -> None:
    header, _, signature = signed(keys).split(".")
    forged = b64(claims(roles=["safeguarding_lead"], org="ELSEWHERE"))
    assert rejected(verifier, f"Bearer {header}.{forged}.{signature}").code == "TOKEN_INVALID"


def test_signed_by_another_key_with_our_kid(keys: DevKeys, verifier: TokenVerifier) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode(claims(), other, "ES256", headers={"kid": keys.kid})
    assert rejected(verifier, f"Bearer {token}").code == "TOKEN_INVALID"


def test_unknown_kid(verifier: TokenVerifier) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode(claims(), other, "ES256", headers={"kid": "someone-elses-key"})
    error = rejected(verifier, f"Bearer {token}")
    assert error.code == "TOKEN_INVALID"
    assert "someone-elses-key" not in error.message


def test_missing_kid(keys: DevKeys, verifier: TokenVerifier) -> None:
    token = jwt.encode(claims(), keys.private_key, "ES256")
    assert rejected(verifier, f"Bearer {token}").code == "TOKEN_INVALID"


def test_rs256_key_signing_with_es256_header_is_refused(tmp_path: Path) -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    verifier = TokenVerifier({"keys": [{**jwk, "kid": "r1"}]}, DEV_ISSUER, DEV_AUDIENCE)
    good = jwt.encode(claims(), rsa_key, "RS256", headers={"kid": "r1"})
    assert verifier.verify(f"Bearer {good}").subject == "u-123"  # RS256 works too
    ec_key = ec.generate_private_key(ec.SECP256R1())
    confused = jwt.encode(claims(), ec_key, "ES256", headers={"kid": "r1"})
    assert rejected(verifier, f"Bearer {confused}").code == "TOKEN_INVALID"


def test_hs256_with_the_public_key_as_secret_is_refused(
    keys: DevKeys, verifier: TokenVerifier
) -> None:
    public_pem = keys.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64({"alg": "HS256", "typ": "JWT", "kid": keys.kid})
    payload = b64(claims())
    mac = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    signature = base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    assert rejected(verifier, f"Bearer {header}.{payload}.{signature}").code == "TOKEN_INVALID"


def test_symmetric_keys_in_a_jwks_are_never_used() -> None:
    oct_key = {"kty": "oct", "k": b64({"secret": 1}), "kid": "s1", "alg": "HS256"}
    with pytest.raises(ValueError, match="no RS256 or ES256"):
        TokenVerifier({"keys": [oct_key]}, DEV_ISSUER, DEV_AUDIENCE)


def test_missing_header(verifier: TokenVerifier) -> None:
    assert rejected(verifier, None).code == "UNAUTHENTICATED"
    assert rejected(verifier, "   ").code == "UNAUTHENTICATED"


def test_not_bearer(keys: DevKeys, verifier: TokenVerifier) -> None:
    assert rejected(verifier, f"Basic {signed(keys)}").code == "UNAUTHENTICATED"
    assert rejected(verifier, signed(keys)).code == "UNAUTHENTICATED"


def test_garbage(verifier: TokenVerifier) -> None:
    for header in ("Bearer ", "Bearer not-a-jwt", "Bearer a.b.c", "Bearer x" * 5000):
        assert rejected(verifier, header).code == "TOKEN_INVALID"


@pytest.mark.parametrize("claim", ["org", "roles", "sub", "exp"])
def test_missing_claims(keys: DevKeys, verifier: TokenVerifier, claim: str) -> None:
    token = signed(keys, **{claim: None})
    error = rejected(verifier, f"Bearer {token}")
    assert error.code == "TOKEN_MISSING_CLAIMS"
    assert claim in error.message


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("exp", "+600"),  # a signed, unexpired expiry... as a string
        ("iat", "+0"),
        ("nbf", True),
        ("name", 42),
    ],
)
def test_claims_must_have_their_json_types(
    keys: DevKeys, verifier: TokenVerifier, claim: str, value: object
) -> None:
    if isinstance(value, str) and value.startswith("+"):  # a time, taken when the test runs
        value = str(int(time.time()) + int(value))
    error = rejected(verifier, f"Bearer {signed(keys, **{claim: value})}")
    assert error.code == "TOKEN_MISSING_CLAIMS"
    assert f"'{claim}'" in error.message


def test_malformed_roles_claim(keys: DevKeys, verifier: TokenVerifier) -> None:
    token = signed(keys, roles="gp")
    assert rejected(verifier, f"Bearer {token}").code == "TOKEN_MISSING_CLAIMS"


def test_jwks_url_must_be_https() -> None:
    with pytest.raises(ValueError, match="https"):
        TokenVerifier("http://idp.example/jwks", DEV_ISSUER, DEV_AUDIENCE)
