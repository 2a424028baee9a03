"""Both ends log (the X-Road model): each agency's own access log checked against the central
audit chain.

Every row an agency logged (``mesh_access_log``: what it served, under which context, for which
gateway request) must have its gateway request in the chain, made by the same member of staff
of the same organisation for the same purpose; and the people an agency was asked about by
reference (an entity fetch) must be named by that record. A row that fails points at a request
the centre did not record — a context used outside the gateway, or a gateway that failed after
fetching (it then answered 503 and served nothing, but the agency did serve it).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg

from authz.audit import AuditLog, AuditUnavailable

__all__ = ["Discrepancy", "ReconcileReport", "reconcile"]

_AGENCY_ROWS = """
SELECT context_id, request_id, subject, organisation, purpose, subjects, entity_fetch
FROM mesh_access_log WHERE received_at >= $1 AND received_at < $2 ORDER BY received_at
"""
_CENTRAL = """
SELECT request_id, subject, organisation, purpose, subjects
FROM audit_record WHERE request_id = ANY($1::uuid[])
"""
_TIMEOUT = 10.0


@dataclass(frozen=True)
class Discrepancy:
    kind: str  # "unrecorded" | "context_mismatch" | "subject_not_recorded"
    store: str  # the agency (or the index) whose log holds the row
    context_id: str
    request_id: str
    detail: str


@dataclass(frozen=True)
class ReconcileReport:
    checked: dict[str, int]  # rows compared, per store
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.discrepancies


def _request_uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


async def _agency_rows(dsn: str, since: datetime, until: datetime) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn, timeout=_TIMEOUT)
    try:
        return list(await conn.fetch(_AGENCY_ROWS, since, until, timeout=_TIMEOUT))
    finally:
        await conn.close()


async def reconcile(
    log: AuditLog, agency_logs: Mapping[str, str], *, since: datetime, until: datetime
) -> ReconcileReport:
    """Compare every agency log row received in [since, until) with the central chain.
    ``agency_logs`` maps each store's name to its DSN. Leave ``until`` a minute in the past
    to skip requests still in flight (the centre records an answer when it is complete)."""
    names = list(agency_logs)
    try:
        fetched = await asyncio.gather(*(_agency_rows(agency_logs[n], since, until) for n in names))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        raise AuditUnavailable(f"an agency's access log could not be read: {exc}") from None
    rows = dict(zip(names, fetched, strict=True))
    wanted = {u for found in rows.values() for r in found if (u := _request_uuid(r["request_id"]))}
    central = {
        str(r["request_id"]): r for r in await log.fetch(_CENTRAL, sorted(wanted))
    } if wanted else {}  # fmt: skip
    report = ReconcileReport({n: len(found) for n, found in rows.items()})
    for store, found in rows.items():
        for row in found:
            report.discrepancies.extend(_compare(store, row, central))
    return report


def _compare(
    store: str, row: asyncpg.Record, central: Mapping[str, asyncpg.Record]
) -> list[Discrepancy]:
    def found(kind: str, detail: str) -> Discrepancy:
        return Discrepancy(kind, store, row["context_id"], row["request_id"], detail)

    key = _request_uuid(row["request_id"])
    record = central.get(key) if key else None
    if record is None:
        return [found("unrecorded", "served under a context whose request the chain lacks")]
    problems = []
    for column in ("subject", "organisation", "purpose"):
        if row[column] != record[column]:
            problems.append(
                found("context_mismatch", f"{column}: {row[column]!r} here, {record[column]!r}")
            )
    if row["entity_fetch"]:
        missing = sorted(set(row["subjects"]) - set(record["subjects"]))
        if missing:
            problems.append(found("subject_not_recorded", ", ".join(missing)))
    return problems
