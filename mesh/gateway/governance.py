"""The sharing rules as the gateway applies them to one request.

Flow: the caller (verified token + purpose) → decisions for every coordinate the operation
touches → denied fields pruned before planning → subgraphs receive a signed context →
response shaped through the field guard (deny/mask/row rules) → one audit record, written
before anything is returned (fail closed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from graphql import FieldNode, NameNode

from authz.context_token import CONTEXT_HEADER
from authz.model import AccessRequest, Decision, Effect, FieldFacts, MaskRule, PurposeOfUse
from mesh.enforce.guard import OPT_OUT_ALIAS

NATIONAL_DATA_OPT_OUT = "national_data_opt_out"
OPT_OUT_FIELDS = frozenset({("Person", "health"), ("Person", "adultSocialCare")})
# The index's (inaccessible) field with each person's opt-out as health published it.
OPT_OUT_STATUS_FIELD = "nationalDataOptOut"
_MESH_ID = re.compile(r"^m[ph]_[0-9a-f]{20}$")


class Rules(Protocol):
    def decide(self, request: AccessRequest, facts: FieldFacts) -> Decision: ...
    def row_rules(self, request: AccessRequest) -> list[Any]: ...


class CallerError(Exception):
    """The request cannot proceed as asked (no purpose, unknown purpose, no justification)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class Caller:
    """A verified principal and what the request headers say about purpose."""

    principal: Any
    purpose: str | None
    case_reference: str | None = None
    justification: str | None = None

    def access_request(self) -> AccessRequest:
        if not self.purpose:
            raise CallerError(
                "PURPOSE_REQUIRED",
                "say why you are viewing this data: set X-Purpose-Of-Use to one of "
                + ", ".join(p.value for p in PurposeOfUse),
            )
        try:
            purpose = PurposeOfUse(self.purpose.strip().upper())
        except ValueError:
            raise CallerError(
                "UNKNOWN_PURPOSE",
                f"unknown purpose of use {self.purpose!r}; use one of "
                + ", ".join(p.value for p in PurposeOfUse),
            ) from None
        if purpose is PurposeOfUse.EMERGENCY and not (self.justification or "").strip():
            raise CallerError(
                "JUSTIFICATION_REQUIRED",
                "EMERGENCY (break-glass) access needs a justification in X-Justification",
            )
        return AccessRequest(self.principal, purpose, self.case_reference, self.justification)


def opt_out_selection() -> dict[tuple[str, str], list[FieldNode]]:
    """The person's opt-out status, fetched from the index (which holds what health published
    at linkage) next to health or social-care sections under PLANNING. The alias is in the
    reserved namespace no client may write (see ``mesh.gateway.limits.reserved_aliases``)."""
    flag = FieldNode(alias=NameNode(value=OPT_OUT_ALIAS), name=NameNode(value=OPT_OUT_STATUS_FIELD))
    return {coordinate: [flag] for coordinate in OPT_OUT_FIELDS}


def subjects_in(data: Any, variables: Mapping[str, Any] | None) -> list[str]:
    """Every mesh id in the answer or the request's variables: whose data this was."""
    found: dict[str, None] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and _MESH_ID.match(value):
            found[value] = None

    walk(data)
    walk(dict(variables or {}))
    return list(found)


@dataclass
class Governance:
    """Everything the gateway needs to enforce and record the sharing rules."""

    rules: Rules
    facts: dict[tuple[str, str], FieldFacts]
    audit: Any  # authz.audit.AuditLog (queries)
    signer: Any  # authz.context_token.ContextSigner
    apply_mask: Callable[[MaskRule, object], object]
    writer: Any = None  # authz.audit_writer.AuditWriter (group commit); made from audit if None

    def __post_init__(self) -> None:
        if self.writer is None:
            from authz.audit_writer import AuditWriter

            self.writer = AuditWriter(self.audit)

    def decide_all(
        self, access: AccessRequest, coordinates: set[tuple[str, str]]
    ) -> dict[tuple[str, str], Decision]:
        decisions = {}
        for coordinate in coordinates:
            facts = self.facts.get(coordinate)
            if facts is not None and facts.category is not None:
                decisions[coordinate] = self.rules.decide(access, facts)
        return decisions

    def opt_out_applies(self, access: AccessRequest) -> bool:
        return any(
            getattr(rule, "kind", "") == NATIONAL_DATA_OPT_OUT
            for rule in self.rules.row_rules(access)
        )

    def unenforceable_row_rules(
        self, access: AccessRequest, coordinates: set[tuple[str, str]]
    ) -> dict[tuple[str, str], Decision]:
        """Row rules of a kind this gateway cannot apply record by record: fail closed by
        withholding those agencies' sections altogether."""
        withheld: dict[tuple[str, str], Decision] = {}
        for rule in self.rules.row_rules(access):
            if rule.kind == NATIONAL_DATA_OPT_OUT:
                continue
            for coordinate in coordinates:
                facts = self.facts.get(coordinate)
                if (
                    facts is not None
                    and coordinate[0] in ("Person", "Household")
                    and facts.agencies
                    and set(facts.agencies) <= set(rule.agencies)
                ):
                    withheld[coordinate] = Decision(
                        Effect.DENY,
                        facts.coordinate,
                        f"row rule {rule.kind!r} ({rule.source}) cannot be applied per record "
                        "here, so the section is withheld",
                    )
        return withheld

    def context_header(
        self, access: AccessRequest, request_id: str, decisions: dict[Any, Decision]
    ) -> dict[str, str]:
        agreements = sorted(
            {
                f"{d.agreement_id}@{d.agreement_version}"
                for d in decisions.values()
                if d.effect is not Effect.DENY and d.agreement_id
            }
        )
        break_glass = any("break_glass" in d.flags for d in decisions.values())
        token = self.signer.sign(access, request_id, agreements, break_glass)
        return {CONTEXT_HEADER: token, "x-request-id": request_id}
