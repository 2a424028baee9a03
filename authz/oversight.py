"""What information-governance leads and data subjects may learn from the audit log.

Subject access (UK GDPR Art 15) tells a person the dates, organisations, roles, purposes and
case references of each consultation of their data and which fields were shown; it leaves out
who the member of staff was unless asked (CJEU C-579/21) and the free-text justification.
Break-glass access is reviewed afterwards, as NHS Summary Care Record alerts are by a privacy
officer; reviews go to their own append-only table so audit records never change.

An IG lead reads within an :class:`OversightScope`: the accesses their own organisation's staff
made, and every access to data their organisation provides — never another organisation's
staff looking at another organisation's data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import asyncpg

from authz.audit import RECORD_COLUMNS, AuditLog, AuditRecord
from authz.model import PurposeOfUse

__all__ = [
    "BreakGlassReview",
    "OversightScope",
    "ReviewOutcome",
    "ReviewRefused",
    "SubjectAccess",
    "accesses_for_subject",
    "review_break_glass",
    "search",
    "unreviewed_break_glass",
]

SEARCH_LIMIT_MAX = 1000


class ReviewOutcome(StrEnum):
    JUSTIFIED = "justified"
    NOT_JUSTIFIED = "not_justified"
    REFERRED = "referred"  # passed to the organisation's DPO / HR process


class ReviewRefused(ValueError):
    """The record is not a break-glass access, does not exist, or was already reviewed."""


@dataclass(frozen=True)
class OversightScope:
    """What one IG lead may read: their organisation's staff's accesses, and accesses to the
    fields of the data their organisation provides (served, masked or refused)."""

    organisation: str
    provided_fields: tuple[str, ...]

    def condition(self, first: int) -> tuple[str, list[Any]]:
        """SQL over ``audit_record`` (placeholders from ``$first``) and its arguments."""
        organisation, fields = f"${first}", f"${first + 1}::text[]"
        sql = (
            f"(organisation = {organisation} OR served && {fields} "
            f"OR masked && {fields} OR denied && {fields})"
        )
        return sql, [self.organisation, list(self.provided_fields)]


@dataclass(frozen=True)
class SubjectAccess:
    """One consultation of a person's data, as subject access reports it.

    ``served`` and ``masked`` are the field coordinates the whole request returned, which for
    a household query may include fields of other members. ``categories`` are the sensitive
    categories of those fields when a coordinate→category map is given.
    """

    seq: int
    occurred_at: datetime
    organisation: str
    roles: tuple[str, ...]
    purpose: PurposeOfUse
    case_reference: str | None
    break_glass: bool
    served: tuple[str, ...]
    masked: tuple[str, ...]
    categories: tuple[str, ...] = ()
    staff_subject: str | None = None  # only with include_staff
    staff_name: str | None = None  # only with include_staff


@dataclass(frozen=True)
class BreakGlassReview:
    seq: int
    reviewed_at: datetime
    reviewer: str
    outcome: ReviewOutcome
    note: str | None


async def accesses_for_subject(
    log: AuditLog,
    mesh_id: str,
    include_staff: bool = False,
    *,
    categories: Mapping[str, str | None] | None = None,
    scope: OversightScope | None = None,
) -> list[SubjectAccess]:
    """Every recorded access to one person or household (within ``scope`` when given), oldest
    first. Staff identity is not even read from the store unless ``include_staff``."""
    staff = ", subject, staff_name" if include_staff else ""
    within, args = scope.condition(2) if scope else ("true", [])
    rows = await log.fetch(
        "SELECT seq, occurred_at, organisation, roles, purpose, case_reference, break_glass, "
        f"served, masked{staff} FROM audit_record WHERE subjects @> ARRAY[$1]::text[] "
        f"AND {within} ORDER BY seq",
        mesh_id,
        *args,
    )
    return [_subject_access(row, include_staff, categories or {}) for row in rows]


def _subject_access(
    row: asyncpg.Record, include_staff: bool, categories: Mapping[str, str | None]
) -> SubjectAccess:
    shown = (*row["served"], *row["masked"])
    found = {category for c in shown if (category := categories.get(c)) is not None}
    return SubjectAccess(
        seq=row["seq"],
        occurred_at=row["occurred_at"],
        organisation=row["organisation"],
        roles=tuple(row["roles"]),
        purpose=PurposeOfUse(row["purpose"]),
        case_reference=row["case_reference"],
        break_glass=row["break_glass"],
        served=tuple(row["served"]),
        masked=tuple(row["masked"]),
        categories=tuple(sorted(found)),
        staff_subject=row["subject"] if include_staff else None,
        staff_name=row["staff_name"] if include_staff else None,
    )


async def unreviewed_break_glass(
    log: AuditLog, limit: int = 100, *, scope: OversightScope | None = None
) -> list[AuditRecord]:
    """Break-glass accesses nobody has reviewed yet (within ``scope``), oldest first."""
    within, args = scope.condition(2) if scope else ("true", [])
    rows = await log.fetch(
        f"SELECT {RECORD_COLUMNS} FROM audit_record a WHERE break_glass AND {within} AND NOT "
        "EXISTS (SELECT 1 FROM break_glass_review r WHERE r.seq = a.seq) ORDER BY seq LIMIT $1",
        _bounded(limit),
        *args,
    )
    return [AuditRecord.from_row(row) for row in rows]


async def review_break_glass(
    log: AuditLog,
    seq: int,
    reviewer: str,
    outcome: ReviewOutcome,
    note: str | None = None,
    *,
    scope: OversightScope | None = None,
) -> BreakGlassReview:
    """Record an IG lead's review of one break-glass access (within ``scope``); each is
    reviewed once. A record outside the scope is refused as if it did not exist."""
    within, args = scope.condition(5) if scope else ("true", [])
    row = await log.fetchrow(
        "INSERT INTO break_glass_review (seq, reviewer, outcome, note) "
        f"SELECT seq, $2, $3, $4 FROM audit_record WHERE seq = $1 AND break_glass AND {within} "
        "ON CONFLICT (seq) DO NOTHING "
        "RETURNING seq, reviewed_at, reviewer, outcome, note",
        seq,
        reviewer,
        ReviewOutcome(outcome).value,
        note,
        *args,
    )
    if row is None:
        within, args = scope.condition(2) if scope else ("true", [])
        why = await log.fetchrow(
            "SELECT a.break_glass, r.seq IS NOT NULL AS reviewed FROM audit_record a "
            f"LEFT JOIN break_glass_review r ON r.seq = a.seq WHERE a.seq = $1 AND {within}",
            seq,
            *args,
        )
        if why is None:
            raise ReviewRefused(f"no audit record {seq}")
        if not why["break_glass"]:
            raise ReviewRefused(f"audit record {seq} is not a break-glass access")
        raise ReviewRefused(f"audit record {seq} was already reviewed")
    return BreakGlassReview(
        seq=row["seq"],
        reviewed_at=row["reviewed_at"],
        reviewer=row["reviewer"],
        outcome=ReviewOutcome(row["outcome"]),
        note=row["note"],
    )


async def search(
    log: AuditLog,
    organisation: str | None = None,
    purpose: PurposeOfUse | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    subject: str | None = None,
    limit: int = 100,
    *,
    data_subject: str | None = None,
    scope: OversightScope | None = None,
) -> list[AuditRecord]:
    """Audit records, newest first. ``since`` is inclusive and ``until`` exclusive;
    ``subject`` is the member of staff's token subject (the ``subject`` column) and
    ``data_subject`` a mesh person or household id."""
    conditions: list[str] = []
    args: list[Any] = []

    def where(condition: str, value: Any) -> None:
        args.append(value)
        conditions.append(condition.replace("?", f"${len(args)}"))

    if organisation is not None:
        where("organisation = ?", organisation)
    if purpose is not None:
        where("purpose = ?", PurposeOfUse(purpose).value)
    if since is not None:
        where("occurred_at >= ?", since)
    if until is not None:
        where("occurred_at < ?", until)
    if subject is not None:
        where("subject = ?", subject)
    if data_subject is not None:
        where("subjects @> ARRAY[?]::text[]", data_subject)
    if scope is not None:
        within, scope_args = scope.condition(len(args) + 1)
        args.extend(scope_args)
        conditions.append(within)
    args.append(_bounded(limit))
    filters = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    rows = await log.fetch(
        f"SELECT {RECORD_COLUMNS} FROM audit_record {filters}ORDER BY seq DESC LIMIT ${len(args)}",
        *args,
    )
    return [AuditRecord.from_row(row) for row in rows]


def _bounded(limit: int) -> int:
    if not 1 <= limit <= SEARCH_LIMIT_MAX:
        raise ValueError(f"limit must be between 1 and {SEARCH_LIMIT_MAX}")
    return limit
