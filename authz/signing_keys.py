"""The mesh's ES256 signing keys (the dev identity provider's, the gateway's context key):
created once with owner-only permissions, published as a JWKS beside them."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

ALGORITHM = "ES256"


@dataclass(frozen=True)
class SigningKey:
    private_key: ec.EllipticCurvePrivateKey
    kid: str
    jwks: dict[str, Any]
    key_path: Path
    jwks_path: Path


def ensure_signing_key(data_dir: Path, key_file: str, jwks_file: str) -> SigningKey:
    """The key in ``data_dir/key_file`` (created on first use) and its public JWKS."""
    data_dir.mkdir(parents=True, exist_ok=True)
    key_path, jwks_path = data_dir / key_file, data_dir / jwks_file
    private_key = _load_or_create_key(key_path)
    public_jwk = json.loads(ECAlgorithm.to_jwk(private_key.public_key()))
    kid = _thumbprint(public_jwk)
    jwks = {"keys": [{**public_jwk, "kid": kid, "alg": ALGORITHM, "use": "sig"}]}
    text = json.dumps(jwks, indent=2, sort_keys=True) + "\n"
    if not jwks_path.exists() or jwks_path.read_text(encoding="utf-8") != text:
        tmp = jwks_path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(jwks_path)
    return SigningKey(private_key, kid, jwks, key_path, jwks_path)


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
