"""The audit log, after X-Road: one hash-chained, append-only record per exchange.

The gateway appends an :class:`AuditEntry` before any personal data leaves it; when the log
cannot take the record, :class:`AuditUnavailable` is raised and the gateway fails closed. The
database serialises appends (``append_audit`` in ``migrations/001_audit.sql``) and refuses
UPDATE, DELETE and TRUNCATE; :meth:`AuditLog.verify` recomputes the chain
(:mod:`authz.audit_chain`) to show nobody got round that.

Gateway replicas share the chain through the database alone: ``append_audit()`` takes a
transaction-scoped advisory lock, reads the head and inserts head + 1 chained to the head's
hash, and ``seq`` and ``prev_hash`` are both unique, so two replicas can never extend one
head (no fork) and a rolled-back append burns no number (no gap). Nothing is coordinated
between the processes themselves (tests/test_gateway_replicas.py runs three under load).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import uuid
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import asyncpg
import orjson
from asyncpg.pool import PoolConnectionProxy

from authz.audit_chain import (
    GENESIS_HASH,
    ChainBreak,
    ChainValue,
    VerifyReport,
    canonical_json,
    canonical_split,
    record_hash,
    utc_iso,
)
from authz.decision import OperationDecision, agreement_refs, is_break_glass
from authz.model import AccessRequest, Decision, Effect, PurposeOfUse

__all__ = [
    "AuditEntry",
    "AuditLog",
    "AuditReceipt",
    "AuditRecord",
    "AuditUnavailable",
]

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_DB_ERRORS = (
    OSError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    asyncio.TimeoutError,
)
# Failures of the connection rather than of the statement (a terminated backend, a dropped
# socket, a protocol left mid-operation by either).
_CONNECTION_LOST = (
    OSError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
)
# The audit_record columns AuditRecord.from_row reads, in table order.
RECORD_COLUMNS = (
    "seq, request_id, occurred_at, subject, staff_name, organisation, roles, purpose, "
    "case_reference, justification, break_glass, subjects, served, masked, denied, "
    "agreements, response_sha256, prev_hash, record_hash"
)
_APPEND_BATCH = "SELECT appended_seq, appended_hash FROM append_audit_batch($1::jsonb)"


class AuditUnavailable(RuntimeError):
    """The audit log could not take (or give back) a record: serve no personal data.

    ``connection_lost``: the connection itself failed (the server dropped it, or it is in a
    state it cannot leave), so the same request on a fresh connection may succeed."""

    def __init__(self, message: str, *, connection_lost: bool = False) -> None:
        super().__init__(message)
        self.connection_lost = connection_lost


class FieldOutcome(Protocol):
    """What the answer held, field by field (the gateway's field guard keeps this)."""

    @property
    def served(self) -> Set[str]: ...  # answered in the clear, whatever their classification

    @property
    def masked(self) -> Set[str]: ...  # answered masked

    @property
    def denied(self) -> Set[str]: ...  # withheld (by a decision or a row rule)


@dataclass(frozen=True)
class FieldsShown:
    served: Set[str]
    masked: Set[str]
    denied: Set[str]


@dataclass(frozen=True)
class AuditEntry:
    """What one exchange did: who, why, about whom, which fields, and a digest of the answer.

    ``request_id`` is normalised to the lower-case hyphenated UUID form and ``occurred_at``
    to UTC, so the canonical form the chain hashes is the one the database gives back.
    """

    request_id: str
    occurred_at: datetime
    subject: str
    staff_name: str | None
    organisation: str
    roles: tuple[str, ...]
    purpose: PurposeOfUse
    case_reference: str | None
    justification: str | None
    break_glass: bool
    subjects: tuple[str, ...]
    served: tuple[str, ...]
    masked: tuple[str, ...]
    denied: tuple[str, ...]
    agreements: tuple[str, ...]
    response_sha256: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "request_id", str(uuid.UUID(self.request_id)))
        if self.occurred_at.tzinfo is None:
            raise ValueError("occurred_at must carry a time zone")
        object.__setattr__(self, "occurred_at", self.occurred_at.astimezone(UTC))
        object.__setattr__(self, "purpose", PurposeOfUse(self.purpose))
        if not _SHA256_HEX.fullmatch(self.response_sha256):
            raise ValueError("response_sha256 must be 64 lower-case hex digits")
        for name in ("roles", "subjects", "served", "masked", "denied", "agreements"):
            values = getattr(self, name)
            if isinstance(values, str) or not all(isinstance(v, str) for v in values):
                raise ValueError(f"{name} must be a sequence of strings")
            object.__setattr__(self, name, tuple(values))

    @classmethod
    def for_request(
        cls,
        request: AccessRequest,
        *,
        subjects: Iterable[str],
        decisions: Iterable[Decision],
        response: bytes,
        request_id: str | None = None,
        occurred_at: datetime | None = None,
        shown: FieldOutcome | None = None,
    ) -> AuditEntry:
        """The entry for one answered request: the agreements that allowed its fields,
        break-glass when the purpose is EMERGENCY or a decision says so, and the fields
        served, masked and denied — as ``shown`` says they were (what the answer really
        held), else as the decisions split them by effect."""
        decisions = list(decisions)
        served: list[str] = []
        masked: list[str] = []
        denied: list[str] = []
        by_effect = {Effect.ALLOW: served, Effect.MASK: masked, Effect.DENY: denied}
        for decision in decisions:
            by_effect[decision.effect].append(decision.coordinate)
        if shown is not None:
            served, masked = sorted(shown.served), sorted(shown.masked)
            denied = sorted({*denied, *shown.denied})
        return cls._made(
            request,
            subjects=subjects,
            response=response,
            request_id=request_id,
            occurred_at=occurred_at,
            served=served,
            masked=masked,
            denied=denied,
            agreements=agreement_refs(decisions),
            break_glass=is_break_glass(request, decisions),
        )

    @classmethod
    def for_decision(
        cls,
        decision: OperationDecision,
        *,
        subjects: Iterable[str],
        response: bytes,
        request_id: str,
        shown: FieldOutcome,
    ) -> AuditEntry:
        """As :meth:`for_request` with ``decision.fields`` as the decisions, from what the
        decision worked out once (it is reused by every request of the same operation)."""
        return cls._made(
            decision.access,
            subjects=subjects,
            response=response,
            request_id=request_id,
            occurred_at=None,
            served=sorted(shown.served),
            masked=sorted(shown.masked),
            denied=sorted({*decision.denied_coordinates, *shown.denied}),
            agreements=decision.agreements,
            break_glass=decision.break_glass,
        )

    @classmethod
    def _made(
        cls,
        request: AccessRequest,
        *,
        subjects: Iterable[str],
        response: bytes,
        request_id: str | None,
        occurred_at: datetime | None,
        served: Iterable[str],
        masked: Iterable[str],
        denied: Iterable[str],
        agreements: tuple[str, ...],
        break_glass: bool,
    ) -> AuditEntry:
        principal = request.principal
        return cls(
            request_id=request_id or str(uuid.uuid4()),
            occurred_at=occurred_at or datetime.now(UTC),
            subject=principal.subject,
            staff_name=principal.name,
            organisation=principal.organisation,
            roles=principal.roles,
            purpose=request.purpose,
            case_reference=request.case_reference,
            justification=request.justification,
            break_glass=break_glass,
            subjects=tuple(dict.fromkeys(subjects)),
            served=tuple(dict.fromkeys(served)),
            masked=tuple(dict.fromkeys(masked)),
            denied=tuple(dict.fromkeys(denied)),
            agreements=agreements,
            response_sha256=hashlib.sha256(response).hexdigest(),
        )

    def chain_fields(self) -> dict[str, ChainValue]:
        """The fields the hash covers (all of them), as JSON values."""
        return {
            "request_id": self.request_id,
            "occurred_at": utc_iso(self.occurred_at),
            "subject": self.subject,
            "staff_name": self.staff_name,
            "organisation": self.organisation,
            "roles": self.roles,
            "purpose": self.purpose.value,
            "case_reference": self.case_reference,
            "justification": self.justification,
            "break_glass": self.break_glass,
            "subjects": self.subjects,
            "served": self.served,
            "masked": self.masked,
            "denied": self.denied,
            "agreements": self.agreements,
            "response_sha256": self.response_sha256,
        }

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> AuditEntry:
        return cls(
            request_id=str(row["request_id"]),
            occurred_at=row["occurred_at"],
            subject=row["subject"],
            staff_name=row["staff_name"],
            organisation=row["organisation"],
            roles=tuple(row["roles"]),
            purpose=PurposeOfUse(row["purpose"]),
            case_reference=row["case_reference"],
            justification=row["justification"],
            break_glass=row["break_glass"],
            subjects=tuple(row["subjects"]),
            served=tuple(row["served"]),
            masked=tuple(row["masked"]),
            denied=tuple(row["denied"]),
            agreements=tuple(row["agreements"]),
            response_sha256=row["response_sha256"],
        )


