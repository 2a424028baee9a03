"""The gateway-signed context every subgraph request carries (``X-Mesh-Context``).

The gateway has checked the caller's token and purpose and decided the sharing rules; it tells
each agency who is asking and why in a short-lived ES256 JWT, so the agency can refuse what did
not come through the gateway, apply stricter rules of its own and keep its own log. Agencies
hold only the gateway's public key.

A context is good for exactly one subgraph request, so a captured one is worth nothing. The
subgraph requests one client request makes together (a level of the plan: the seven agencies
asked in parallel about a household's members) share one signature: the JWT lists, in ``req``,
one *commitment* per request, SHA-256(nonce ‖ SHA-256(body) ‖ subgraph), and each request
carries its own 16-byte random nonce in ``X-Mesh-Context-Nonce``. The agency recomputes the
commitment from the nonce it was sent, its own name and the exact body it received, and serves
only if it is in the list:

- the subgraph: police cannot be sent health's context (the commitment names health);
- the body: the operation text and its variables, i.e. the representations of the people
  asked about, so it cannot carry another query or person;
- once: the commitment is the request's context id; the agency records it in its own access
  log and refuses it a second time;
- privately: a commitment reveals nothing of the other requests (their nonces are secret), so
  police do not learn whether health was asked, or about whom;
- ``exp``: 30 seconds after ``iat``;
- ``rid``: the gateway's request id, the ``request_id`` of the central audit record, so the
  agency's log and the central chain can be reconciled (``mesh audit reconcile``).

Signing is done by hand over a precomputed header and claims (JWS compact form, verified by
PyJWT like any other); with one signature per plan level instead of one per request, a
household query costs two ECDSA signatures rather than eight.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from authz.agreements import NATIONAL_DATA_OPT_OUT
from authz.errors import CodedError
from authz.model import AccessRequest, Principal, PurposeOfUse
from authz.signing_keys import ensure_signing_key

CONTEXT_HEADER = "x-mesh-context"
NONCE_HEADER = "x-mesh-context-nonce"
NONCE_BYTES = 16
ISSUER = "civic-mesh-gateway"
TTL_SECONDS = 30
LEEWAY_SECONDS = 5
KEY_FILE = "gateway-signing-key.pem"
JWKS_FILE = "gateway-jwks.json"


class ContextRejected(CodedError):
    """A subgraph request carried no valid gateway context (or one already used)."""


def commitment(nonce: bytes, audience: str, body: bytes) -> str:
    """What the signed context lists for one request: its nonce (fixed length, first), its
    body's digest (fixed length) and its subgraph, hashed; base64url."""
    digest = hashlib.sha256(nonce + hashlib.sha256(body).digest() + audience.encode()).digest()
    return _b64(digest).decode("ascii")


@dataclass(frozen=True)
class RequestContext:
    """What the gateway decided for one client request; signed afresh for every subgraph
    request it makes."""

    access: AccessRequest
    request_id: str
    agreements: tuple[str, ...]
    break_glass: bool
    # The agencies the caller may see something of for this purpose (search asks only these,
    # links name only these).
    agencies: frozenset[str] = frozenset()
    # Coordinates the gateway allowed a subgraph to read on the caller's behalf beyond the
    # operation's own fields (an agency's needs indicators behind the centre's roll-ups).
    reads: frozenset[str] = frozenset()
    # Record-level rules in force, as (kind, agencies), e.g. the national data opt-out.
    row_rules: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def claims(self) -> dict[str, Any]:
        principal = self.access.principal
        return {
            "iss": ISSUER,
            "rid": self.request_id,
            "sub": principal.subject,
            "org": principal.organisation,
            "roles": list(principal.roles),
            "purpose": self.access.purpose.value,
            "case": self.access.case_reference,
            "agreements": list(self.agreements),
            "break_glass": self.break_glass,
            "agencies": sorted(self.agencies),
            "reads": sorted(self.reads),
            "row_rules": [{"kind": k, "agencies": list(a)} for k, a in self.row_rules],
        }


@dataclass(frozen=True)
class MeshContext:
    """What a subgraph learns about one request from the gateway."""

    request: AccessRequest
    request_id: str  # the gateway's request: the central audit record's request_id
    context_id: str  # this subgraph request's commitment: used once
    expires_at: float
    agreements: tuple[str, ...]
    break_glass: bool
    agencies: frozenset[str] = frozenset()
    reads: frozenset[str] = frozenset()
    row_rules: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def opt_out(self) -> frozenset[str]:
        """The agencies whose records the national data opt-out governs for this request."""
        return frozenset(
            agency
            for kind, agencies in self.row_rules
            if kind == NATIONAL_DATA_OPT_OUT
            for agency in agencies
        )

    def onward(self) -> RequestContext:
        """The same decision, to be signed for another subgraph (the centre's search)."""
        return RequestContext(
            self.request,
            self.request_id,
            self.agreements,
            self.break_glass,
            self.agencies,
            self.reads,
            self.row_rules,
        )


_ES256 = ec.ECDSA(hashes.SHA256())  # the algorithm object, made once (stateless)


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


