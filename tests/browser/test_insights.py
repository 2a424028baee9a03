"""/insights in headless Chromium: a planner sees the table and the chart, nothing loads from
anywhere but the gateway, and the Content-Security-Policy holds (no violations)."""

from __future__ import annotations

import asyncio
import csv
import io
import socket
from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
import uvicorn

from authz.dev_keys import ensure_dev_keys, mint_token
from mesh.federation.http import PipelineHolder
from mesh.gateway import Gateway
from mesh.gateway.insights import CONTENT_SECURITY_POLICY
from mesh.gateway.serve import gateway_app
from tests.browser.chromium import chromium_page
from tests.conftest import TEST_KEYS_DIR

# The page's script sets data-state to ready or error when it has finished.
READY = "['ready', 'error'].includes(document.body.dataset.state) && document.body.dataset.state"


@pytest_asyncio.fixture(scope="module")
async def served(raw_gateway: Gateway) -> AsyncIterator[str]:
    """The gateway's HTTP app on a free local port (uvicorn in this event loop)."""
    app = gateway_app(PipelineHolder(raw_gateway.pipeline), raw_gateway.settings)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task
    sock.close()


def token(org: str, role: str) -> str:
    return mint_token(ensure_dev_keys(TEST_KEYS_DIR), org, [role])


async def test_a_planner_sees_the_table_and_the_chart(served: str) -> None:
    async with chromium_page() as page:
        await page.send("Page.navigate", url=f"{served}/insights#token={token('QOP', 'analyst')}")
        state = await page.wait_for(READY)
        status = await page.evaluate("document.getElementById('status').textContent")
        assert state == "ready", status
        rows = await page.evaluate("document.querySelectorAll('#demand tbody tr').length")
        assert rows >= 11  # ten authorities (and perhaps Unknown) and Greater Manchester
        labels = await page.evaluate("Number(document.getElementById('chart').dataset.labels)")
        bars = await page.evaluate("Number(document.getElementById('chart').dataset.bars)")
        released = await page.evaluate(
            "[...document.querySelectorAll('#demand tbody tr:not(.total)')]"
            ".filter(r => r.cells[0].textContent !== 'Unknown')"
            ".filter(r => r.cells[2].textContent !== '*').length"
        )
        assert labels == 10 and bars == released  # suppressed counts are gaps, not zeros
        painted = await page.evaluate(
            "(() => { const c = document.getElementById('chart');"
            " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })()"
        )
        assert painted > 1000, "the chart drew nothing"
        assert "#token" not in await page.evaluate("window.location.href")
        assert all(url.startswith(served) for url in page.requests), page.requests
        violations = [m for m in page.console if "Content Security Policy" in m]
        assert violations == [], violations
        errors = [m for m in page.console if m.startswith(("error", "exception"))]
        assert errors == [], errors


async def test_without_a_planners_token_the_page_shows_no_table(served: str) -> None:
    async with chromium_page() as page:
        early_help = token("bolton-council", "early_help_worker")
        await page.send("Page.navigate", url=f"{served}/insights#token={early_help}")
        state = await page.wait_for(READY)
        assert state == "error"
        assert await page.evaluate("document.getElementById('table-section').hidden")
        status = await page.evaluate("document.getElementById('status').textContent")
        assert "withheld" in status or "FORBIDDEN" in status or "no agreement" in status


async def test_the_page_is_locked_to_its_own_origin(served: str) -> None:
    async with httpx.AsyncClient() as client:
        page = await client.get(f"{served}/insights")
        script = await client.get(f"{served}/insights/static/vendor/chart.umd.min.js")
        missing = await client.get(f"{served}/insights/static/../serve.py")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert (
        "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "http" not in CONTENT_SECURITY_POLICY
    )
    assert "<script>" not in page.text and "http" not in page.text.split("<body")[0]
    assert script.status_code == 200 and len(script.content) > 100_000
    assert missing.status_code == 404


async def test_the_table_downloads_as_csv_for_planners_only(served: str) -> None:
    url = f"{served}/insights/demand.csv?groupBy=LOCAL_AUTHORITY&measures=minNeeds:1,minNeeds:3"
    planner = {"authorization": f"Bearer {token('QOP', 'analyst')}", "x-purpose-of-use": "PLANNING"}
    async with httpx.AsyncClient(timeout=60) as client:
        answer = await client.get(url, headers=planner)
        nobody = await client.get(url)
        wrong = await client.get(url + "x", headers=planner)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == ["local_authority", "minNeeds:1", "minNeeds:3"]
    assert rows[-1][0] == "All"
    for row in rows[1:]:
        for value in row[1:]:
            assert value == "*" or int(value) == 0 or (int(value) >= 8 and int(value) % 5 == 0)
    assert nobody.status_code == 401
    assert wrong.status_code == 200 or wrong.status_code >= 400