@dataclass(frozen=True)
class AuditReceipt:
    """Where an entry landed in the chain."""

    seq: int
    record_hash: str


@dataclass(frozen=True)
class AuditRecord:
    """A stored entry with its place in the chain."""

    seq: int
    entry: AuditEntry
    prev_hash: str
    record_hash: str

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> AuditRecord:
        return cls(row["seq"], AuditEntry.from_row(row), row["prev_hash"], row["record_hash"])


class AuditLog:
    """The governance store's audit table, over an asyncpg pool.

    ``timeout`` bounds both waiting for a connection and each statement: an append that cannot
    finish in time raises :class:`AuditUnavailable` (it may still have committed; a record of
    an answer that was then withheld errs on the safe side).
    """

    def __init__(self, pool: asyncpg.Pool, *, timeout: float = 5.0) -> None:
        self._pool = pool
        self._timeout = timeout

    @classmethod
    async def open(
        cls,
        dsn: str,
        *,
        max_size: int = 10,
        timeout: float = 5.0,
        durable: bool = True,
    ) -> AuditLog:
        """A log with its own pool. ``durable`` makes every append wait for its WAL flush
        (``synchronous_commit=on``) whatever the server default, so a crash cannot lose a
        record for an answer that was already served."""
        settings = {"application_name": "civic-mesh-audit"}
        if durable:
            settings["synchronous_commit"] = "on"
        try:
            pool = await asyncpg.create_pool(
                dsn,
                min_size=1,
                max_size=max_size,
                timeout=timeout,
                command_timeout=timeout,
                server_settings=settings,
            )
        except _DB_ERRORS as exc:
            raise AuditUnavailable(f"audit log unreachable: {_reason(exc)}") from None
        return cls(pool, timeout=timeout)

    @property
    def pool(self) -> asyncpg.Pool:
        return self._pool

    async def close(self) -> None:
        await self._pool.close()

    async def ping(self, timeout: float = 2.0) -> bool:
        """Whether the store answers now (readiness: with the log down nothing is served)."""
        try:
            async with self._pool.acquire(timeout=timeout) as conn:
                return bool(await conn.fetchval("SELECT true", timeout=timeout))
        except _DB_ERRORS:
            return False

    async def append(self, entry: AuditEntry) -> AuditReceipt:
        """Add one record at the head of the chain, in one round trip; AuditUnavailable when
        it cannot be written."""
        (receipt,) = await self.append_many([entry])
        return receipt

    async def append_many(
        self, entries: Sequence[AuditEntry], conn: PoolConnectionProxy | None = None
    ) -> list[AuditReceipt]:
        """Append several records in one statement (``append_audit_batch``): one round trip
        and one WAL flush for all of them (group commit). All or none are written;
        AuditUnavailable when they cannot be. ``conn``: a connection the caller holds (the
        audit writer keeps one, saving the pool's acquire and reset per batch)."""
        if not entries:
            return []
        batch = orjson.dumps([_batch_item(entry) for entry in entries]).decode("utf-8")
        try:
            if conn is None:
                async with self._pool.acquire(timeout=self._timeout) as pooled:
                    rows = await pooled.fetch(_APPEND_BATCH, batch, timeout=self._timeout)
            else:
                rows = await conn.fetch(_APPEND_BATCH, batch, timeout=self._timeout)
        except _DB_ERRORS as exc:
            raise AuditUnavailable(
                f"audit record not written: {_reason(exc)}",
                connection_lost=isinstance(exc, _CONNECTION_LOST),
            ) from None
        if len(rows) != len(entries):  # pragma: no cover - one row per entry, by the function
            raise AuditUnavailable("audit record not written: receipts missing")
        return [AuditReceipt(row["appended_seq"], row["appended_hash"]) for row in rows]

    async def hold_connection(self) -> PoolConnectionProxy:
        """A connection for a long-lived writer, taken from the log's pool; give it back with
        :meth:`release_connection`. AuditUnavailable when none can be had."""
        try:
            conn: PoolConnectionProxy = await self._pool.acquire(timeout=self._timeout)
        except _DB_ERRORS as exc:
            raise AuditUnavailable(f"audit log unreachable: {_reason(exc)}") from None
        return conn

    async def release_connection(self, conn: PoolConnectionProxy) -> None:
        """Give a held connection back. A broken one may fail its reset (asyncpg then
        terminates it and frees its place in the pool): that is no error of the caller's."""
        with contextlib.suppress(Exception):
            await self._pool.release(conn, timeout=self._timeout)

    async def record(self, seq: int) -> AuditRecord | None:
        """One stored record by its place in the chain."""
        row = await self.fetchrow(f"SELECT {RECORD_COLUMNS} FROM audit_record WHERE seq = $1", seq)
        return None if row is None else AuditRecord.from_row(row)

    async def verify(self, *, batch_size: int = 1000) -> VerifyReport:
        """Recompute the chain from seq 1, streaming ``batch_size`` rows at a time, and report
        the first break: its seq and whether a record was edited, deleted or reordered."""
        try:
            async with (
                self._pool.acquire(timeout=self._timeout) as conn,
                conn.transaction(isolation="repeatable_read", readonly=True),
            ):
                return await _walk(conn, batch_size)
        except _DB_ERRORS as exc:
            raise AuditUnavailable(f"audit log not verified: {_reason(exc)}") from None

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        """One row of a governance-store query (for :mod:`authz.oversight`), with the log's
        timeout; AuditUnavailable when the store cannot answer."""
        try:
            async with self._pool.acquire(timeout=self._timeout) as conn:
                return await conn.fetchrow(sql, *args, timeout=self._timeout)
        except _DB_ERRORS as exc:
            raise AuditUnavailable(f"audit log unreadable: {_reason(exc)}") from None

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        """All rows of a governance-store query, as :meth:`fetchrow`."""
        try:
            async with self._pool.acquire(timeout=self._timeout) as conn:
                return list(await conn.fetch(sql, *args, timeout=self._timeout))
        except _DB_ERRORS as exc:
            raise AuditUnavailable(f"audit log unreadable: {_reason(exc)}") from None


