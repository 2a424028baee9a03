"""The sharing rules plugged into the engine's pipeline (its one policy hook).

Flow: the caller (verified token + purpose headers) → one decision for the whole operation
(authz) → denied fields pruned before planning, the opt-out status added as an internal
selection → subgraphs receive a signed context → the answer shaped through the field guard
(deny / mask / row rules) → one audit record, written before anything is returned (fail
closed). Domain errors become pipeline errors here, in one place.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import orjson
from cachetools import LRUCache, TTLCache
from graphql import DocumentNode, FieldNode, GraphQLSchema, NameNode

from authz.access import Caller, CallerError
from authz.audit import AuditEntry, AuditLog, AuditReceipt, AuditUnavailable, FieldsShown
from authz.audit_writer import AuditWriter
from authz.context_batch import ContextBatch
from authz.context_token import ContextSigner, RequestContext
from authz.decision import OperationDecision, decide_operation
from authz.identity import AuthenticationError, TokenVerifier
from authz.model import AccessRequest, Effect, FieldFacts, MaskRule
from authz.policy import SharingRules
from mesh.enforce import FieldGuard, operation_coordinates, prune_denied
from mesh.enforce.internal import OPT_OUT_ALIAS
from mesh.enforce.subjects import subject_fields, subject_selections
from mesh.federation.errors import NotExecuted, ServiceUnavailable, Unauthenticated
from mesh.federation.execute.shape import FieldReader
from mesh.federation.pipeline import PreparedOperation, may_be_schema_only
from mesh.gateway.reads import reads_of
from mesh.gateway.telemetry import GatewayTelemetry

Coordinates = frozenset[tuple[str, str]]
DecisionKey = tuple[int, AccessRequest, Coordinates]
DECISION_TTL_SECONDS = 60

# The index's (inaccessible) field with each person's opt-out as health published it.
OPT_OUT_STATUS_FIELD = "nationalDataOptOut"
# An unauthenticated request may only read the public schema: a data query is refused after a
# few tokens, and an introspection query's parse is kept small, so a stranger's request costs
# about what a 401 costs. (GraphiQL's introspection query is about 1.5 KB and 200 tokens.)
ANONYMOUS_TOKEN_BUDGET = 1_000
ANONYMOUS_MAX_BYTES = 8_192


class Anonymous:
    """No bearer token was sent."""


ANONYMOUS = Anonymous()


def _opt_out_selection(sections: frozenset[tuple[str, str]]) -> dict[Any, list[FieldNode]]:
    """The person's opt-out status, fetched from the index next to the sections it governs,
    under an alias in the reserved namespace no client may write."""
    flag = FieldNode(alias=NameNode(value=OPT_OUT_ALIAS), name=NameNode(value=OPT_OUT_STATUS_FIELD))
    return {coordinate: [flag] for coordinate in sections}


@dataclass
class Governance:
    """Everything the gateway needs to enforce and record the sharing rules."""

    rules: SharingRules
    facts: dict[tuple[str, str], FieldFacts]
    audit: AuditLog
    signer: ContextSigner
    apply_mask: Callable[[MaskRule, object], object]
    # field -> coordinates it reads on the caller's behalf (mesh.gateway.reads)
    implied: Mapping[tuple[str, str], frozenset[tuple[str, str]]] = field(default_factory=dict)
    writer: AuditWriter = field(init=False)

    def __post_init__(self) -> None:
        self.writer = AuditWriter(self.audit)

    async def close(self) -> None:
        await self.writer.close()
        await self.audit.close()


class GovernancePolicy:
    """The pipeline's policy under the sharing rules."""

    public_introspection = True
    single_valued_headers: tuple[str, ...] = (
        "authorization",
        "x-purpose-of-use",
        "x-case-reference",
        "x-justification",
    )

    def __init__(
        self,
        governance: Governance,
        schema: GraphQLSchema,
        verifier: TokenVerifier | None,
        telemetry: GatewayTelemetry | None = None,
    ) -> None:
        self.governance = governance
        self.schema = schema
        self.verifier = verifier
        self.telemetry = telemetry
        self._coordinates: LRUCache[str, frozenset[tuple[str, str]]] = LRUCache(1024)
        # Decisions per (rules, caller, operation): a caller repeats the same few operations.
        # Kept a minute, so a day's change in the rules (an overdue review) is seen promptly.
        self._decisions: TTLCache[DecisionKey, tuple[Coordinates, OperationDecision]] = TTLCache(
            maxsize=4096, ttl=DECISION_TTL_SECONDS
        )
        self.subject_selections = subject_selections(schema)
        self.subject_fields = subject_fields(schema)

    def authenticate(self, headers: Mapping[str, str]) -> object:
        authorization = headers.get("authorization")
        if authorization is None or self.verifier is None:
            return ANONYMOUS
        try:
            principal = self.verifier.verify(authorization)
        except AuthenticationError as error:
            raise Unauthenticated(str(error), code=error.code) from None
        return Caller(
            principal=principal,
            purpose=headers.get("x-purpose-of-use"),
            case_reference=headers.get("x-case-reference"),
            justification=headers.get("x-justification"),
        )

    def admit_text(self, identity: object, query: str) -> None:
        if isinstance(identity, Anonymous) and (
            len(query) > ANONYMOUS_MAX_BYTES or not may_be_schema_only(query)
        ):
            raise Unauthenticated("a bearer token is required")

    def token_budget(self, identity: object) -> int | None:
        return ANONYMOUS_TOKEN_BUDGET if isinstance(identity, Anonymous) else None

    def admit(self, identity: object, document: DocumentNode, schema_only: bool) -> None:
        if not schema_only and not isinstance(identity, Caller):
            raise Unauthenticated("a bearer token is required")

    def authorize(self, identity: object, operation: PreparedOperation) -> GovernedRequest:
        if not isinstance(identity, Caller):
            raise Unauthenticated("a bearer token is required")
        try:
            access = identity.access_request()
        except CallerError as error:
            raise NotExecuted(str(error), code=error.code) from None
        coordinates = self._coordinates.get(operation.query)
        if coordinates is None:
            coordinates = frozenset(operation_coordinates(self.schema, operation.document))
            self._coordinates[operation.query] = coordinates
        implied, decision = self._decided(access, coordinates)
        if self.telemetry is not None:
            self.telemetry.governance.decided(decision.fields.values())
        request_id = operation.request_id or str(uuid.uuid4())
        return GovernedRequest(self, operation, decision, request_id, implied)

    def _decided(
        self, access: AccessRequest, coordinates: Coordinates
    ) -> tuple[Coordinates, OperationDecision]:
        rules = self.governance.rules
        key = (id(rules), access, coordinates)
        known = self._decisions.get(key)
        if known is None:
            implied = reads_of(self.governance.implied, coordinates)
            decision = decide_operation(rules, access, coordinates | implied, self.governance.facts)
            known = self._decisions[key] = (implied, decision)
        return known


