"""Who is asking: OIDC-style bearer tokens verified against the identity provider's JWKS.

Only asymmetric signatures are accepted (RS256, ES256): never ``none``, never HS*, so a
public key can never be used as a shared secret (algorithm confusion). The token's ``kid``
picks the key, and the key decides the algorithm: a header cannot talk its way to another one.
Error messages say what is wrong with a token and never repeat any of it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jwt
from cachetools import TTLCache
from jwt.exceptions import (
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAudienceError,
    InvalidIssuerError,
    MissingRequiredClaimError,
    PyJWKClientConnectionError,
    PyJWKClientError,
    PyJWKError,
    PyJWTError,
)

from authz.errors import CodedError
from authz.model import Principal

ALLOWED_ALGORITHMS: tuple[str, ...] = ("RS256", "ES256")
LEEWAY_SECONDS = 30
MAX_HEADER_BYTES = 8192  # a bearer token longer than this is not one of ours
JWKS_FETCH_TIMEOUT_SECONDS = 5.0
JWKS_CACHE_SECONDS = 300.0
VERIFIED_CACHE_SIZE = 10_000
VERIFIED_CACHE_SECONDS = 60.0
REQUIRED_CLAIMS = ("sub", "org", "roles", "exp", "iss", "aud")

__all__ = [
    "ALLOWED_ALGORITHMS",
    "AuthenticationError",
    "TokenVerifier",
    "load_jwks",
]


class AuthenticationError(CodedError):
    """A request whose caller could not be identified; ``code`` is stable for clients."""


def load_jwks(source: Mapping[str, Any] | str | Path) -> dict[str, Any]:
    """A JWKS document from a dict or a JSON file."""
    if isinstance(source, Mapping):
        return dict(source)
    with Path(source).open(encoding="utf-8") as handle:
        document = json.load(handle)
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError(f"{source}: not a JWKS document (expected an object with 'keys')")
    return document


def _key_algorithm(jwk: Mapping[str, Any]) -> str | None:
    """The one algorithm a key may verify: its ``alg``, else implied by ``kty``/``crv``."""
    declared = jwk.get("alg")
    if isinstance(declared, str):
        return declared if declared in ALLOWED_ALGORITHMS else None
    if jwk.get("kty") == "RSA":
        return "RS256"
    if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
        return "ES256"
    return None  # symmetric ("oct") and other key types are never used


def _signing_keys(jwks: Mapping[str, Any]) -> dict[str, jwt.PyJWK]:
    """The usable signature keys of a JWKS, by ``kid``."""
    keys: dict[str, jwt.PyJWK] = {}
    for entry in jwks.get("keys", ()):
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        kid, algorithm = entry.get("kid"), _key_algorithm(entry)
        if not isinstance(kid, str) or algorithm is None:
            continue
        try:
            keys[kid] = jwt.PyJWK(entry, algorithm=algorithm)
        except PyJWKError as error:
            raise ValueError(f"JWKS key {kid!r} is not usable: {error}") from None
    if not keys:
        raise ValueError("the JWKS holds no RS256 or ES256 signing key with a 'kid'")
    return keys


class TokenVerifier:
    """Turns an ``Authorization: Bearer …`` header into a :class:`Principal`.

    ``jwks`` is the identity provider's key set: a dict, a file path, or an ``https://``
    URL fetched with a timeout and cached (keys for ``JWKS_CACHE_SECONDS``).
    """

    def __init__(self, jwks: Mapping[str, Any] | str | Path, issuer: str, audience: str) -> None:
        if not issuer or not audience:
            raise ValueError("an issuer and an audience are both required")
        self.issuer = issuer
        self.audience = audience
        self._client: jwt.PyJWKClient | None = None
        self._keys: dict[str, jwt.PyJWK] = {}
        # Verified tokens, so a caller's repeated requests skip the signature check; an
        # entry is used only until the token's own expiry.
        self._verified: TTLCache[str, tuple[Principal, float]] = TTLCache(
            maxsize=VERIFIED_CACHE_SIZE, ttl=VERIFIED_CACHE_SECONDS
        )
        if isinstance(jwks, str) and jwks.startswith(("https://", "http://")):
            if not jwks.startswith("https://"):
                raise ValueError("a JWKS URL must use https")
            self._client = jwt.PyJWKClient(
                jwks,
                cache_keys=True,
                lifespan=JWKS_CACHE_SECONDS,
                timeout=JWKS_FETCH_TIMEOUT_SECONDS,
            )
        else:
            self._keys = _signing_keys(load_jwks(jwks))

    def verify(self, authorization_header: str | None) -> Principal:
        token = _bearer_token(authorization_header)
        cached = self._verified.get(token)
        if cached is not None and time.time() < cached[1]:
            return cached[0]  # same token, signature already checked, still within exp
        principal, expires = self._verify(token)
        self._verified[token] = (principal, expires)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        key = self._key_for(token)
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm_name],
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except ExpiredSignatureError:
            raise AuthenticationError("TOKEN_EXPIRED", "the token has expired") from None
        except ImmatureSignatureError:
            raise AuthenticationError(
                "TOKEN_NOT_YET_VALID", "the token is not valid yet (nbf or iat in the future)"
            ) from None
        except InvalidIssuerError:
            raise AuthenticationError(
                "TOKEN_WRONG_ISSUER", f"the token was not issued by {self.issuer}"
            ) from None
        except InvalidAudienceError:
            raise AuthenticationError(
                "TOKEN_WRONG_AUDIENCE", f"the token is not meant for {self.audience}"
            ) from None
        except MissingRequiredClaimError as error:
            raise AuthenticationError(
                "TOKEN_MISSING_CLAIMS", f"the token has no '{error.claim}' claim"
            ) from None
        except PyJWTError:
            raise AuthenticationError(
                "TOKEN_INVALID", "the token's signature or encoding is not valid"
            ) from None
        _check_claim_types(claims)
        return _principal(claims), float(claims["exp"])

    def _key_for(self, token: str) -> jwt.PyJWK:
        try:
            header = jwt.get_unverified_header(token)
        except PyJWTError:
            raise AuthenticationError(
                "TOKEN_INVALID", "the token is not a well-formed JWT"
            ) from None
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise AuthenticationError(
                "TOKEN_INVALID",
                f"the token's algorithm is not accepted (only {', '.join(ALLOWED_ALGORITHMS)})",
            )
        if not isinstance(kid, str) or not kid:
            raise AuthenticationError("TOKEN_INVALID", "the token header names no key id (kid)")
        key = self._keys.get(kid) if self._client is None else self._fetched_key(token)
        if key is None:
            raise AuthenticationError("TOKEN_INVALID", "the token was signed by an unknown key")
        if key.algorithm_name != algorithm:
            raise AuthenticationError(
                "TOKEN_INVALID", "the token's algorithm does not match its signing key"
            )
        return key

    def _fetched_key(self, token: str) -> jwt.PyJWK | None:
        assert self._client is not None
        try:
            key = self._client.get_signing_key_from_jwt(token)
        except PyJWKClientConnectionError:
            raise AuthenticationError(
                "IDENTITY_PROVIDER_UNAVAILABLE", "the identity provider's keys could not be fetched"
            ) from None
        except (PyJWKClientError, PyJWKError, PyJWTError):
            return None
        return key  # an HS*/other key fails the algorithm match in _key_for


def _bearer_token(authorization_header: str | None) -> str:
    if authorization_header is None or not authorization_header.strip():
        raise AuthenticationError(
            "UNAUTHENTICATED", "an 'Authorization: Bearer <token>' header is required"
        )
    if len(authorization_header) > MAX_HEADER_BYTES:
        raise AuthenticationError("TOKEN_INVALID", "the Authorization header is too long")
    scheme, _, token = authorization_header.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise AuthenticationError(
            "UNAUTHENTICATED", "the Authorization header must use the Bearer scheme"
        )
    token = token.strip()
    if token.count(".") != 2 or " " in token:
        raise AuthenticationError("TOKEN_INVALID", "the bearer token is not a well-formed JWT")
    return token


_NUMERIC_DATES = ("exp", "iat", "nbf")


def _check_claim_types(claims: Mapping[str, Any]) -> None:
    """Claims must have their JSON types (RFC 7519): PyJWT reads ``"exp": "9999999999"`` as a
    number, and a token that says its expiry in a string is not one we issued or trust."""
    for name in _NUMERIC_DATES:
        value = claims.get(name)
        if name in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise AuthenticationError(
                "TOKEN_MISSING_CLAIMS", f"the token's '{name}' claim must be a JSON number"
            )
    if not isinstance(claims.get("iss"), str):
        raise AuthenticationError("TOKEN_MISSING_CLAIMS", "the token's 'iss' must be a string")
    audience = claims.get("aud")
    if not isinstance(audience, str) and not (
        isinstance(audience, list) and all(isinstance(a, str) for a in audience)
    ):
        raise AuthenticationError(
            "TOKEN_MISSING_CLAIMS", "the token's 'aud' claim must be a string or a list of them"
        )
    if "name" in claims and not isinstance(claims["name"], str | None):
        raise AuthenticationError("TOKEN_MISSING_CLAIMS", "the token's 'name' must be a string")


def _principal(claims: Mapping[str, Any]) -> Principal:
    subject, organisation, roles = claims.get("sub"), claims.get("org"), claims.get("roles")
    name = claims.get("name")
    if not isinstance(subject, str) or not subject:
        raise AuthenticationError("TOKEN_MISSING_CLAIMS", "the token's 'sub' claim is empty")
    if not isinstance(organisation, str) or not organisation:
        raise AuthenticationError("TOKEN_MISSING_CLAIMS", "the token's 'org' claim is empty")
    if not isinstance(roles, list) or not all(isinstance(r, str) and r for r in roles):
        raise AuthenticationError(
            "TOKEN_MISSING_CLAIMS", "the token's 'roles' claim must be a list of role names"
        )
    return Principal(
        subject=subject,
        organisation=organisation,
        roles=tuple(dict.fromkeys(roles)),
        name=name if isinstance(name, str) and name else None,
    )
