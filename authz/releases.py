"""The record of every statistical release (a planner's demand table), written before the
table leaves the centre: fail closed, like the audit log it sits beside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson

from authz.audit import AuditUnavailable
from authz.context_token import MeshContext

_INSERT = """
INSERT INTO statistical_release
    (request_id, subject, organisation, purpose, query, cells, suppressed, contributions,
     complete)
VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8::jsonb, $9)
RETURNING release_id
"""


@dataclass(frozen=True)
class Release:
    query: dict[str, Any]
    cells: Sequence[Sequence[Any]]
    suppressed: int
    contributions: Sequence[dict[str, Any]]
    complete: bool


async def record_release(pool: asyncpg.Pool, context: MeshContext, release: Release) -> int:
    """Append the release; AuditUnavailable when it cannot be written (nothing is released)."""
    return await _append(
        pool,
        context,
        "the statistical release",
        _INSERT,
        orjson.dumps(release.query).decode(),
        orjson.dumps(list(release.cells)).decode(),
        release.suppressed,
        orjson.dumps(list(release.contributions)).decode(),
        release.complete,
    )


_COHORT = """
INSERT INTO cohort_release
    (request_id, subject, organisation, purpose, query, households, total, unavailable)
VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)
RETURNING release_id
"""


async def record_cohort(
    pool: asyncpg.Pool,
    context: MeshContext,
    *,
    query: dict[str, Any],
    households: Sequence[str],
    total: int,
    unavailable: Sequence[str],
) -> int:
    """Append one cohort page's households; AuditUnavailable when it cannot be written."""
    return await _append(
        pool,
        context,
        "the cohort",
        _COHORT,
        orjson.dumps(query).decode(),
        list(households),
        total,
        list(unavailable),
    )


async def _append(
    pool: asyncpg.Pool, context: MeshContext, what: str, sql: str, *values: Any
) -> int:
    """One release row after the caller's columns (request id, subject, organisation,
    purpose); AuditUnavailable when it cannot be written (then nothing is released)."""
    principal = context.request.principal
    try:
        async with pool.acquire(timeout=5) as conn:
            release_id = await conn.fetchval(
                sql,
                context.request_id,
                principal.subject,
                principal.organisation,
                context.request.purpose.value,
                *values,
            )
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        raise AuditUnavailable(f"{what} could not be recorded: {error}") from None
    return int(release_id)