class ContextSigner:
    def __init__(self, private_key: ec.EllipticCurvePrivateKey, kid: str) -> None:
        self._key = private_key
        self._header = _b64(orjson.dumps({"alg": "ES256", "kid": kid, "typ": "JWT"}))

    def sign(
        self,
        context: RequestContext,
        audience: str,
        body: bytes,
        *,
        ttl: int = TTL_SECONDS,
        claims: Mapping[str, Any] | None = None,
    ) -> dict[str, str]:
        """The headers of one request to ``audience`` with exactly this ``body``."""
        return self.sign_together(context, [(audience, body)], ttl=ttl, claims=claims)[0]

    def sign_together(
        self,
        context: RequestContext,
        requests: Sequence[tuple[str, bytes]],
        *,
        ttl: int = TTL_SECONDS,
        claims: Mapping[str, Any] | None = None,
    ) -> list[dict[str, str]]:
        """The headers of each ``(audience, body)`` request, under one signature; ``claims``
        (``context.claims()``, computed once per client request) saves rebuilding them."""
        nonces = [os.urandom(NONCE_BYTES) for _ in requests]
        now = int(time.time())
        payload = {
            **(claims if claims is not None else context.claims()),
            "iat": now,
            "exp": now + ttl,
            "jti": os.urandom(16).hex(),  # the signature's own id (uuid4 costs four times more)
            "req": [
                commitment(nonce, audience, body)
                for nonce, (audience, body) in zip(nonces, requests, strict=True)
            ],
        }
        signing_input = self._header + b"." + _b64(orjson.dumps(payload))
        r, s = decode_dss_signature(self._key.sign(signing_input, _ES256))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        token = (signing_input + b"." + _b64(signature)).decode("ascii")
        return [
            {CONTEXT_HEADER: token, NONCE_HEADER: _b64(nonce).decode("ascii")} for nonce in nonces
        ]


@dataclass
class ContextVerifier:
    jwks: dict[str, Any]
    _keys: dict[str, jwt.PyJWK] = field(init=False)

    def __post_init__(self) -> None:
        self._keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(self.jwks).keys if k.key_id}

    @classmethod
    def from_file(cls, path: Path) -> ContextVerifier:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def verify(
        self, token: str | None, nonce: str | None, *, audience: str, body: bytes
    ) -> MeshContext:
        """The context, if the gateway signed it for this subgraph and this very body (the
        commitment of ``nonce``, ``audience`` and ``body`` is among those it lists) and it has
        not expired; ContextRejected otherwise. (That it is used once is the agency's access
        log's business: see subgraphs/kit/access_log.py.)"""
        if not token:
            raise ContextRejected(
                "GATEWAY_CONTEXT_REQUIRED",
                "requests must come through the gateway (no X-Mesh-Context)",
            )
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = self._keys.get(kid) if isinstance(kid, str) else None
            if key is None:
                raise ContextRejected("GATEWAY_CONTEXT_INVALID", "context signed by an unknown key")
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["ES256"],
                issuer=ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "jti", "sub", "rid", "req"]},
            )
            committed = _nonce_commitment(nonce, audience, body)
            listed = claims["req"]
            if committed is None or not isinstance(listed, list) or committed not in listed:
                raise ContextRejected(
                    "GATEWAY_CONTEXT_INVALID",
                    f"the context is not for {audience} with this request body",
                )
            if claims["exp"] - claims["iat"] > TTL_SECONDS:
                raise ContextRejected("GATEWAY_CONTEXT_INVALID", "the context lives too long")
            context = MeshContext(
                request=AccessRequest(
                    principal=Principal(claims["sub"], claims["org"], tuple(claims["roles"])),
                    purpose=PurposeOfUse(claims["purpose"]),
                    case_reference=claims.get("case"),
                ),
                request_id=str(claims["rid"]),
                context_id=committed,
                expires_at=float(claims["exp"]),
                agreements=tuple(claims.get("agreements", ())),
                break_glass=bool(claims.get("break_glass")),
                agencies=_names(claims.get("agencies")),  # absent: no agency (fail closed)
                reads=_names(claims.get("reads")),
                row_rules=tuple(
                    (str(r["kind"]), tuple(str(a) for a in r["agencies"]))
                    for r in claims.get("row_rules", ())
                ),
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
        return context


def _nonce_commitment(nonce: str | None, audience: str, body: bytes) -> str | None:
    """The commitment a request with this nonce header makes (None: no well-formed nonce)."""
    if not nonce or len(nonce) > 2 * NONCE_BYTES:
        return None
    try:
        raw = base64.urlsafe_b64decode(nonce + "=" * (-len(nonce) % 4))
    except ValueError:
        return None
    return commitment(raw, audience, body) if len(raw) == NONCE_BYTES else None


def _names(value: object) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return frozenset()
    return frozenset(value)


def ensure_gateway_keys(data_dir: Path) -> tuple[ContextSigner, Path]:
    """The gateway's signing key (created once, mode 0600) and the path of its public JWKS."""
    key = ensure_signing_key(data_dir, KEY_FILE, JWKS_FILE)
    return ContextSigner(key.private_key, key.kid), key.jwks_path
