"""The agency's own access log (the X-Road model: both ends of an exchange log it).

Every gateway request a subgraph serves is recorded in its own database before any data is
read: under which context, for which gateway request (the central audit record's id), for whom
and why, which operation (its SHA-256) and about whom (the mesh ids it was asked about). The
context's id is the row's key, so a context is used once: a replay finds it there and is
refused. ``mesh audit reconcile`` checks these rows against the central chain.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import orjson

from authz.context_token import ContextRejected, MeshContext
from subgraphs.kit.database import Database

_MESH_ID = re.compile(r"\bm[ph]_[0-9a-f]{20}\b")
_RECORD = """
INSERT INTO mesh_access_log (
    context_id, request_id, expires_at, subject, organisation, roles, purpose, case_reference,
    break_glass, agreements, operation_sha256, subjects, entity_fetch
) VALUES ($1, $2, to_timestamp($3), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (context_id) DO NOTHING
RETURNING context_id
"""


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def request_subjects(query: str, variables: Any) -> tuple[list[str], bool]:
    """The mesh ids a request is about (in its variables, representations included, or written
    into its text), and whether it asks by representations (an entity fetch)."""
    found = dict.fromkeys(_MESH_ID.findall(query))
    found.update(dict.fromkeys(s for s in _strings(variables) if _MESH_ID.fullmatch(s)))
    entity_fetch = isinstance(variables, dict) and any(
        isinstance(v, list) and any(isinstance(i, dict) and "__typename" in i for i in v)
        for v in variables.values()
    )
    return list(found), entity_fetch


async def record_access(database: Database, context: MeshContext, body: bytes) -> None:
    """Log the request before serving it; ContextRejected when its context was used before."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        payload = {}
    query = payload.get("query") if isinstance(payload, dict) else None
    query = query if isinstance(query, str) else ""
    variables = payload.get("variables") if isinstance(payload, dict) else None
    subjects, entity_fetch = request_subjects(query, variables)
    request, principal = context.request, context.request.principal
    rows = await database.fetch(
        _RECORD,
        context.context_id,
        context.request_id,
        context.expires_at,
        principal.subject,
        principal.organisation,
        list(principal.roles),
        request.purpose.value,
        request.case_reference,
        context.break_glass,
        list(context.agreements),
        hashlib.sha256(query.encode("utf-8")).hexdigest(),
        subjects,
        entity_fetch,
        counted=False,
    )
    if not rows:
        raise ContextRejected(
            "GATEWAY_CONTEXT_REPLAYED", "this gateway context was already used: each is good once"
        )
