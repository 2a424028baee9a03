"""Oversight of the audit log, for information-governance leads and subject access.

Only callers with an IG role see these fields; everyone else gets FORBIDDEN_BY_POLICY (the
fields themselves are ``@sensitive`` audit and staff data, decided by the agreements like any
other). Each IG lead reads within their organisation's scope: what its staff looked at, and
every access to data it provides. A subject access report gives dates, organisations, roles
and purposes — not staff names, unless an IG lead asks for them (CJEU C-579/21).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from authz import oversight
from subgraphs.centre.context import CentreContext
from subgraphs.kit.directives import SensitiveCategory as C
from subgraphs.kit.directives import sensitive

IG_ROLES = frozenset({"ig_lead", "dpo", "caldicott_guardian"})


def _require_ig(info: Info[CentreContext, Any]) -> tuple[Any, oversight.OversightScope]:
    """The audit log and the caller's scope in it; refused without an IG role."""
    context = info.context.mesh_context
    roles = set(context.request.principal.roles) if context else set()
    if context is None or not roles & IG_ROLES:
        raise GraphQLError(
            "only information-governance leads may read the audit log",
            extensions={"code": "FORBIDDEN_BY_POLICY", "reason": "needs an IG role"},
        )
    scope_for = info.context.oversight_scope
    if info.context.audit is None or scope_for is None:
        raise GraphQLError(
            "the audit log is not configured", extensions={"code": "AUDIT_UNAVAILABLE"}
        )
    return info.context.audit, scope_for(context.request.principal.organisation)


@strawberry.type(description="One consultation of a person's data.")
class AccessEvent:
    record: int = sensitive(C.AUDIT)
    occurred_at: datetime = sensitive(C.AUDIT)
    organisation: str = sensitive(C.AUDIT)
    roles: list[str] = sensitive(C.AUDIT)
    purpose: str = sensitive(C.AUDIT)
    case_reference: str | None = sensitive(C.AUDIT)
    break_glass: bool = sensitive(C.AUDIT)
    fields_served: list[str] = sensitive(C.AUDIT)
    fields_masked: list[str] = sensitive(C.AUDIT)
    staff: str | None = sensitive(C.STAFF, description="Only when includeStaff is true.")


@strawberry.type(description="An audit record, for IG oversight.")
class AuditEvent:
    record: int = sensitive(C.AUDIT)
    occurred_at: datetime = sensitive(C.AUDIT)
    subject: str = sensitive(C.STAFF, description="The member of staff's token subject.")
    organisation: str = sensitive(C.AUDIT)
    roles: list[str] = sensitive(C.AUDIT)
    purpose: str = sensitive(C.AUDIT)
    case_reference: str | None = sensitive(C.AUDIT)
    justification: str | None = sensitive(C.STAFF)
    break_glass: bool = sensitive(C.AUDIT)
    people: list[str] = sensitive(C.AUDIT)
    fields_served: list[str] = sensitive(C.AUDIT)
    fields_denied: list[str] = sensitive(C.AUDIT)
    agreements: list[str] = sensitive(C.AUDIT)


def _event(record: Any) -> AuditEvent:
    e = record.entry
    return AuditEvent(
        record=record.seq,
        occurred_at=e.occurred_at,
        subject=e.subject,
        organisation=e.organisation,
        roles=list(e.roles),
        purpose=e.purpose.value,
        case_reference=e.case_reference,
        justification=e.justification,
        break_glass=e.break_glass,
        people=list(e.subjects),
        fields_served=list(e.served),
        fields_denied=list(e.denied),
        agreements=list(e.agreements),
    )


async def access_log(
    info: Info[CentreContext, Any], person_id: strawberry.ID, include_staff: bool = False
) -> list[AccessEvent]:
    """Who consulted this person's data (subject access, UK GDPR Art 15)."""
    log, scope = _require_ig(info)
    found = await oversight.accesses_for_subject(
        log, str(person_id), include_staff=include_staff, scope=scope
    )
    return [
        AccessEvent(
            record=a.seq,
            occurred_at=a.occurred_at,
            organisation=a.organisation,
            roles=list(a.roles),
            purpose=a.purpose.value,
            case_reference=a.case_reference,
            break_glass=a.break_glass,
            fields_served=list(a.served),
            fields_masked=list(a.masked),
            staff=(a.staff_name or a.staff_subject) if include_staff else None,
        )
        for a in found
    ]


async def break_glass_to_review(info: Info[CentreContext, Any]) -> list[AuditEvent]:
    """Emergency accesses no IG lead has reviewed yet."""
    log, scope = _require_ig(info)
    return [_event(r) for r in await oversight.unreviewed_break_glass(log, scope=scope)]


async def audit_search(
    info: Info[CentreContext, Any],
    organisation: str | None = None,
    purpose: str | None = None,
    person_id: strawberry.ID | None = None,
    since: datetime | None = None,
    limit: int = 100,
) -> list[AuditEvent]:
    """Audit records by organisation, purpose, person and time (newest first)."""
    log, scope = _require_ig(info)
    from authz.model import PurposeOfUse

    try:
        wanted = PurposeOfUse(purpose) if purpose else None
    except ValueError:
        raise GraphQLError(
            f"unknown purpose {purpose!r}", extensions={"code": "BAD_USER_INPUT"}
        ) from None
    records = await oversight.search(
        log,
        organisation=organisation,
        purpose=wanted,
        since=since,
        limit=max(1, min(limit, 1000)),
        data_subject=str(person_id) if person_id else None,
        scope=scope,
    )
    return [_event(r) for r in records]


async def review_break_glass(
    info: Info[CentreContext, Any], record: int, outcome: str, note: str | None = None
) -> AuditEvent:
    """Record an IG lead's review of an emergency access."""
    log, scope = _require_ig(info)
    context = info.context.mesh_context
    assert context is not None
    try:
        await oversight.review_break_glass(
            log,
            record,
            context.request.principal.subject,
            oversight.ReviewOutcome(outcome),
            note,
            scope=scope,
        )
    except (ValueError, oversight.ReviewRefused) as error:
        raise GraphQLError(str(error), extensions={"code": "BAD_USER_INPUT"}) from None
    found = await log.record(record)
    return _event(found)
