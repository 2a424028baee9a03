"""GraphQL over HTTP, checked by the spec's own server audit (the npm package graphql-http,
pinned in interop/graphql-http) against the served gateway and a subgraph process: every
audit — MUST, SHOULD and MAY — passes.

The audits ask only ``__typename`` and ``__type`` (the public schema), so they run the same
without a token as with one, and without a subgraph context as with the gateway's: the
sharing rules refuse nothing they ask. A stranger's *data* query is refused with 401 before
validation — on purpose: an unauthenticated caller learns nothing but the public schema. No
audit asks for that (graphql-http leaves its "401 or 403 when not permitted" audit, BC58,
unwritten), so no audit has to be excused here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from devtools.node_tools import npm_ci
from store import ServerAddress
from tests.mesh_services import ROOT
from tests.subgraph_client import signed_request, subgraph
from tests.test_gateway_telemetry import LEAD_HEADERS, token_headers

AUDIT_DIR = ROOT / "interop" / "graphql-http"
requires_node = pytest.mark.usefixtures("node")
GRAPHQL_RESPONSE = "application/graphql-response+json"


def audit(url: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    npm_ci(AUDIT_DIR, marker="graphql-http")
    node = shutil.which("node")
    assert node is not None
    argv = [node, str(AUDIT_DIR / "audit.mjs"), "--url", url]
    for name, value in headers.items():
        argv += ["--header", f"{name}: {value}"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def assert_every_audit_passes(results: list[dict[str, Any]]) -> None:
    assert len(results) >= 61, "graphql-http 1.23 has 61 server audits"
    failed = [r for r in results if r["status"] != "ok"]
    assert failed == [], json.dumps(failed, indent=1)


@requires_node
def test_the_gateway_passes_every_audit_without_and_with_a_token(
    served_gateway: tuple[str, Path],
) -> None:
    url, _ = served_gateway
    lead = token_headers(
        "manchester-city-council", "safeguarding_lead", "SAFEGUARDING", **LEAD_HEADERS
    )
    assert_every_audit_passes(audit(f"{url}/graphql", {}))
    assert_every_audit_passes(audit(f"{url}/graphql", lead))


@requires_node
def test_a_subgraph_passes_every_audit_without_the_gateways_context(
    subgraph_urls: dict[str, str],
) -> None:
    """The gateway's context is signed over each request's body and used once, so an outside
    tool cannot hold one; the answers to signed requests are checked in-process below."""
    assert_every_audit_passes(audit(subgraph_urls["health"], {}))


async def test_a_subgraph_answers_request_errors_by_media_type(linked: ServerAddress) -> None:
    """What the subgraph audits check, without Node: under graphql-response+json a request
    that never executed is a 400 without ``data``; a field error is still a 200; under
    application/json (what the gateway asks for) everything stays a 200."""
    entities = "query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }"
    field_error: dict[str, Any] = {"query": entities, "variables": {"r": [{"__typename": "Nope"}]}}
    cases: dict[str, tuple[dict[str, Any], int]] = {
        "parse": ({"query": "{"}, 400),
        "validation": ({"query": "{ nope }"}, 400),
        "variables": ({"query": "query ($id: ID!) { __typename }"}, 400),
        "field error": (field_error, 200),
    }
    async with subgraph("health", linked) as sg:
        for name, (body, status) in cases.items():
            for accept, expected in ((GRAPHQL_RESPONSE, status), ("application/json", 200)):
                content, headers = signed_request(body, "health")
                answer = await sg.http.post(
                    "/graphql", content=content, headers={**headers, "accept": accept}
                )
                assert answer.status_code == expected, (name, accept, answer.text)
                assert answer.headers["content-type"].startswith(accept), (name, accept)
                assert answer.json()["errors"], name
                assert ("data" in answer.json()) is (expected == 200), (name, accept)