def _batch_item(entry: AuditEntry) -> dict[str, Any]:
    """One record as ``append_audit_batch`` reads it (the chain's canonical pieces included)."""
    head, tail = canonical_split(entry.chain_fields())
    return {
        "request_id": entry.request_id,
        "occurred_at": entry.occurred_at.isoformat(),
        "subject": entry.subject,
        "staff_name": entry.staff_name,
        "organisation": entry.organisation,
        "roles": entry.roles,
        "purpose": entry.purpose.value,
        "case_reference": entry.case_reference,
        "justification": entry.justification,
        "break_glass": entry.break_glass,
        "subjects": entry.subjects,
        "served": entry.served,
        "masked": entry.masked,
        "denied": entry.denied,
        "agreements": entry.agreements,
        "response_sha256": entry.response_sha256,
        "canonical_head": head,
        "canonical_tail": tail,
    }


async def _walk(conn: PoolConnectionProxy, batch_size: int) -> VerifyReport:
    """The chain walk, inside one read-only snapshot; memory is bounded by ``batch_size``."""
    checked, head_seq, head_hash = 0, 0, GENESIS_HASH

    def broken(seq: int, kind: ChainBreak, detail: str) -> VerifyReport:
        return VerifyReport(checked, head_seq, head_hash, seq, kind, detail)

    relinked: tuple[int, str] | None = None
    async for row in conn.cursor(
        f"SELECT {RECORD_COLUMNS} FROM audit_record ORDER BY seq", prefetch=batch_size
    ):
        seq: int = row["seq"]
        if seq != head_seq + 1:
            missing = f"{head_seq + 1}" if seq == head_seq + 2 else f"{head_seq + 1}..{seq - 1}"
            return broken(head_seq + 1, ChainBreak.DELETED, f"seq {missing} missing")
        if row["prev_hash"] != head_hash:
            relinked = (seq, row["prev_hash"])
            break
        try:
            fields = AuditEntry.from_row(row).chain_fields()
        except (ValueError, TypeError) as exc:
            return broken(seq, ChainBreak.EDITED, f"content is not a valid record: {exc}")
        if record_hash(head_hash, canonical_json(fields, seq)) != row["record_hash"]:
            return broken(seq, ChainBreak.EDITED, "content does not match record_hash")
        checked, head_seq, head_hash = checked + 1, seq, row["record_hash"]
    if relinked is None:
        return VerifyReport(checked, head_seq, head_hash)
    seq, prev_hash = relinked
    elsewhere = await conn.fetchval(
        "SELECT seq FROM audit_record WHERE record_hash = $1", prev_hash
    )
    if elsewhere is not None:
        detail = f"chains from the record now at seq {elsewhere}, not seq {seq - 1}"
        return broken(seq, ChainBreak.REORDERED, detail)
    return broken(seq, ChainBreak.DELETED, "chains from a record that is no longer in the log")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return "timed out"
    return str(exc) or type(exc).__name__
