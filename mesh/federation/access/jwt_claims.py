"""Claims from a bearer JWT (``Authorization: Bearer …``), verified with a shared secret
(HS256/384/512) or the keys of a JWKS (a URL or a file). Scopes are read from ``scope`` (a
space-separated string, OAuth 2.0) or ``scp`` (a list or a string). A request without a token
is anonymous; a token that does not verify is refused (401), as Apollo Router does."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jwt

from mesh.federation.access.claims import ANONYMOUS, Claims
from mesh.federation.errors import Unauthenticated

HMAC = ("HS256", "HS384", "HS512")
ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")


def _scopes(payload: Mapping[str, Any]) -> frozenset[str]:
    found: set[str] = set()
    for claim in ("scope", "scp"):
        value = payload.get(claim)
        if isinstance(value, str):
            found.update(value.split())
        elif isinstance(value, list):
            found.update(str(v) for v in value)
    return frozenset(found)


class JwtClaims:
    def __init__(
        self,
        *,
        secret: str | None = None,
        jwks: str | None = None,
        issuer: str | None = None,
        audience: str | None = None,
        header: str = "authorization",
    ) -> None:
        if (secret is None) == (jwks is None):
            raise ValueError("give exactly one of a shared secret or a JWKS")
        self.secret = secret
        self.issuer = issuer
        self.audience = audience
        self.header = header.lower()
        self._client: jwt.PyJWKClient | None = None
        self._keys: jwt.PyJWKSet | None = None
        if jwks is not None and jwks.startswith(("http://", "https://")):
            self._client = jwt.PyJWKClient(jwks, cache_keys=True, lifespan=300, timeout=5)
        elif jwks is not None:
            self._keys = jwt.PyJWKSet.from_dict(json.loads(Path(jwks).read_text()))

    def _key(self, token: str) -> tuple[Any, Sequence[str]]:
        if self.secret is not None:
            return self.secret, HMAC
        kid = jwt.get_unverified_header(token).get("kid")
        if self._client is not None:
            return self._client.get_signing_key_from_jwt(token).key, ASYMMETRIC
        assert self._keys is not None
        for key in self._keys.keys:
            if kid is None or key.key_id == kid:
                return key.key, ASYMMETRIC
        raise jwt.InvalidKeyError("no key in the JWKS for this token")

    def claims(self, identity: object, headers: Mapping[str, str]) -> Claims:
        value = next((v for k, v in headers.items() if k.lower() == self.header), None)
        if not value:
            return ANONYMOUS
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("the Authorization header must be 'Bearer <JWT>'")
        try:
            key, algorithms = self._key(token.strip())
            payload = jwt.decode(
                token.strip(),
                key,
                algorithms=list(algorithms),
                issuer=self.issuer,
                audience=self.audience,
                options={"verify_aud": self.audience is not None},
            )
        except (jwt.PyJWTError, ValueError) as error:
            raise Unauthenticated(f"the bearer token does not verify: {error}") from None
        return Claims(authenticated=True, scopes=_scopes(payload))