class GovernedRequest:
    """One request's decision, applied: what to plan, the signed context, the guard, the
    audit record."""

    def __init__(
        self,
        policy: GovernancePolicy,
        operation: PreparedOperation,
        decision: OperationDecision,
        request_id: str,
        implied: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        governance = policy.governance
        self.policy = policy
        self.operation = operation
        self.decision = decision
        self.request_id = request_id  # ours, unique: the audit record's key
        # The reads on the caller's behalf the rules allowed (denied ones are never made).
        self.reads = frozenset(
            f"{t}.{f}"
            for t, f in implied
            if (d := decision.fields.get((t, f))) is not None and d.effect is Effect.ALLOW
        )
        self.guard = FieldGuard(
            dict(decision.fields),
            governance.apply_mask,
            decision.opt_out_sections,
            policy.subject_fields,
        )

    @cached_property
    def document(self) -> DocumentNode:
        """Only computed when the plan is not cached yet."""
        extra = _opt_out_selection(self.decision.opt_out_sections) or None
        return prune_denied(
            self.policy.schema,
            self.operation.document,
            set(self.decision.denied),
            extra,
            self.policy.subject_selections,
        )

    @property
    def plan_key(self) -> Hashable:
        return (self.decision.denied, self.decision.opt_out_sections)

    @cached_property
    def context(self) -> RequestContext:
        """The decision as each agency is told it (signed afresh for every request to one)."""
        decision, rules = self.decision, self.policy.governance.rules
        return RequestContext(
            decision.access,
            self.request_id,
            decision.agreements,
            decision.break_glass,
            rules.visible_agencies(decision.access),
            self.reads,
            tuple((rule.kind, tuple(rule.agencies)) for rule in rules.row_rules(decision.access)),
        )

    @cached_property
    def _contexts(self) -> ContextBatch:
        signer = self.policy.governance.signer
        return ContextBatch(signer, self.context, self.context.claims())

    async def fetch_headers(self, subgraph: str, body: bytes) -> Mapping[str, str]:
        """A context for this one subgraph request: its audience, its body, used once (the
        requests of one plan level share a signature: authz/context_batch.py)."""
        return {**await self._contexts.headers(subgraph, body), "x-request-id": self.request_id}

    @property
    def field_reader(self) -> FieldReader:
        return self.guard.read

    async def finish(self, body: dict[str, Any]) -> dict[str, Any]:
        decision, guard = self.decision, self.guard
        entry = AuditEntry.for_decision(
            decision,
            subjects=guard.subjects,
            response=orjson.dumps(body),
            request_id=self.request_id,
            # what the answer held, and what was read on the caller's behalf to make it
            shown=FieldsShown(guard.served | self.reads, guard.masked, guard.denied),
        )
        if self.policy.telemetry is not None:
            self.policy.telemetry.governance.withheld(guard.withheld_by_row_rule)
        try:
            receipt = await self._append(entry)
        except AuditUnavailable as error:
            raise ServiceUnavailable(
                f"no data is served while the audit log is down: {error}",
                code="AUDIT_UNAVAILABLE",
            ) from None
        body["extensions"] = {
            "governance": {
                "requestId": self.request_id,
                "purpose": decision.access.purpose.value,
                "auditRecord": receipt.seq,
                "agreements": list(entry.agreements),
                "masked": sorted(guard.masked),
                "denied": sorted(guard.denied),
                "breakGlass": entry.break_glass,
                "withheldByRowRules": guard.withheld_by_row_rule,
            }
        }
        return body

    async def _append(self, entry: AuditEntry) -> AuditReceipt:
        writer = self.policy.governance.writer
        telemetry = self.policy.telemetry
        if telemetry is None:
            return await writer.append(entry)
        with telemetry.engine.span("audit.append"), telemetry.governance.audit_append():
            return await writer.append(entry)
