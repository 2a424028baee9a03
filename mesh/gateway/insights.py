"""``/insights``: where planners look rather than read — the demand table and a chart of
households with three or more needs per local authority, and the table as CSV.

The page carries no data: its script asks ``/graphql`` with the planner's token (purpose
PLANNING), so the answer goes through the same pipeline, rules and audit as any other. The
charting library is vendored in the package (``tools/insights/vendor.sh``, pinned by its
lockfile); the Content-Security-Policy lets the page load nothing but its own origin.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from mesh.federation.http import PipelineHolder
from mesh.federation.pipeline import GraphQLRequest

ASSETS = Path(__file__).resolve().parent / "insights_assets"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)
_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}
_STATIC = {
    "insights.js": "text/javascript",
    "insights.css": "text/css",
    "vendor/chart.umd.min.js": "text/javascript",
}
_CSV_QUERY = """
query DemandCsv($groupBy: [String!], $measures: [DemandMeasure!]!, $unit: String!) {
  demand(groupBy: $groupBy, measures: $measures, unit: $unit) { csv }
}
"""
_MEASURE_KINDS = frozenset({"need", "minNeeds", "minAgencies", "indicator"})


def _measures(text: str) -> list[dict[str, object]] | None:
    """``minNeeds:3,need:CRIME`` as GraphQL input objects; None when malformed."""
    found: list[dict[str, object]] = []
    for item in text.split(","):
        kind, _, value = item.strip().partition(":")
        if kind not in _MEASURE_KINDS or not value:
            return None
        found.append(
            {kind: int(value) if kind in ("minNeeds", "minAgencies") and value.isdigit() else value}
        )
    return found


def insights_routes(holder: PipelineHolder) -> list[BaseRoute]:
    async def page(_: Request) -> Response:
        html = (ASSETS / "insights.html").read_text(encoding="utf-8")
        return HTMLResponse(html, headers=_HEADERS)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        media_type = _STATIC.get(name)
        if media_type is None:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(ASSETS / name, media_type=media_type, headers=_HEADERS)

    async def demand_csv(request: Request) -> Response:
        params = request.query_params
        measures = _measures(params.get("measures", "minNeeds:1,minNeeds:3"))
        if measures is None:
            return _json_error(
                "measures: a comma list of need:X, minNeeds:N, minAgencies:N or indicator:CODE",
                "BAD_USER_INPUT",
                400,
            )
        group_by = [g for g in params.get("groupBy", "LOCAL_AUTHORITY").split(",") if g]
        pipeline = holder.pipeline
        if pipeline is None:
            return _json_error("the gateway is starting", "NOT_READY", 503)
        answer = await pipeline.run(
            GraphQLRequest(
                _CSV_QUERY,
                {
                    "groupBy": group_by,
                    "measures": measures,
                    "unit": params.get("unit", "HOUSEHOLDS"),
                },
                None,
                dict(request.headers),
                allow_mutations=False,
            )
        )
        table = ((answer.body.get("data") or {}).get("demand") or {}) if not answer.error else {}
        if not table.get("csv"):
            errors = answer.body.get("errors") or [{"message": "no table was released"}]
            status = answer.http_status() if answer.error else 403
            return Response(
                orjson.dumps({"errors": errors}), status_code=status, media_type="application/json"
            )
        return Response(
            table["csv"],
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": 'attachment; filename="demand.csv"',
                "cache-control": "no-store",
            },
        )

    async def no_icon(_: Request) -> Response:
        return Response(status_code=204)  # browsers ask; the gateway has no icon

    return [
        Route("/favicon.ico", no_icon),
        Route("/insights", page),
        Route("/insights/demand.csv", demand_csv),
        Route("/insights/static/{name:path}", static),
    ]


def _json_error(message: str, code: str, status: int) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")
