"""/insights in headless Chromium (tests/browser.py: Debian's chromium over the DevTools
protocol): a planner sees the table and the chart, nothing loads from anywhere but the gateway,
and the Content-Security-Policy holds (no violations)."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
import uvicorn

from authz.dev_keys import ensure_dev_keys, mint_token
from mesh.federation.http import PipelineHolder
from mesh.gateway import Gateway
from mesh.gateway.insights import CONTENT_SECURITY_POLICY
from mesh.gateway.serve import gateway_app
from tests.browser import chromium_cdp_url, chromium_path
from tests.conftest import TEST_KEYS_DIR
from tests.mesh_services import ROOT

SCREENSHOT = ROOT / "docs" / "img" / "insights.png"

# The page's script sets data-state to ready or error when it has finished.
DONE = "() => ['ready', 'error'].includes(document.body.dataset.state)"


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


class Visit:
    """What one page load did: requests made, console errors, CSP violations, failed loads."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.screenshot = b""

    def watch(self, page: Any) -> None:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.problems.append(str(error)))


async def open_insights(url: str, bearer: str) -> tuple[dict[str, Any], Visit]:
    from playwright.async_api import async_playwright

    visit = Visit()
    with chromium_cdp_url(chromium_path()) as cdp:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.connect_over_cdp(cdp)
            page = await browser.contexts[0].new_page()
            visit.watch(page)
            await page.set_viewport_size({"width": 1100, "height": 900})
            await page.goto(f"{url}/insights#token={bearer}")
            await page.wait_for_function(DONE, timeout=90_000)
            seen = await page.evaluate(
                """() => {
                  const canvas = document.getElementById('chart');
                  let painted = 0;
                  if (!canvas.closest('section').hidden) {
                    const d = canvas.getContext('2d')
                      .getImageData(0, 0, canvas.width, canvas.height).data;
                    for (let i = 3; i < d.length; i += 4) if (d[i]) painted++;
                  }
                  const rows = [...document.querySelectorAll('#demand tbody tr')];
                  return {
                    state: document.body.dataset.state,
                    status: document.getElementById('status').textContent,
                    rows: rows.length,
                    released: rows.filter(r => !r.classList.contains('total'))
                      .filter(r => r.cells[0].textContent !== 'Unknown')
                      .filter(r => r.cells[2].textContent !== '*').length,
                    labels: Number(canvas.dataset.labels || 0),
                    bars: Number(canvas.dataset.bars || 0),
                    painted,
                    href: window.location.href,
                    tableHidden: document.getElementById('table-section').hidden,
                  };
                }"""
            )
            visit.screenshot = await page.screenshot(full_page=True)
            await browser.close()
    return seen, visit


async def test_a_planner_sees_the_table_and_the_chart(served: str) -> None:
    seen, visit = await open_insights(served, token("QOP", "analyst"))
    assert seen["state"] == "ready", seen["status"]
    assert seen["rows"] >= 11  # ten authorities (and perhaps Unknown) and Greater Manchester
    assert seen["labels"] == 10
    assert seen["bars"] == seen["released"]  # suppressed counts are gaps, not zeros
    assert seen["painted"] > 1000, "the chart drew nothing"
    assert "#token" not in seen["href"]
    assert visit.requests and all(url.startswith(served) for url in visit.requests), visit.requests
    assert visit.problems == [], visit.problems  # CSP violations are console errors too
    assert visit.screenshot.startswith(b"\x89PNG")
    if os.environ.get("MESH_UPDATE_SCREENSHOTS"):
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        SCREENSHOT.write_bytes(visit.screenshot)


async def test_without_a_planners_token_the_page_shows_no_table(served: str) -> None:
    seen, _ = await open_insights(served, token("bolton-council", "early_help_worker"))
    assert seen["state"] == "error" and seen["tableHidden"]
    assert "did not release the table" in seen["status"]


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
        bad = await client.get(url.replace("minNeeds:3", "happiness:3"), headers=planner)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == ["local_authority", "minNeeds:1", "minNeeds:3"]
    assert rows[-1][0] == "All"
    for row in rows[1:]:
        for value in row[1:]:
            assert value == "*" or int(value) == 0 or (int(value) >= 8 and int(value) % 5 == 0)
    assert nobody.status_code == 401
    assert bad.status_code == 400 and "measures" in bad.text
