"""Figures for the sharing rules under attack (issue 10): who the audit names, whether a
captured agency context can be replayed, what a stranger's request costs the gateway, and an
authorised household query's latency while four clients attack.

Starts the eight subgraphs and the gateway as processes over a seeded, linked deployment
(``MESH_DB_PREFIX``, default ``gov_``: run ``mesh seed --people 3000 --reset`` and ``mesh link``
with that prefix first), plus a recording proxy in front of police, then prints the figures.

    MESH_DB_PREFIX=gov_ python -m bench.governance_figures [--base-port 20100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from authz.dev_keys import ensure_dev_keys, mint_token
from bench.proc import cpu
from bench.services import Service, stop_all, wait_ready
from store import open_server
from store.server import connect
from store.settings import MeshSettings
from subgraphs.registry import known_subgraphs

ROOT = Path(__file__).resolve().parents[1]
GP_QUERY = '{{ person(id: "{id}") {{ health {{ givenName dateOfBirth nhsNumber }} }} }}'
HOUSEHOLD = (
    "query ($id: ID!) { household(id: $id) { id size housing { tenure weeklyRent } "
    "members { id health { givenName familyName dateOfBirth } "
    "welfare { universalCreditClaims { monthlyAward } } } } }"
)
POLICE = "query ($id: ID!) { person(id: $id) { police { incidents { incidentType occurredAt } } } }"


def attack_query() -> str:
    """About 20 KB that passes the token, field, depth and alias limits: one selection repeated
    900 times (1,800 fields), under a fresh id each time so that no cache helps the gateway."""
    mesh_id = "mp_" + secrets.token_hex(10)
    return f'{{ person(id: "{mesh_id}") {{ ' + "health { familyName } " * 900 + "} }"


class RecordingProxy:
    """Forwards to one subgraph, keeping each request's headers and body (a wire tap)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.seen: list[tuple[dict[str, str], bytes]] = []

    def app(self) -> Starlette:
        async def forward(request: Request) -> Response:
            body = await request.body()
            headers = {k: v for k, v in request.headers.items() if k not in ("host",)}
            self.seen.append((headers, body))
            async with httpx.AsyncClient(timeout=10) as client:
                answer = await client.post(self.target, content=body, headers=headers)
            return Response(answer.content, answer.status_code, media_type="application/json")

        return Starlette(routes=[Route("/graphql", forward, methods=["POST"])])


def _serve_in_thread(app: Starlette, port: int) -> uvicorn.Server:
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


async def _fetch_ids(prefix: str) -> dict[str, Any]:
    settings = MeshSettings(db_prefix=prefix)
    address = open_server(settings).address
    found: dict[str, Any] = {}
    for agency, key in (("health", "health"), ("police", "police")):
        conn = await connect(address, agency)
        try:
            found[key] = [
                r["mesh_id"]
                for r in await conn.fetch(
                    "SELECT mesh_id FROM mesh_crosswalk WHERE entity = 'Person' "
                    "ORDER BY mesh_id LIMIT 200"
                )
            ]
        finally:
            await conn.close()
    index = await connect(address, "index")
    try:
        found["household"] = await index.fetchval(
            "SELECT household_id FROM mesh_person WHERE household_id IS NOT NULL "
            "GROUP BY household_id ORDER BY count(*) DESC, household_id LIMIT 1"
        )
    finally:
        await index.close()
    found["governance_dsn"] = address.dsn("governance")
    return found


async def _audit_records(dsn: str, seqs: list[int]) -> dict[int, list[str]]:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT seq, subjects FROM audit_record WHERE seq = ANY($1::bigint[])", seqs
        )
    finally:
        await conn.close()
    return {r["seq"]: list(r["subjects"]) for r in rows}


