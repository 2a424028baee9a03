"""A local identity provider for development: one ES256 key and the tokens it signs.

``ensure_dev_keys`` creates the key once (the private key file is mode 0600) and publishes
its public half as a JWKS beside it, so the gateway verifies dev tokens exactly as it would
verify the real identity provider's: only the key set and the issuer differ.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jwt

from authz.identity import TokenVerifier
from authz.signing_keys import ALGORITHM, SigningKey, ensure_signing_key

DEV_ISSUER = "https://civic-mesh.local/dev-idp"
DEV_AUDIENCE = "civic-mesh-gateway"
KEY_FILE = "dev-signing-key.pem"
JWKS_FILE = "dev-jwks.json"

__all__ = [
    "DEV_AUDIENCE",
    "DEV_ISSUER",
    "DevKeys",
    "dev_verifier",
    "ensure_dev_keys",
    "mint_token",
]


# The development identity provider's key is one of the mesh's ES256 signing keys.
DevKeys = SigningKey


def ensure_dev_keys(data_dir: Path) -> DevKeys:
    """The dev signing key in ``data_dir``, created on first use and reused after."""
    return ensure_signing_key(data_dir, KEY_FILE, JWKS_FILE)


def mint_token(
    dev_keys: DevKeys,
    org: str,
    roles: Sequence[str],
    subject: str = "dev-user",
    name: str | None = None,
    ttl: int = 3600,
    issuer: str = DEV_ISSUER,
    audience: str = DEV_AUDIENCE,
) -> str:
    """A signed bearer token for ``org`` with ``roles``, valid for ``ttl`` seconds."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "org": org,
        "roles": list(roles),
        "iat": now,
        "nbf": now,
        "exp": now + ttl,
        "jti": uuid.uuid4().hex,
    }
    if name:
        claims["name"] = name
    return jwt.encode(
        claims, dev_keys.private_key, algorithm=ALGORITHM, headers={"kid": dev_keys.kid}
    )


def dev_verifier(data_dir: Path) -> TokenVerifier:
    """A verifier that accepts the tokens ``mint_token`` makes with the key in ``data_dir``."""
    keys = ensure_dev_keys(data_dir)
    return TokenVerifier(keys.jwks, DEV_ISSUER, DEV_AUDIENCE)
