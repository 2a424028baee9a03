"""Three gateway processes share one governance database under load (issue 10, "also in
scope"): one hash chain with no forks and no gaps, and a record for every personal answer.

How replicas share the chain: every replica appends through ``append_audit()``, which takes a
transaction-scoped advisory lock, reads the head and inserts head + 1 chained to the head's
hash; ``seq`` and ``prev_hash`` are unique, so two replicas can never both extend one head.
Each replica batches its own records (group commit); nothing else is shared."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from authz.audit import AuditLog
from authz.dev_keys import ensure_dev_keys, mint_token
from store import ServerAddress
from store.server import connect
from tests.conftest import TEST_KEYS_DIR, TEST_PREFIX
from tests.mesh_services import free_ports

ROOT = Path(__file__).resolve().parents[1]
REPLICAS = 3
REQUESTS = 240
CONCURRENCY = 12
QUERIES = (
    "query ($id: ID!) { person(id: $id) { id health { familyName } } }",
    "query ($id: ID!) { person(id: $id) { links { agency } housing { postcode } } }",
    "query ($id: ID!) { person(id: $id) { household { size members { id } } } }",
)


@pytest.fixture(scope="module")
def replicas(subgraph_urls: dict[str, str], linked: ServerAddress) -> Iterator[list[str]]:
    env = {
        **os.environ,
        "MESH_DB_PREFIX": TEST_PREFIX,
        "MESH_DATA_DIR": str(TEST_KEYS_DIR),
        "MESH_GATEWAY_AUDIT_DSN": linked.dsn("governance"),
        "MESH_GATEWAY_SUBGRAPHS": json.dumps(subgraph_urls),
    }
    ports = free_ports(REPLICAS)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "mesh.cli.app", "gateway", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}/graphql" for port in ports]
    try:
        deadline = time.monotonic() + 60
        for process, url in zip(processes, urls, strict=True):
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"gateway exited: {process.stderr.read()!r}")  # type: ignore[union-attr]
                try:
                    if httpx.get(url.replace("graphql", "readyz"), timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{url} not ready")
                time.sleep(0.2)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)


async def _people(address: ServerAddress) -> list[str]:
    index = await connect(address, "index")
    try:
        rows = await index.fetch("SELECT mesh_id FROM mesh_person ORDER BY mesh_id LIMIT 60")
    finally:
        await index.close()
    return [r["mesh_id"] for r in rows]


def _digest_without_extensions(body: dict[str, Any]) -> str:
    """The answer's SHA-256 as the audit took it: the body before ``extensions`` were added."""
    bare = {k: v for k, v in body.items() if k != "extensions"}
    return hashlib.sha256(orjson.dumps(bare)).hexdigest()


async def test_three_replicas_one_chain_no_forks_no_gaps_every_answer_recorded(
    replicas: list[str], linked: ServerAddress
) -> None:
    started = time.monotonic()
    people = await _people(linked)
    token = mint_token(ensure_dev_keys(TEST_KEYS_DIR), "manchester-city-council",
                       ["safeguarding_lead"])  # fmt: skip
    headers = {
        "authorization": f"Bearer {token}",
        "x-purpose-of-use": "SAFEGUARDING",
        "x-case-reference": "CASE-2026-070",
    }
    log = await AuditLog.open(linked.dsn("governance"))
    head_before = (await log.verify()).head_seq
    plan = list(zip(itertools.cycle(replicas), itertools.cycle(QUERIES), itertools.cycle(people),
                    range(REQUESTS), strict=False))  # fmt: skip
    gate = asyncio.Semaphore(CONCURRENCY)
    answers: list[dict[str, Any]] = []
    async with httpx.AsyncClient(timeout=30) as client:

        async def ask(url: str, query: str, person: str) -> None:
            async with gate:
                response = await client.post(
                    url, json={"query": query, "variables": {"id": person}}, headers=headers
                )
            assert response.status_code == 200, response.text
            answers.append(response.json())

        await asyncio.gather(*(ask(url, query, person) for url, query, person, _ in plan))
    try:
        report = await log.verify()
        assert report.ok, report  # no gap, no fork, nothing edited
        assert report.head_seq - head_before >= REQUESTS
        by_seq = {
            r["seq"]: r
            for r in await log.fetch(
                "SELECT seq, request_id::text, response_sha256, subjects FROM audit_record "
                "WHERE seq > $1",
                head_before,
            )
        }
        forks = await log.fetchrow(
            "SELECT count(*) - count(DISTINCT prev_hash) AS forks FROM audit_record"
        )
        assert forks is not None and forks["forks"] == 0
        assert len(answers) == REQUESTS
        for body in answers:
            governance = body["extensions"]["governance"]
            record = by_seq[governance["auditRecord"]]
            assert record["request_id"] == governance["requestId"]
            assert record["response_sha256"] == _digest_without_extensions(body)
        assert {b["extensions"]["governance"]["auditRecord"] for b in answers} <= set(by_seq)
        assert len({b["extensions"]["governance"]["auditRecord"] for b in answers}) == REQUESTS
    finally:
        await log.close()
    assert time.monotonic() - started < 45
