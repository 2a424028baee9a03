"""The audit log against the real server: the chain, its verifier, append-only, oversight.

The tests own a governance database of their own (``<prefix>audit_governance``) because they
tamper with it as a superuser would; every test starts from an empty log.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
import pytest_asyncio

from authz.audit import AuditEntry, AuditLog, AuditUnavailable
from authz.audit_chain import GENESIS_HASH, ChainBreak, canonical_json, record_hash
from authz.model import AccessRequest, Decision, Effect, Principal, PurposeOfUse
from authz.oversight import (
    ReviewOutcome,
    ReviewRefused,
    accesses_for_subject,
    review_break_glass,
    search,
    unreviewed_break_glass,
)
from store import ServerAddress
from store.catalog import store_named
from store.migrate import migrate_all
from store.server import connect

T0 = datetime(2025, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)


@pytest.fixture(scope="module")
def audit_address(pg_address: ServerAddress) -> ServerAddress:
    """A governance database for these tests alone (dropped with the other test databases)."""
    address = ServerAddress(pg_address.server_dsn, pg_address.prefix + "audit_")
    asyncio.run(migrate_all(address, (store_named("governance"),)))
    return address


async def superuser(address: ServerAddress, *statements: str) -> None:
    """Run statements with the append-only triggers off, as a DBA going round the gateway."""
    conn = await connect(address, "governance")
    try:
        async with conn.transaction():
            await conn.execute("ALTER TABLE audit_record DISABLE TRIGGER ALL")
            await conn.execute("ALTER TABLE break_glass_review DISABLE TRIGGER ALL")
            for statement in statements:
                await conn.execute(statement)
            await conn.execute("ALTER TABLE break_glass_review ENABLE TRIGGER ALL")
            await conn.execute("ALTER TABLE audit_record ENABLE TRIGGER ALL")
    finally:
        await conn.close()


@pytest_asyncio.fixture
async def log(audit_address: ServerAddress) -> AsyncIterator[AuditLog]:
    await superuser(audit_address, "TRUNCATE audit_record, break_glass_review")
    opened = await AuditLog.open(audit_address.dsn("governance"), max_size=10)
    yield opened
    await opened.close()


def entry(n: int = 0, **changes: object) -> AuditEntry:
    values: dict[str, object] = {
        "request_id": str(uuid.uuid4()),
        "occurred_at": T0 + timedelta(minutes=n),
        "subject": f"staff-{n % 3}",
        "staff_name": ["Siân O'Brien", "Raj Patel", "Jo Smith"][n % 3],
        "organisation": ["manchester-cc", "gmp", "mft"][n % 3],
        "roles": ("social_worker",),
        "purpose": PurposeOfUse.SAFEGUARDING,
        "case_reference": f"CASE-{n}",
        "justification": None,
        "break_glass": False,
        "subjects": (f"person:{n}", f"household:{n // 2}"),
        "served": ("Person.health.nhsNumber", "Person.police.incidents"),
        "masked": ("Person.dateOfBirth",),
        "denied": ("Person.welfare.benefits",),
        "agreements": ("gm-safeguarding@2",),
        "response_sha256": "ab" * 32,
    }
    values.update(changes)
    return AuditEntry(**values)  # type: ignore[arg-type]


async def fill(log: AuditLog, count: int) -> None:
    for n in range(count):
        await log.append(entry(n))


# --- the canonical form -------------------------------------------------------------------


def test_canonical_form_is_sorted_compact_ascii_json() -> None:
    fields = entry(1, justification='child "at risk" \u2013 Sin\u00e9ad').chain_fields()
    expected = json.dumps(
        {**fields, "seq": 42}, sort_keys=True, separators=(",", ":"), ensure_ascii=True
    )
    assert canonical_json(fields, 42) == expected
    assert '"occurred_at":"2025-03-01T09:31:00.123456Z"' in expected
    assert expected.isascii() and "\\u2013" in expected


def test_entry_normalises_its_id_and_time_and_refuses_naive_times() -> None:
    local = datetime(2025, 3, 1, 10, 0, tzinfo=UTC).astimezone()
    made = entry(request_id="6F9619FF-8B86-D011-B42D-00C04FC964FF", occurred_at=local)
    assert made.request_id == "6f9619ff-8b86-d011-b42d-00c04fc964ff"
    assert made.occurred_at.tzinfo is UTC
    with pytest.raises(ValueError):
        entry(occurred_at=datetime(2025, 3, 1, 10, 0))
    with pytest.raises(ValueError):
        entry(response_sha256="not-a-digest")


def test_entry_for_request_splits_decisions_by_effect() -> None:
    request = AccessRequest(
        Principal("sub-1", "nwas", ("paramedic",), name="A. Medic"),
        PurposeOfUse.EMERGENCY,
        case_reference="INC-9",
        justification="unconscious patient",
    )
    decisions = [
        Decision(Effect.ALLOW, "Person.health.allergies", "ok", "gm-care", "3"),
        Decision(Effect.MASK, "Person.dateOfBirth", "mask", "gm-care", "3"),
        Decision(Effect.DENY, "Person.police.incidents", "no agreement"),
    ]
    made = AuditEntry.for_request(
        request, subjects=["person:1", "person:1"], decisions=decisions, response=b"{}"
    )
    assert made.served == ("Person.health.allergies",)
    assert made.masked == ("Person.dateOfBirth",)
    assert made.denied == ("Person.police.incidents",)
    assert made.agreements == ("gm-care@3",)
    assert made.subjects == ("person:1",)
    assert made.break_glass and made.staff_name == "A. Medic"
    assert made.response_sha256.startswith("44136fa355b3678a")


# --- append and verify --------------------------------------------------------------------


async def test_empty_log_verifies(log: AuditLog) -> None:
    report = await log.verify()
    assert report.ok and report.checked == 0
    assert (report.head_seq, report.head_hash) == (0, GENESIS_HASH)


async def test_appended_records_chain_from_genesis_and_verify(log: AuditLog) -> None:
    receipts = [await log.append(entry(n)) for n in range(5)]
    assert [r.seq for r in receipts] == [1, 2, 3, 4, 5]

    first = await log.record(1)
    assert first is not None and first.prev_hash == GENESIS_HASH
    assert first.entry == entry(0, request_id=first.entry.request_id)
    # The database's hash is the documented formula, recomputed here.
    assert first.record_hash == record_hash(
        GENESIS_HASH, canonical_json(first.entry.chain_fields(), 1)
    )
    second = await log.record(2)
    assert second is not None and second.prev_hash == receipts[0].record_hash

    report = await log.verify(batch_size=2)
    assert report.ok, report
    assert (report.checked, report.head_seq, report.head_hash) == (5, 5, receipts[-1].record_hash)


async def test_concurrent_appends_leave_one_unbroken_chain(log: AuditLog) -> None:
    receipts = await asyncio.gather(*(log.append(entry(n)) for n in range(200)))
    assert sorted(r.seq for r in receipts) == list(range(1, 201))
    assert len({r.record_hash for r in receipts}) == 200
    report = await log.verify()
    assert report.ok, report
    assert report.checked == 200


async def test_a_duplicate_request_id_is_not_written(log: AuditLog) -> None:
    first = entry(1)
    await log.append(first)
    with pytest.raises(AuditUnavailable, match="audit record not written"):
        await log.append(first)
    # The failed append left no gap in the chain.
    assert (await log.append(entry(2))).seq == 2
    assert (await log.verify()).ok


# --- append-only, in the database ---------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_record SET purpose = 'PLANNING' WHERE seq = 1",
        "DELETE FROM audit_record WHERE seq = 1",
        "TRUNCATE audit_record CASCADE",
    ],
)
async def test_the_database_refuses_changes_to_audit_records(
    log: AuditLog, audit_address: ServerAddress, statement: str
) -> None:
    await fill(log, 2)
    conn = await connect(audit_address, "governance")
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await conn.execute(statement)
    finally:
        await conn.close()
    assert (await log.verify()).checked == 2


async def test_the_database_refuses_changes_to_reviews(
    log: AuditLog, audit_address: ServerAddress
) -> None:
    receipt = await log.append(entry(1, break_glass=True))
    await review_break_glass(log, receipt.seq, "ig-lead", ReviewOutcome.JUSTIFIED)
    conn = await connect(audit_address, "governance")
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await conn.execute("UPDATE break_glass_review SET outcome = 'not_justified'")
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await conn.execute("DELETE FROM break_glass_review")
    finally:
        await conn.close()


# --- tampering a superuser could do, and the verifier catching it -------------------------

_SWAP_4_AND_5 = (
    "UPDATE audit_record SET seq = seq + 1000000 WHERE seq IN (4, 5)",
    "UPDATE audit_record SET seq = CASE seq WHEN 1000004 THEN 5 ELSE 4 END WHERE seq > 1000000",
)


@pytest.mark.parametrize(
    ("statements", "seq", "kind"),
    [
        (["UPDATE audit_record SET purpose = 'PLANNING' WHERE seq = 4"], 4, ChainBreak.EDITED),
        (["UPDATE audit_record SET purpose = 'GOSSIP' WHERE seq = 4"], 4, ChainBreak.EDITED),
        (["UPDATE audit_record SET staff_name = NULL WHERE seq = 6"], 6, ChainBreak.EDITED),
        (["UPDATE audit_record SET served = '{}' WHERE seq = 1"], 1, ChainBreak.EDITED),
        (["DELETE FROM audit_record WHERE seq = 4"], 4, ChainBreak.DELETED),
        (["DELETE FROM audit_record WHERE seq IN (1, 2)"], 1, ChainBreak.DELETED),
        (
            [
                "DELETE FROM audit_record WHERE seq = 4",
                "UPDATE audit_record SET seq = seq - 1 WHERE seq > 4",
            ],
            4,
            ChainBreak.DELETED,
        ),
        (list(_SWAP_4_AND_5), 4, ChainBreak.REORDERED),
    ],
    ids=[
        "edited",
        "edited-invalid",
        "edited-null",
        "edited-first",
        "deleted",
        "deleted-first",
        "deleted-renumbered",
        "reordered",
    ],
)
async def test_verify_finds_the_first_tampered_record(
    log: AuditLog,
    audit_address: ServerAddress,
    statements: list[str],
    seq: int,
    kind: ChainBreak,
) -> None:
    await fill(log, 8)
    await superuser(audit_address, *statements)
    report = await log.verify(batch_size=3)
    assert not report.ok
    assert (report.broken_seq, report.kind) == (seq, kind), report
    assert report.checked == seq - 1
    assert report.head_seq == seq - 1


# --- failing closed -----------------------------------------------------------------------

UNREACHABLE = "postgresql://mesh@127.0.0.1:9/governance"


async def test_opening_an_unreachable_log_raises_audit_unavailable() -> None:
    with pytest.raises(AuditUnavailable, match="unreachable"):
        await AuditLog.open(UNREACHABLE, timeout=2)


async def test_appending_to_an_unreachable_log_raises_audit_unavailable() -> None:
    pool = await asyncpg.create_pool(UNREACHABLE, min_size=0, max_size=1, timeout=2)
    log = AuditLog(pool, timeout=2)
    try:
        with pytest.raises(AuditUnavailable, match="audit record not written"):
            await log.append(entry(1))
        with pytest.raises(AuditUnavailable):
            await log.verify()
        with pytest.raises(AuditUnavailable):
            await search(log)
    finally:
        await log.close()


# --- oversight ----------------------------------------------------------------------------


async def test_subject_access_leaves_out_staff_unless_asked(log: AuditLog) -> None:
    await log.append(entry(0, subjects=("person:a", "household:h")))
    await log.append(entry(1, subjects=("person:b",)))
    await log.append(entry(2, subjects=("household:h",), purpose=PurposeOfUse.EARLY_HELP))

    categories = {"Person.health.nhsNumber": "health", "Person.dateOfBirth": "identity"}
    seen = await accesses_for_subject(log, "person:a", categories=categories)
    assert len(seen) == 1
    access = seen[0]
    assert access.organisation == "manchester-cc" and access.roles == ("social_worker",)
    assert access.purpose is PurposeOfUse.SAFEGUARDING and access.case_reference == "CASE-0"
    assert access.occurred_at == T0
    assert access.served == ("Person.health.nhsNumber", "Person.police.incidents")
    assert access.masked == ("Person.dateOfBirth",)
    assert access.categories == ("health", "identity")
    assert access.staff_name is None and access.staff_subject is None

    household = await accesses_for_subject(log, "household:h", include_staff=True)
    assert [a.seq for a in household] == [1, 3]
    assert [a.staff_name for a in household] == ["Siân O'Brien", "Jo Smith"]
    assert household[1].staff_subject == "staff-2"
    assert await accesses_for_subject(log, "person:nobody") == []


async def test_break_glass_is_listed_until_reviewed_once(log: AuditLog) -> None:
    await log.append(entry(0))
    first = await log.append(entry(1, break_glass=True, purpose=PurposeOfUse.EMERGENCY))
    second = await log.append(entry(2, break_glass=True, justification="collapsed at home"))

    pending = await unreviewed_break_glass(log)
    assert [r.seq for r in pending] == [first.seq, second.seq]
    assert pending[1].entry.justification == "collapsed at home"

    review = await review_break_glass(
        log, first.seq, "ig-lead@mft", ReviewOutcome.JUSTIFIED, "cardiac arrest"
    )
    assert (review.outcome, review.note) == (ReviewOutcome.JUSTIFIED, "cardiac arrest")
    assert review.seq == first.seq
    assert [r.seq for r in await unreviewed_break_glass(log)] == [second.seq]

    with pytest.raises(ReviewRefused, match="already reviewed"):
        await review_break_glass(log, first.seq, "ig-lead@mft", ReviewOutcome.NOT_JUSTIFIED)
    with pytest.raises(ReviewRefused, match="not a break-glass"):
        await review_break_glass(log, 1, "ig-lead@mft", ReviewOutcome.JUSTIFIED)
    with pytest.raises(ReviewRefused, match="no audit record"):
        await review_break_glass(log, 999, "ig-lead@mft", ReviewOutcome.JUSTIFIED)
    assert (await log.verify()).ok


async def test_search_filters_and_pages_newest_first(log: AuditLog) -> None:
    await fill(log, 9)
    every = await search(log)
    assert [r.seq for r in every] == list(range(9, 0, -1))

    gmp = await search(log, organisation="gmp")
    assert [r.seq for r in gmp] == [8, 5, 2]
    assert all(r.entry.organisation == "gmp" for r in gmp)

    window = await search(log, since=T0 + timedelta(minutes=2), until=T0 + timedelta(minutes=5))
    assert [r.seq for r in window] == [5, 4, 3]
    assert [r.seq for r in await search(log, subject="staff-0", limit=2)] == [7, 4]
    assert [r.seq for r in await search(log, data_subject="household:1")] == [4, 3]
    assert await search(log, purpose=PurposeOfUse.PLANNING) == []
    assert len(await search(log, purpose=PurposeOfUse.SAFEGUARDING, organisation="mft")) == 3
    with pytest.raises(ValueError):
        await search(log, limit=0)


async def test_group_commit_keeps_one_chain_and_fails_closed_together(
    pg_address: ServerAddress,
) -> None:
    """Concurrent requests through the writer share transactions; the chain stays whole."""
    from authz.audit_writer import AuditWriter

    log = await AuditLog.open(pg_address.dsn("governance"), timeout=5)
    writer = AuditWriter(log, max_batch=16)
    try:
        receipts = await asyncio.gather(*(writer.append(entry(i)) for i in range(100)))
        seqs = sorted(r.seq for r in receipts)
        assert seqs == list(range(seqs[0], seqs[0] + 100))
        assert writer.batches < 100  # some requests shared a commit
        assert (await log.verify()).ok
    finally:
        await writer.close()
        await log.close()
    dead = AuditWriter(log)  # its pool is closed now
    with pytest.raises(AuditUnavailable):
        await dead.append(entry(1000))


async def test_a_batch_is_one_statement_each_receipt_names_its_own_record(
    pg_address: ServerAddress,
) -> None:
    """append_many sends the batch once; receipt i is entry i's record, stored as given
    (non-ASCII names, microsecond times, empty lists) so the chain verifies."""
    log = await AuditLog.open(pg_address.dsn("governance"), timeout=5)
    try:
        entries = [
            entry(1, occurred_at=T0 + timedelta(microseconds=7)),
            entry(2, masked=(), justification="Zoë's review", staff_name=None),
            entry(3, occurred_at=T0.replace(microsecond=0)),
        ]
        receipts = await log.append_many(entries)
        assert len(receipts) == len(entries) == 3
        assert [r.seq for r in receipts] == list(range(receipts[0].seq, receipts[0].seq + 3))
        for given, receipt in zip(entries, receipts, strict=True):
            stored = await log.record(receipt.seq)
            assert stored is not None
            assert stored.entry == given
            assert stored.record_hash == receipt.record_hash
        assert await log.append_many([]) == []
        assert (await log.verify()).ok
    finally:
        await log.close()


async def test_a_batch_is_all_or_nothing_and_the_writer_recovers(
    pg_address: ServerAddress,
) -> None:
    """A batch holding one bad record (a request id already in the log) writes none of its
    records; a batch whose kept connection was dropped by the server is written on a fresh
    one."""
    from authz.audit_writer import AuditWriter

    log = await AuditLog.open(pg_address.dsn("governance"), timeout=5)
    try:
        first = entry(10)
        await log.append(first)
        before = (await log.verify()).head_seq
        with pytest.raises(AuditUnavailable):
            await log.append_many([entry(11), entry(12, request_id=first.request_id)])
        assert (await log.verify()).head_seq == before

        writer = AuditWriter(log)
        try:
            receipt = await writer.append(entry(13))
            held = writer._conn
            assert held is not None
            held_pid = held.get_server_pid()
            await log.fetchrow("SELECT pg_terminate_backend($1)", held_pid)
            again = await writer.append(entry(14))  # found closed: written on a fresh one
            assert again.seq == receipt.seq + 1
            assert writer._conn is not None and writer._conn.get_server_pid() != held_pid
            assert (await log.verify()).ok
        finally:
            await writer.close()
    finally:
        await log.close()
