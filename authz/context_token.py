"""The gateway-signed request context that every subgraph verifies.

The gateway has checked the caller's token and purpose and decided the sharing rules; it
forwards that as a short-lived ES256 JWT (``X-Mesh-Context``) so each agency can see who is
asking and why, refuse requests that did not come through the gateway, and apply stricter
rules of its own. Agencies hold only the gateway's public key.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from authz.errors import CodedError
from authz.model import AccessRequest, Principal, PurposeOfUse
from authz.signing_keys import ensure_signing_key

CONTEXT_HEADER = "x-mesh-context"
ISSUER = "civic-mesh-gateway"
AUDIENCE = "civic-mesh-subgraph"
KEY_FILE = "gateway-signing-key.pem"
JWKS_FILE = "gateway-jwks.json"


class ContextRejected(CodedError):
    """A subgraph request carried no valid gateway context."""


@dataclass(frozen=True)
class MeshContext:
    """What a subgraph learns about the request from the gateway."""

    request: AccessRequest
    request_id: str
    agreements: tuple[str, ...]
    break_glass: bool
    # Coordinates the gateway allowed a subgraph to read on the caller's behalf beyond the
    # operation's own fields (an agency's needs indicators behind the centre's roll-ups).
    reads: frozenset[str] = frozenset()
    # Record-level rules in force, as (kind, agencies), e.g. the national data opt-out.
    row_rules: tuple[tuple[str, tuple[str, ...]], ...] = ()


class ContextSigner:
    def __init__(self, private_key: ec.EllipticCurvePrivateKey, kid: str) -> None:
        self._key = private_key
        self._kid = kid

    def sign(
        self,
        access: AccessRequest,
        request_id: str,
        agreements: list[str],
        break_glass: bool,
        ttl: int = 60,
        *,
        reads: frozenset[str] = frozenset(),
        row_rules: tuple[tuple[str, tuple[str, ...]], ...] = (),
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + ttl,
            "jti": request_id,
            "sub": access.principal.subject,
            "org": access.principal.organisation,
            "roles": list(access.principal.roles),
            "purpose": access.purpose.value,
            "case": access.case_reference,
            "agreements": agreements,
            "break_glass": break_glass,
        }
        if reads:
            claims["reads"] = sorted(reads)
        if row_rules:
            claims["row_rules"] = [{"kind": k, "agencies": list(a)} for k, a in row_rules]
        return jwt.encode(claims, self._key, algorithm="ES256", headers={"kid": self._kid})


class ContextVerifier:
    def __init__(self, jwks: dict[str, Any]) -> None:
        self._keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(jwks).keys}

    @classmethod
    def from_file(cls, path: Path) -> ContextVerifier:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def verify(self, token: str | None) -> MeshContext:
        if not token:
            raise ContextRejected(
                "GATEWAY_CONTEXT_REQUIRED",
                "requests must come through the gateway (no X-Mesh-Context)",
            )
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = self._keys.get(kid)
            if key is None:
                raise ContextRejected("GATEWAY_CONTEXT_INVALID", "context signed by an unknown key")
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["ES256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub"]},
            )
            request = AccessRequest(
                principal=Principal(claims["sub"], claims["org"], tuple(claims["roles"])),
                purpose=PurposeOfUse(claims["purpose"]),
                case_reference=claims.get("case"),
            )
            reads = frozenset(str(c) for c in claims.get("reads", ()))
            row_rules = tuple(
                (str(r["kind"]), tuple(str(a) for a in r["agencies"]))
                for r in claims.get("row_rules", ())
            )
        except ContextRejected:
            raise
        except jwt.ExpiredSignatureError:
            raise ContextRejected(
                "GATEWAY_CONTEXT_EXPIRED", "the gateway context has expired"
            ) from None
        except (jwt.PyJWTError, KeyError, ValueError, TypeError):
            raise ContextRejected(
                "GATEWAY_CONTEXT_INVALID", "the gateway context is not valid"
            ) from None
        return MeshContext(
            request,
            str(claims.get("jti", "")),
            tuple(claims.get("agreements", ())),
            bool(claims.get("break_glass")),
            reads,
            row_rules,
        )


def ensure_gateway_keys(data_dir: Path) -> tuple[ContextSigner, Path]:
    """The gateway's signing key (created once, mode 0600) and the path of its public JWKS."""
    key = ensure_signing_key(data_dir, KEY_FILE, JWKS_FILE)
    return ContextSigner(key.private_key, key.kid), key.jwks_path