async def _logged_requests(prefix: str, request_id: str) -> str:
    """How many subgraph requests one gateway request made, from the agencies' own logs
    (absent before those logs existed)."""
    address = open_server(MeshSettings(db_prefix=prefix)).address
    counts = {}
    for store in (*known_subgraphs(),):
        conn = await connect(address, store)
        try:
            exists = await conn.fetchval("SELECT to_regclass('mesh_access_log') IS NOT NULL")
            if exists:
                counts[store] = await conn.fetchval(
                    "SELECT count(*) FROM mesh_access_log WHERE request_id = $1", request_id
                )
        finally:
            await conn.close()
    if not counts:
        return "no agency access logs"
    return f"{sum(counts.values())} ({', '.join(f'{k} {v}' for k, v in counts.items() if v)})"


def _signing_costs(n: int = 2000) -> str:
    """µs to sign one context: PyJWT once per client request (the old way) against the
    hand-made JWS per subgraph request (authz/context_token.py), on the same claims."""
    import jwt

    from authz.context_token import ContextSigner, RequestContext
    from authz.model import AccessRequest, Principal, PurposeOfUse
    from authz.signing_keys import ensure_signing_key

    key = ensure_signing_key(ROOT / ".mesh" / "governance-figures", "k.pem", "k.json")
    access = AccessRequest(
        Principal("lead-1", "manchester-city-council", ("safeguarding_lead",)),
        PurposeOfUse.SAFEGUARDING,
        "MASH-1",
    )
    context = RequestContext(access, "7d3c", ("a@1", "b@2", "c@3"), False, frozenset({"health"}))
    claims = {**context.claims(), "aud": "civic-mesh-subgraph", "iat": 1, "exp": 61, "jti": "x"}
    started = time.process_time()
    for _ in range(n):
        jwt.encode(claims, key.private_key, algorithm="ES256", headers={"kid": key.kid})
    pyjwt = (time.process_time() - started) / n * 1e6
    signer, prepared, body = ContextSigner(key.private_key, key.kid), context.claims(), b"x" * 600
    started = time.process_time()
    for _ in range(n):
        signer.sign(context, "health", body, claims=prepared)
    ours = (time.process_time() - started) / n * 1e6
    level = [(f"agency-{i}", body) for i in range(7)]
    started = time.process_time()
    for _ in range(n):
        signer.sign_together(context, level, claims=prepared)
    together = (time.process_time() - started) / n / len(level) * 1e6
    return (
        f"PyJWT {pyjwt:.0f} µs once per request; now {ours:.0f} µs for a subgraph request"
        f" signed alone, {together:.0f} µs each for seven signed together (one plan level)"
    )


def _headers(token: str, purpose: str, case: str | None = None) -> dict[str, str]:
    headers = {"authorization": f"Bearer {token}", "x-purpose-of-use": purpose}
    if case:
        headers["x-case-reference"] = case
    return headers


def _attacker(url: str, stop_at: float, headers: dict[str, str], sent: Any) -> None:
    with httpx.Client(timeout=60) as client:
        while time.monotonic() < stop_at:
            try:
                client.post(url, json={"query": attack_query()}, headers=headers)
                with sent.get_lock():
                    sent.value += 1
            except httpx.HTTPError:
                pass


def _latencies(client: httpx.Client, url: str, body: dict[str, Any], headers: dict[str, str],
               n: int) -> list[float]:  # fmt: skip
    found = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.post(url, json=body, headers=headers)
        found.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text[:300]
    return found


def _p90(values: list[float]) -> float:
    return sorted(values)[int(0.9 * (len(values) - 1))]


def _latencies_for(
    client: httpx.Client, url: str, body: dict[str, Any], headers: dict[str, str], seconds: float
) -> list[float]:
    """Latencies of back-to-back requests for ``seconds`` (at least five requests)."""
    found: list[float] = []
    until = time.monotonic() + seconds
    while time.monotonic() < until or len(found) < 5:
        found.extend(_latencies(client, url, body, headers, 1))
    return found


