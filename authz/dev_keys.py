"""A local identity provider for development: one ES256 key and the tokens it signs.

``ensure_dev_keys`` creates the key once (the private key file is mode 0600) and publishes
its public half as a JWKS beside it, so the gateway verifies dev tokens exactly as it would
verify the real identity provider's: only the key set and the issuer differ.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from authz.identity import TokenVerifier

DEV_ISSUER = "https://civic-mesh.local/dev-idp"
DEV_AUDIENCE = "civic-mesh-gateway"
KEY_FILE = "dev-signing-key.pem"
JWKS_FILE = "dev-jwks.json"
ALGORITHM = "ES256"

__all__ = [
    "DEV_AUDIENCE",
    "DEV_ISSUER",
    "DevKeys",
    "dev_verifier",
    "ensure_dev_keys",
    "mint_token",
]


@dataclass(frozen=True)
class DevKeys:
    private_key: ec.EllipticCurvePrivateKey
    kid: str
    jwks: dict[str, Any]
    key_path: Path
    jwks_path: Path


def ensure_dev_keys(data_dir: Path) -> DevKeys:
    """The dev signing key in ``data_dir``, created on first use and reused after."""
    data_dir.mkdir(parents=True, exist_ok=True)
    key_path, jwks_path = data_dir / KEY_FILE, data_dir / JWKS_FILE
    private_key = _load_or_create_key(key_path)
    public_jwk = json.loads(ECAlgorithm.to_jwk(private_key.public_key()))
    kid = _thumbprint(public_jwk)
    jwks = {"keys": [{**public_jwk, "kid": kid, "alg": ALGORITHM, "use": "sig"}]}
    text = json.dumps(jwks, indent=2, sort_keys=True) + "\n"
    if not jwks_path.exists() or jwks_path.read_text(encoding="utf-8") != text:
        tmp = jwks_path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(jwks_path)
    return DevKeys(private_key, kid, jwks, key_path, jwks_path)


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


def _load_or_create_key(key_path: Path) -> ec.EllipticCurvePrivateKey:
    if not key_path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use theirs
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
    if key_path.stat().st_mode & 0o077:
        key_path.chmod(0o600)  # a signing key readable by others is not a key
    loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(loaded, ec.EllipticCurvePrivateKey) or loaded.curve.name != "secp256r1":
        raise ValueError(f"{key_path} is not an EC P-256 private key")
    return loaded


def _thumbprint(jwk: dict[str, Any]) -> str:
    """The RFC 7638 thumbprint of an EC public key: a stable ``kid``."""
    members = {name: jwk[name] for name in ("crv", "kty", "x", "y")}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode())
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()
