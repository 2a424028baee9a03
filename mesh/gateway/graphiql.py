"""GraphiQL, self-hosted: the page and its bundled assets, served under ``/graphiql/``.

The assets (React, GraphiQL 3, the explorer plugin) are built by ``tools/graphiql`` from pinned
npm packages into ``graphiql_assets/`` and shipped in the Python package, so the page needs no
network. Its Content-Security-Policy allows nothing but this origin: no CDN, no fonts from
elsewhere, no inline script (the page's settings travel in a JSON data block, which is never
executed). Under ``mesh demo`` the page opens with the demo principal's headers and a household
from the demo data (a *preset*, see :class:`GraphiQLPreset`); otherwise no token is prefilled.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from authz.model import PurposeOfUse

PRESET_ENV = "MESH_GRAPHIQL_PRESET"
ASSETS = "graphiql_assets"
# Relative to /graphiql/: the gateway's endpoint, wherever a proxy mounts the gateway.
ENDPOINT = "../graphql"

HOUSEHOLD_QUERY = """\
# A household, its members, what each agency knows.
# Run it with ▶: the headers say who asks and why.
query Household($id: ID!) {
  household(id: $id) {
    id
    size
    housing { tenure weeklyRent postcode }
    members {
      id
      links { agency records }
      health { givenName familyName dateOfBirth }
      welfare { universalCreditClaims { monthlyAward } }
    }
  }
}
"""

_CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".json": "application/json"}


class PresetError(ValueError):
    """The preset file cannot be used (missing, not JSON, wrong shape)."""


@dataclass(frozen=True)
class GraphiQLPreset:
    """What the page opens with. ``token_file`` is read on every page load (``mesh demo``
    mints a new token each run); without one, no Authorization header is prefilled."""

    query: str = HOUSEHOLD_QUERY
    variables: dict[str, Any] = field(default_factory=lambda: {"id": "mh_…"})
    headers: dict[str, str] = field(default_factory=lambda: {"X-Purpose-Of-Use": "DIRECT_CARE"})
    token_file: Path | None = None

    @property
    def demo(self) -> bool:
        return self.token_file is not None

    def to_file(self, path: Path) -> None:
        body = {
            "query": self.query,
            "variables": self.variables,
            "headers": self.headers,
            "tokenFile": str(self.token_file) if self.token_file else None,
        }
        path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def from_file(cls, path: Path) -> GraphiQLPreset:
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise PresetError(f"GraphiQL preset {path}: {exc}") from None
        if not isinstance(body, dict):
            raise PresetError(f"GraphiQL preset {path}: expected a JSON object")
        query, variables, headers = body.get("query"), body.get("variables"), body.get("headers")
        token_file = body.get("tokenFile")
        if not isinstance(query, str) or not isinstance(variables, dict):
            raise PresetError(f"GraphiQL preset {path}: needs a query and variables object")
        if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            raise PresetError(f"GraphiQL preset {path}: headers must map names to strings")
        if token_file is not None and not isinstance(token_file, str):
            raise PresetError(f"GraphiQL preset {path}: tokenFile must be a path")
        return cls(query, variables, headers, Path(token_file) if token_file else None)

    def page_headers(self) -> dict[str, str]:
        """The headers the page opens with, the bearer token first when there is one."""
        if self.token_file is None:
            return dict(self.headers)
        try:
            token = self.token_file.read_text(encoding="utf-8").strip()
        except OSError:
            return dict(self.headers)  # the demo has not written it yet: prefill nothing secret
        return {"Authorization": f"Bearer {token}", **self.headers}


def preset_from_env() -> GraphiQLPreset:
    """The demo's preset when ``MESH_GRAPHIQL_PRESET`` names one, else production's page."""
    path = os.environ.get(PRESET_ENV)
    return GraphiQLPreset.from_file(Path(path)) if path else GraphiQLPreset()


@lru_cache(maxsize=1)
def asset_manifest() -> dict[str, str]:
    """Built file names (content-hashed) from ``graphiql_assets/manifest.json``."""
    text = resources.files(__package__).joinpath(ASSETS, "manifest.json").read_text("utf-8")
    manifest: dict[str, str] = json.loads(text)
    return manifest


@lru_cache(maxsize=8)
def _asset(name: str) -> bytes | None:
    if name not in asset_manifest().values():
        return None
    return resources.files(__package__).joinpath(ASSETS, name).read_bytes()


def content_security_policy(style_nonce: str) -> str:
    """Only this origin. Styles may also come from one ``<style>`` element per page load that
    carries the nonce (GraphiQL's dialogs add one to lock scrolling); fonts and icons are
    ``data:`` URIs inside the stylesheet."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{style_nonce}'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def page_config(preset: GraphiQLPreset, style_nonce: str) -> dict[str, Any]:
    return {
        "endpoint": ENDPOINT,
        "query": preset.query,
        "variables": json.dumps(preset.variables, indent=2),
        "headers": json.dumps(preset.page_headers(), indent=2),
        "purposes": [purpose.value for purpose in PurposeOfUse],
        "demo": preset.demo,
        "styleNonce": style_nonce,
    }


def _data_block(config: dict[str, Any]) -> str:
    """JSON inside ``<script type="application/json">``: ``<`` escaped so that no value can
    close the element, whatever a query or header holds."""
    return json.dumps(config).replace("<", "\\u003c").replace(">", "\\u003e")


def graphiql_page(preset: GraphiQLPreset, style_nonce: str) -> str:
    manifest = asset_manifest()
    config = _data_block(page_config(preset, style_nonce))
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Civic Mesh · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/{escape(manifest["stylesheet"])}">
<script type="application/json" id="mesh-graphiql-config">{config}</script>
<script src="assets/{escape(manifest["script"])}" defer></script>
</head>
<body><div id="graphiql">Loading GraphiQL…</div></body>
</html>
"""


_SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


def graphiql_routes(preset: GraphiQLPreset | None = None) -> list[BaseRoute]:
    """``/graphiql/`` (the page) and ``/graphiql/assets/<file>``; ``preset`` defaults to the
    environment's, read once here so a bad preset file fails at start-up, not per page."""
    chosen = preset if preset is not None else preset_from_env()

    async def page(_: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        return HTMLResponse(
            graphiql_page(chosen, nonce),
            headers={
                **_SECURITY_HEADERS,
                "content-security-policy": content_security_policy(nonce),
                "cache-control": "no-store",  # it may hold the demo token
            },
        )

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        body = _asset(name)
        if body is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(
            body,
            media_type=_CONTENT_TYPES[Path(name).suffix],
            headers={
                **_SECURITY_HEADERS,
                "content-security-policy": "default-src 'none'",
                "cache-control": "public, max-age=31536000, immutable",
            },
        )

    async def to_page(_: Request) -> Response:
        return RedirectResponse("graphiql/", status_code=308)

    return [
        Route("/graphiql", to_page),
        Mount(
            "/graphiql",
            routes=[Route("/", page), Route("/assets/{name}", asset)],
        ),
    ]


async def browser_redirect(_: Request) -> Response:
    """What ``GET /graphql`` gives a browser: the self-hosted page (relative, so it works
    wherever a proxy mounts the gateway)."""
    return RedirectResponse("graphiql/", status_code=307)
