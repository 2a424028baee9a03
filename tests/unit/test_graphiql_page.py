"""The self-hosted GraphiQL page: what it loads, from where, and what it opens with."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request

from mesh.gateway.graphiql import (
    HOUSEHOLD_QUERY,
    PRESET_ENV,
    GraphiQLPreset,
    PresetError,
    asset_manifest,
    browser_redirect,
    graphiql_routes,
)

PURPOSES = ["DIRECT_CARE", "SAFEGUARDING", "EARLY_HELP", "PLANNING", "EMERGENCY", "OVERSIGHT"]
_CONFIG = re.compile(
    r'<script type="application/json" id="mesh-graphiql-config">(.*?)</script>', re.S
)


def client(preset: GraphiQLPreset | None = None, *, from_env: bool = False) -> httpx.AsyncClient:
    routes = graphiql_routes() if from_env else graphiql_routes(preset or GraphiQLPreset())
    transport = httpx.ASGITransport(app=Starlette(routes=routes))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


async def get(path: str, preset: GraphiQLPreset | None = None) -> httpx.Response:
    async with client(preset) as http:
        return await http.get(path)


def config_of(html: str) -> dict[str, object]:
    found = _CONFIG.search(html)
    assert found is not None, html
    config: dict[str, object] = json.loads(found.group(1))
    return config


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


async def test_the_policy_allows_this_origin_only() -> None:
    page = await get("/graphiql/")
    assert page.status_code == 200
    directives = csp_directives(page.headers["content-security-policy"])
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]  # no inline script, no eval, no CDN
    assert directives["connect-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    allowed = re.compile(r"^('self'|'none'|data:|'nonce-[A-Za-z0-9_-]{16,}')$")
    assert directives
    for name, sources in directives.items():  # a directive without sources allows nothing
        assert all(allowed.match(source) for source in sources), (name, sources)
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_each_page_load_has_its_own_style_nonce() -> None:
    async with client() as http:
        first, second = await http.get("/graphiql/"), await http.get("/graphiql/")
    nonces = [config_of(p.text)["styleNonce"] for p in (first, second)]
    assert nonces[0] != nonces[1]
    for page, nonce in zip((first, second), nonces, strict=True):
        assert (
            f"'nonce-{nonce}'"
            in csp_directives(page.headers["content-security-policy"])["style-src"]
        )


async def test_the_page_loads_only_the_bundled_assets_and_they_are_served() -> None:
    async with client() as http:
        page = (await http.get("/graphiql/")).text
        manifest = asset_manifest()
        sources = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert sorted(sources) == sorted(
            ["data:,", f"assets/{manifest['script']}", f"assets/{manifest['stylesheet']}"]
        )
        script = await http.get(f"/graphiql/assets/{manifest['script']}")
        style = await http.get(f"/graphiql/assets/{manifest['stylesheet']}")
        assert script.status_code == 200 and script.headers["content-type"].startswith(
            "text/javascript"
        )
        assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
        assert "immutable" in script.headers["cache-control"]
        assert (await http.get("/graphiql/assets/manifest.json")).status_code == 404
        assert (await http.get("/graphiql/assets/other.js")).status_code == 404
        assert (await http.get("/graphiql/assets/..%2F..%2Fhttp.py")).status_code == 404
    cdn = re.compile(r"https?://[^\s\"')]*(unpkg|jsdelivr|googleapis|gstatic|cdnjs|esm\.sh)")
    for body in (script.text, style.text):
        assert cdn.search(body) is None


async def test_graphiql_redirects_to_its_folder_and_graphql_points_browsers_there() -> None:
    moved = await get("/graphiql")
    assert moved.status_code == 308 and moved.headers["location"] == "graphiql/"
    pointed = await browser_redirect(Request({"type": "http", "method": "GET", "headers": []}))
    assert pointed.status_code == 307 and pointed.headers["location"] == "graphiql/"


async def test_in_production_no_token_is_prefilled() -> None:
    config = config_of((await get("/graphiql/")).text)
    headers = json.loads(str(config["headers"]))
    assert "Authorization" not in headers and headers["X-Purpose-Of-Use"] == "DIRECT_CARE"
    assert config["demo"] is False
    assert config["purposes"] == PURPOSES
    assert config["query"] == HOUSEHOLD_QUERY and config["endpoint"] == "../graphql"


async def test_the_demo_preset_prefills_the_token_the_purpose_and_a_household(
    tmp_path: Path,
) -> None:
    token_file = tmp_path / "demo-token.txt"
    token_file.write_text("eyJ.demo.token\n")
    preset = GraphiQLPreset(
        variables={"id": "mh_0123456789abcdef0123"},
        headers={"X-Purpose-Of-Use": "SAFEGUARDING", "X-Case-Reference": "MASH-1"},
        token_file=token_file,
    )
    preset.to_file(tmp_path / "preset.json")
    loaded = GraphiQLPreset.from_file(tmp_path / "preset.json")
    assert loaded == preset
    config = config_of((await get("/graphiql/", loaded)).text)
    assert json.loads(str(config["headers"])) == {
        "Authorization": "Bearer eyJ.demo.token",
        "X-Purpose-Of-Use": "SAFEGUARDING",
        "X-Case-Reference": "MASH-1",
    }
    assert json.loads(str(config["variables"])) == {"id": "mh_0123456789abcdef0123"}
    assert config["demo"] is True
    token_file.write_text("eyJ.next.run\n")  # a new demo run mints a new token: no restart
    assert "eyJ.next.run" in (await get("/graphiql/", loaded)).text
    token_file.unlink()
    assert "Authorization" not in (await get("/graphiql/", loaded)).text


async def test_the_preset_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "preset.json"
    GraphiQLPreset(query="{ __typename }").to_file(path)
    monkeypatch.setenv(PRESET_ENV, str(path))
    async with client(from_env=True) as http:
        page = await http.get("/graphiql/")
    assert config_of(page.text)["query"] == "{ __typename }"


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("not json", "Expecting value"),
        ("[]", "expected a JSON object"),
        ('{"query": 1, "variables": {}, "headers": {}}', "needs a query"),
        ('{"query": "q", "variables": {}, "headers": {"a": 1}}', "headers must map"),
        ('{"query": "q", "variables": {}, "headers": {}, "tokenFile": 3}', "tokenFile"),
    ],
)
def test_a_bad_preset_file_is_refused_with_its_reason(
    tmp_path: Path, content: str, complaint: str
) -> None:
    path = tmp_path / "preset.json"
    path.write_text(content)
    with pytest.raises(PresetError, match=complaint):
        GraphiQLPreset.from_file(path)
    with pytest.raises(PresetError, match=r"missing\.json"):
        GraphiQLPreset.from_file(tmp_path / "missing.json")


async def test_nothing_in_a_query_or_header_can_close_the_config_block() -> None:
    preset = GraphiQLPreset(
        query='# </script><script>alert("x")</script>\n{ __typename }',
        headers={"X-Case-Reference": "</script>"},
    )
    html = (await get("/graphiql/", preset)).text
    assert html.count("</script>") == 2  # the config block's own, and the bundle's
    assert config_of(html)["query"] == preset.query
