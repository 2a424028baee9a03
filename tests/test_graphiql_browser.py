"""GraphiQL in a real browser: the mesh started as ``mesh demo`` starts it (its own service
commands, preset and demo token; real subgraph processes on real PostgreSQL), the page loaded
in headless Chromium, nothing fetched from anywhere but the gateway, the default query run as
shown, the docs explorer opened, and the token kept out of localStorage until asked."""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from authz.context_token import ensure_gateway_keys
from devtools import demo
from devtools.topology import HOST, ports_in_use, subgraph_port
from store import ServerAddress
from subgraphs.registry import known_subgraphs
from tests.browser import chromium_cdp_url, chromium_path
from tests.conftest import TEST_KEYS_DIR
from tests.processes import stop_processes

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "docs" / "img" / "graphiql.png"
PURPOSES = ("DIRECT_CARE", "SAFEGUARDING", "EARLY_HELP", "PLANNING", "EMERGENCY")


@dataclass(frozen=True)
class DemoMesh:
    url: str
    household: str
    token: str


def _free_base_port() -> int:
    """A gateway port in 18000-18990 whose subgraph ports (+1..+8) are free too."""
    for _ in range(50):
        base = random.randrange(18000, 18990)
        ports = [base, *(subgraph_port(name, base) for name in known_subgraphs())]
        if not ports_in_use(ports):
            return base
    raise RuntimeError("no free ports for the demo mesh")


def _wait_ready(url: str, processes: list[subprocess.Popen[bytes]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready in {timeout} s")


@pytest.fixture(scope="module")
def demo_mesh(linked: ServerAddress) -> Iterator[DemoMesh]:
    port = _free_base_port()
    household = asyncio.run(demo._example_household(linked))
    assert household is not None, "the linked test data has no household"
    token_file = demo.demo_token(TEST_KEYS_DIR)
    preset = demo.graphiql_preset(TEST_KEYS_DIR, household, token_file)
    _, gateway_jwks = ensure_gateway_keys(TEST_KEYS_DIR)
    subgraphs, gateway = demo._services(linked, port, TEST_KEYS_DIR, (gateway_jwks, preset))
    # The demo's gateway finds the governance database in its own store; here it is the test one.
    extra = {
        "MESH_DB_PREFIX": linked.prefix,
        "MESH_GATEWAY_AUDIT_DSN": linked.dsn("governance"),
        "MESH_SUBGRAPH_LOG_LEVEL": "WARNING",
    }
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for service in subgraphs:
            processes.append(_start(service.argv, {**service.env, **extra}))
        for name in known_subgraphs():
            _wait_ready(f"http://{HOST}:{subgraph_port(name, port)}/readyz", processes, 60)
        processes.append(_start(gateway.argv, {**gateway.env, **extra}))
        _wait_ready(f"http://{HOST}:{port}/readyz", processes, 90)
        yield DemoMesh(f"http://{HOST}:{port}", household, token_file.read_text().strip())
    finally:
        stop_processes(*processes)


def _start(argv: Any, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        list(argv),
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


_EDITOR_TEXT = """(selector) => Array.from(document.querySelectorAll(selector))
    .map((element) => element.CodeMirror ? element.CodeMirror.getValue() : '')"""


def _editors(page: Any, selector: str) -> list[str]:
    texts: list[str] = page.evaluate(_EDITOR_TEXT, selector)
    return texts


def _response(page: Any) -> dict[str, Any]:
    """The result pane's JSON, once GraphiQL has put a whole answer there."""
    page.wait_for_function(
        """() => { const e = document.querySelector('.graphiql-response .CodeMirror');
                   if (!e) return false;
                   try { JSON.parse(e.CodeMirror.getValue()); return true; }
                   catch { return false; } }""",
        timeout=30_000,
    )
    texts = _editors(page, ".graphiql-response .CodeMirror")
    answer: dict[str, Any] = json.loads(texts[0])
    return answer


def _graphiql_storage(page: Any) -> dict[str, str]:
    stored: dict[str, str] = page.evaluate(
        """() => Object.fromEntries(Object.keys(localStorage)
                 .filter((k) => k.startsWith('graphiql:'))
                 .map((k) => [k, localStorage.getItem(k)]))"""
    )
    return stored


def test_graphiql_runs_the_demo_query_offline_in_chromium(demo_mesh: DemoMesh) -> None:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    requests: list[str] = []
    problems: list[str] = []
    with chromium_cdp_url(executable) as cdp, sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(cdp)
        context = browser.contexts[0]
        page = context.new_page()
        page.set_viewport_size({"width": 1600, "height": 960})
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "response",
            lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )

        page.goto(f"{demo_mesh.url}/graphiql/", wait_until="networkidle")
        page.wait_for_selector(".graphiql-container", timeout=30_000)

        # Opens ready to run: the demo's query, a real household, the demo principal's headers.
        query = _editors(page, ".graphiql-query-editor .CodeMirror")
        assert "query Household($id: ID!)" in query[0]
        tools = _editors(page, ".graphiql-editor-tool .CodeMirror")
        variables = next(json.loads(t) for t in tools if '"id"' in t)
        headers = next(json.loads(t) for t in tools if "Authorization" in t)
        assert variables == {"id": demo_mesh.household}
        assert headers == {
            "Authorization": f"Bearer {demo_mesh.token}",
            **demo.DEMO_HEADERS,
        }
        hint = page.inner_text("[data-testid=mesh-header-hint]")
        assert all(purpose in hint for purpose in PURPOSES), hint

        page.click("button.graphiql-execute-button")
        answer = _response(page)
        assert "errors" not in answer, answer
        household = answer["data"]["household"]
        assert household["id"] == demo_mesh.household and household["members"]
        assert any(m["health"] and m["health"]["familyName"] for m in household["members"])
        assert answer["extensions"]["governance"]["purpose"] == "SAFEGUARDING"

        # The docs explorer shows the composed schema (introspection needs no token).
        page.click("[aria-label='Show Documentation Explorer']")
        page.click(".graphiql-doc-explorer a.graphiql-doc-explorer-type-name:has-text('Query')")
        page.wait_for_selector(".graphiql-doc-explorer :text('household')", timeout=15_000)
        page.wait_for_timeout(300)
        screenshot = page.screenshot()

        # GraphiQL stored its tabs and history, but not the headers (the token).
        page.wait_for_timeout(800)  # GraphiQL writes tabs after a 500 ms debounce
        stored = _graphiql_storage(page)
        assert "graphiql:queries" in stored and "graphiql:tabState" in stored, stored.keys()
        assert not any(demo_mesh.token in value for value in stored.values())
        assert not any("Authorization" in value for value in stored.values())

        # Settings → Persist headers is the user's opt-in: then they are kept.
        page.click("[aria-label='Open settings dialog']")
        page.click("#enable-persist-headers")
        page.keyboard.press("Escape")
        page.click("button.graphiql-execute-button")
        _response(page)
        page.wait_for_timeout(800)
        assert any(demo_mesh.token in value for value in _graphiql_storage(page).values())
        browser.close()

    assert requests, "the browser made no requests at all"
    elsewhere = [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob")
        and urlsplit(url).hostname not in ("127.0.0.1", "localhost")
    ]
    assert elsewhere == [], f"requests left this machine: {elsewhere}"
    assert problems == [], problems  # no CSP violation, no script error
    target = SCREENSHOT if os.environ.get("MESH_UPDATE_SCREENSHOTS") else None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(screenshot)
    assert screenshot.startswith(b"\x89PNG")
