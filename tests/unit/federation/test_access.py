"""The access directives in process: which coordinates a caller is denied, bearer tokens, and
the pipeline answering denied fields null with errors (the ``auth-directives`` case's
subgraphs, no sockets)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from mesh.federation.access import AccessRules, Claims, JwtClaims
from mesh.federation.engine import FederatedEngine
from mesh.federation.errors import Unauthenticated
from mesh.federation.pipeline import GraphQLRequest, OpenPolicy, Pipeline
from tests.federation.support import CORPUS_JWT_SECRET, bearer
from tests.unit.federation.corpus import CaseSubgraphs, case_supergraph

CASE = "auth-directives"


def rules() -> AccessRules:
    supergraph = case_supergraph(CASE)
    return AccessRules.of(supergraph)


def test_what_each_caller_is_denied() -> None:
    access = rules()
    assert access.denied(Claims()) == {
        ("Library", "keyholder"),
        ("Library", "budget"),
        ("Library", "payroll"),
        ("Payroll", "total"),
        ("Library", "staff"),
    }
    reader = Claims(authenticated=True, scopes=frozenset({"finance:read"}))
    assert ("Library", "budget") in access.denied(reader)  # needs finance:audit too
    assert ("Library", "keyholder") not in access.denied(reader)
    both = Claims(authenticated=True, scopes=frozenset({"finance:read", "finance:audit"}))
    assert ("Library", "budget") not in access.denied(both)
    admin = Claims(authenticated=True, scopes=frozenset({"admin", "hr"}))
    assert access.denied(admin) == {("Library", "staff")}  # no policy holds
    staff = Claims(authenticated=True, scopes=frozenset({"hr"}), policies=frozenset({"hr_staff"}))
    assert ("Library", "staff") not in access.denied(staff)


def test_a_supergraph_without_directives_guards_nothing() -> None:
    assert AccessRules.of(case_supergraph("simple-entity-call")).empty


def test_bearer_tokens_give_scopes() -> None:
    source = JwtClaims(secret=CORPUS_JWT_SECRET)
    assert source.claims(None, {}) == Claims()
    claims = source.claims(None, bearer("finance:read", "admin"))
    assert claims == Claims(authenticated=True, scopes=frozenset({"finance:read", "admin"}))
    listed = jwt.encode({"scp": ["a", "b"]}, CORPUS_JWT_SECRET, "HS256")
    assert source.claims(None, {"authorization": f"Bearer {listed}"}).scopes == {"a", "b"}


@pytest.mark.parametrize(
    "header",
    [
        "Basic dXNlcjpwdw==",
        "Bearer not-a-jwt",
        bearer("x", secret="another-signing-secret-entirely-0123")["Authorization"],
        "Bearer " + jwt.encode({"exp": int(time.time()) - 60}, CORPUS_JWT_SECRET, "HS256"),
    ],
    ids=["not-bearer", "garbage", "other-key", "expired"],
)
def test_a_token_that_does_not_verify_is_refused(header: str) -> None:
    with pytest.raises(Unauthenticated):
        JwtClaims(secret=CORPUS_JWT_SECRET).claims(None, {"Authorization": header})


def test_issuer_and_audience_are_checked_when_configured(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [{**public, "kid": "k1"}]}))
    source = JwtClaims(jwks=str(tmp_path / "jwks.json"), issuer="https://idp", audience="gw")

    def token(**claims: Any) -> dict[str, str]:
        signed = jwt.encode(claims, key, "RS256", headers={"kid": "k1"})
        return {"Authorization": f"Bearer {signed}"}

    good = source.claims(None, token(iss="https://idp", aud="gw", scope="s"))
    assert good == Claims(authenticated=True, scopes=frozenset({"s"}))
    for bad in ({"iss": "https://other", "aud": "gw"}, {"iss": "https://idp", "aud": "x"}):
        with pytest.raises(Unauthenticated):
            source.claims(None, token(**bad))


async def ask(query: str, headers: dict[str, str] | None = None) -> tuple[dict[str, Any], Any]:
    subgraphs = CaseSubgraphs(CASE)
    pipeline = Pipeline(
        FederatedEngine(case_supergraph(CASE), subgraphs.transport),
        OpenPolicy(),
        claims=JwtClaims(secret=CORPUS_JWT_SECRET),
    )
    response = await pipeline.run(GraphQLRequest(query, headers=headers or {}))
    return response.body, subgraphs


async def test_denied_fields_are_null_where_they_are_asked() -> None:
    body, subgraphs = await ask(
        """{ library { ...Money name } libraries { budget { pence } } }
        fragment Money on Library { budget { year } payroll { total } }"""
    )
    assert body["data"] == {
        "library": {"budget": None, "payroll": None, "name": "Longsight Library"},
        "libraries": [{"budget": None}],
    }
    paths = sorted(e["path"] for e in body["errors"])
    assert paths == [["libraries", 0, "budget"], ["library", "budget"], ["library", "payroll"]]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAUTHORIZED_FIELD_OR_TYPE"}
    assert subgraphs.to("finance") == []  # nothing denied is asked of a subgraph


async def test_skipped_denied_fields_leave_no_trace() -> None:
    body, _ = await ask("{ library { name budget @skip(if: true) { pence } } }")
    assert body == {"data": {"library": {"name": "Longsight Library"}}}


async def test_plans_are_cached_per_decision() -> None:
    subgraphs = CaseSubgraphs(CASE)
    pipeline = Pipeline(
        FederatedEngine(case_supergraph(CASE), subgraphs.transport),
        OpenPolicy(),
        claims=JwtClaims(secret=CORPUS_JWT_SECRET),
    )
    query = "{ library { name budget { pence } } }"
    for headers in ({}, bearer("admin"), {}, bearer("admin")):
        await pipeline.run(GraphQLRequest(query, headers=headers))
    assert (pipeline.plans.misses, pipeline.plans.hits) == (2, 2)
    admin = await pipeline.run(GraphQLRequest(query, headers=bearer("admin")))
    assert admin.body == {
        "data": {"library": {"name": "Longsight Library", "budget": {"pence": 5200000}}}
    }


async def test_a_bad_token_refuses_the_request() -> None:
    body, subgraphs = await ask("{ library { name } }", {"Authorization": "Bearer nope"})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "data" not in body
    assert subgraphs.sent == []