def _cpu_per_request(
    client: httpx.Client, url: str, pid: int, body: dict[str, Any] | None, headers: dict[str, str],
    n: int,
) -> tuple[float, int]:  # fmt: skip
    """Gateway CPU per request; ``body`` None sends a fresh attack query each time."""
    before = cpu(pid).seconds
    status = 0
    for _ in range(n):
        sent = body if body is not None else {"query": attack_query()}
        status = client.post(url, json=sent, headers=headers).status_code
    return (cpu(pid).seconds - before) * 1000 / n, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-port", type=int, default=20100)
    parser.add_argument("--work", type=Path, default=ROOT / ".mesh" / "governance-figures")
    args = parser.parse_args()
    prefix = os.environ.get("MESH_DB_PREFIX", "gov_")
    env = {"MESH_DB_PREFIX": prefix, "MESH_SUBGRAPH_LOG_LEVEL": "WARNING"}
    names = known_subgraphs()
    urls = {n: f"http://127.0.0.1:{args.base_port + 1 + i}/graphql" for i, n in enumerate(names)}
    proxy = RecordingProxy(urls["police"])
    proxy_port = args.base_port + 1 + len(names)
    routed = {**urls, "police": f"http://127.0.0.1:{proxy_port}/graphql"}
    gateway_url = f"http://127.0.0.1:{args.base_port}/graphql"
    python = sys.executable
    services = [
        Service(n, [python, "-m", "mesh.cli.app", "subgraph", "serve", n, "--port",
                    str(args.base_port + 1 + i)], args.work / f"{n}.log", env, ROOT)
        for i, n in enumerate(names)
    ]  # fmt: skip
    gateway = Service(
        "gateway",
        [python, "-m", "mesh.cli.app", "gateway", "serve", "--port", str(args.base_port)],
        args.work / "gateway.log",
        {**env, "MESH_GATEWAY_SUBGRAPHS": json.dumps(routed)},
        ROOT,
    )
    ids = asyncio.run(_fetch_ids(prefix))
    keys = ensure_dev_keys(MeshSettings().data_dir)
    gp = mint_token(keys, "gp-p84001", ["gp"], subject="gp-1")
    lead = mint_token(keys, "manchester-city-council", ["safeguarding_lead"], subject="lead-1")
    try:
        for service in services:
            service.start()
        wait_ready(
            services,
            {s.name: httpx.Request("GET", urls[s.name].replace("graphql", "readyz"))
             for s in services},
            60,
        )  # fmt: skip
        _serve_in_thread(proxy.app(), proxy_port)
        gateway.start()
        wait_ready([gateway], {"gateway": httpx.Request("GET", gateway_url[:-8] + "/readyz")}, 90)
        figures: dict[str, Any] = {}
        with httpx.Client(timeout=60) as client:
            # Item 3: the id typed into the query, `id` not selected.
            seqs, subject = [], ids["health"][0]
            for _ in range(100):
                answer = client.post(
                    gateway_url,
                    json={"query": GP_QUERY.format(id=subject)},
                    headers=_headers(gp, "DIRECT_CARE"),
                ).json()
                seqs.append(answer["extensions"]["governance"]["auditRecord"])
            recorded = asyncio.run(_audit_records(ids["governance_dsn"], seqs))
            figures["item3_typed_id_records_naming_the_subject"] = sum(
                subject in s for s in recorded.values()
            )
            figures["item3_typed_id_records_with_no_subject"] = sum(
                not s for s in recorded.values()
            )
            other = ids["health"][1]
            answer = client.post(
                gateway_url,
                json={"query": GP_QUERY.format(id=subject), "variables": {"unused": other}},
                headers=_headers(gp, "DIRECT_CARE"),
            ).json()  # fmt: skip
            seq = answer["extensions"]["governance"]["auditRecord"]
            named = asyncio.run(_audit_records(ids["governance_dsn"], [seq]))[seq]
            figures["item3_unused_variable_names_the_other_person"] = other in named
            figures["item3_unused_variable_names_the_real_subject"] = subject in named
            # Item 5: a captured police context replayed for someone else, twice.
            victim, target = ids["police"][0], ids["police"][1]
            proxy.seen.clear()
            client.post(
                gateway_url,
                json={"query": POLICE, "variables": {"id": victim}},
                headers=_headers(lead, "SAFEGUARDING", "MASH-1"),
            )
            captured_headers, captured_body = proxy.seen[-1]
            replay = json.loads(captured_body)
            replay["variables"] = json.loads(
                json.dumps(replay["variables"]).replace(victim, target)
            )
            served = 0
            for _ in range(2):
                again = client.post(urls["police"], json=replay, headers=captured_headers)
                served += again.status_code == 200 and bool((again.json() or {}).get("data"))
            exact = client.post(urls["police"], content=captured_body, headers=captured_headers)
            served_exact = exact.status_code == 200 and bool((exact.json() or {}).get("data"))
            figures["item5_replays_for_another_person_served_of_2"] = served
            figures["item5_exact_replay_served"] = served_exact
            # Item 6 (and 5's cost): CPU per request in the gateway process.
            pid = gateway.pid
            household = {"query": HOUSEHOLD, "variables": {"id": ids["household"]}}
            safeguarding = _headers(lead, "SAFEGUARDING", "MASH-1")
            _latencies(client, gateway_url, household, safeguarding, 20)  # warm
            figures["cpu_ms_household_query"] = _cpu_per_request(
                client, gateway_url, pid, household, safeguarding, 100
            )
            answered = client.post(gateway_url, json=household, headers=safeguarding).json()
            request_id = answered["extensions"]["governance"]["requestId"]
            figures["household_subgraph_requests"] = asyncio.run(
                _logged_requests(prefix, request_id)
            )
            figures["context_signing_us"] = _signing_costs()
            figures["cpu_ms_bad_token_401"] = _cpu_per_request(
                client, gateway_url, pid, {"query": "{ __typename }"},
                {"authorization": "Bearer a.b.c"}, 200,
            )  # fmt: skip
            figures["cpu_ms_anonymous_21kb_query"] = _cpu_per_request(
                client, gateway_url, pid, None, {}, 50
            )
            figures["cpu_ms_authenticated_21kb_query"] = _cpu_per_request(
                client, gateway_url, pid, None, safeguarding, 10
            )
            quiet = _latencies(client, gateway_url, household, safeguarding, 60)
            figures["household_ms_quiet"] = (
                f"p50 {statistics.median(quiet):.1f}, p90 {_p90(quiet):.1f}, "
                f"mean {statistics.fmean(quiet):.1f} (n={len(quiet)})"
            )
            for label, attack_headers in (
                ("anonymous", {}),
                ("authenticated", safeguarding),
            ):
                stop_at = time.monotonic() + 40
                sent = multiprocessing.Value("i", 0)
                attackers = [
                    multiprocessing.Process(
                        target=_attacker, args=(gateway_url, stop_at, attack_headers, sent)
                    )
                    for _ in range(4)
                ]
                for process in attackers:
                    process.start()
                time.sleep(3)  # the attack is under way
                loaded = _latencies_for(client, gateway_url, household, safeguarding, 20.0)
                answered = sent.value
                for process in attackers:
                    process.join()
                figures[f"household_ms_under_4_{label}_attackers"] = (
                    f"p50 {statistics.median(loaded):.1f}, p90 {_p90(loaded):.1f}, "
                    f"mean {statistics.fmean(loaded):.1f} (n={len(loaded)} in 20 s; "
                    f"attack requests answered meanwhile: {answered})"
                )
        for key, value in figures.items():
            if isinstance(value, tuple):
                value = f"{value[0]:.2f} ms (HTTP {value[1]})"
            print(f"{key:60} {value}")
    finally:
        gateway.stop()
        stop_all(services)


if __name__ == "__main__":
    main()
