"""Load the synthetic Greater Manchester into the agency stores through COPY.

The generator runs in its own process and hands over one chunk of households at a time
through a bounded queue, so memory stays flat whatever the population and generation
overlaps with loading. Each store loads inside one transaction that commits only when every
store has loaded: a failure anywhere leaves no half-loaded agency.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import queue
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from store.catalog import STORES, Store
from store.dsn import ServerAddress
from store.migrate import quote_ident
from store.server import connect

SEEDED_STORES: tuple[Store, ...] = tuple(s for s in STORES if s.kind in ("agency", "truth"))
_QUEUE_CHUNKS = 3
_DONE = "done"
_FAILED = "failed"


def agencies_without_generator() -> tuple[str, ...]:
    """Agency stores the synthetic generator writes no records for (a newly added agency
    until someone writes devtools/synth/agencies/<name>.py)."""
    from devtools.synth.agencies import AGENCIES as GENERATED

    generated = {name for name, _, _ in GENERATED}
    return tuple(s.name for s in STORES if s.kind == "agency" and s.name not in generated)


class AlreadySeeded(RuntimeError):
    """The stores hold data and ``--reset`` was not given."""


@dataclass
class SeedReport:
    people: int
    seed: int
    seconds: float
    rows: Counter[tuple[str, str]] = field(default_factory=Counter)
    # agencies of the registry the synthetic generator knows nothing about: left empty
    without_generator: tuple[str, ...] = ()

    def rows_per_store(self) -> dict[str, int]:
        totals: Counter[str] = Counter()
        for (database, _table), count in self.rows.items():
            totals[database] += count
        return dict(totals)

    @property
    def people_per_second(self) -> float:
        return self.people / self.seconds if self.seconds else 0.0


ProgressCallback = Callable[[str, int, int], None]
"""Called with (store, rows just loaded, people covered by the chunk)."""


def _produce(people: int, seed: int, chunk_people: int, out: Any) -> None:
    """Worker process: run the generator and pass chunks on, then a sentinel."""
    try:
        from devtools.synth import generate

        for chunk in generate(people, seed=seed, chunk_people=chunk_people):
            covered = sum(
                len(t.rows) for t in chunk if t.database == "truth" and t.table == "truth_person"
            )
            out.put((covered, [(t.database, t.table, t.columns, t.rows) for t in chunk]))
        out.put(_DONE)
    except BaseException as exc:
        out.put((_FAILED, f"{type(exc).__name__}: {exc}"))


async def _user_tables(conn: asyncpg.Connection) -> list[str]:
    rows = await conn.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'schema_migrations' ORDER BY tablename"
    )
    return [r["tablename"] for r in rows]


async def stored_rows(address: ServerAddress, store: str) -> dict[str, int]:
    """Exact row count per table of one store."""
    conn = await connect(address, store)
    try:
        counts = {}
        for table in await _user_tables(conn):
            counts[table] = int(await conn.fetchval(f"SELECT count(*) FROM {quote_ident(table)}"))
        return counts
    finally:
        await conn.close()


async def seeded_stores(address: ServerAddress) -> dict[str, int]:
    """Stores that already hold rows, with their row totals."""
    found = {}
    for store in SEEDED_STORES:
        total = sum((await stored_rows(address, store.name)).values())
        if total:
            found[store.name] = total
    return found


async def seed(
    address: ServerAddress,
    people: int,
    seed: int = 1,
    *,
    reset: bool = False,
    chunk_people: int = 20_000,
    progress: ProgressCallback | None = None,
) -> SeedReport:
    """Generate ``people`` synthetic residents and load every store; all or nothing."""
    if people < 1:
        raise ValueError("people must be at least 1")
    if not reset:
        existing = await seeded_stores(address)
        if existing:
            listing = ", ".join(f"{k} ({v:,} rows)" for k, v in existing.items())
            raise AlreadySeeded(
                f"the stores already hold data: {listing}. Run again with --reset to replace "
                "them, or point MESH_DB_PREFIX / MESH_PG_DSN at empty stores."
            )
    started = time.perf_counter()
    report = SeedReport(
        people=people, seed=seed, seconds=0.0, without_generator=agencies_without_generator()
    )
    conns: dict[str, asyncpg.Connection] = {}
    transactions = []
    ctx = mp.get_context("spawn")
    chunks: Any = ctx.Queue(maxsize=_QUEUE_CHUNKS)
    producer = ctx.Process(target=_produce, args=(people, seed, chunk_people, chunks), daemon=True)
    try:
        for store in SEEDED_STORES:
            conn = await connect(address, store.name)
            conns[store.name] = conn
            tx = conn.transaction()
            await tx.start()
            transactions.append(tx)
            tables = await _user_tables(conn)
            if tables:
                # Truncating inside the load transaction lets COPY skip WAL (wal_level=minimal).
                await conn.execute(
                    "TRUNCATE " + ", ".join(quote_ident(t) for t in tables) + " RESTART IDENTITY"
                )
        producer.start()
        loop = asyncio.get_running_loop()
        while True:
            item = await loop.run_in_executor(None, _take, chunks, producer)
            if item == _DONE:
                break
            if isinstance(item, tuple) and item[0] == _FAILED:
                raise RuntimeError(f"the generator failed: {item[1]}")
            covered, tables_rows = item
            grouped = _group_by_store(tables_rows)
            outcomes = await asyncio.gather(
                *(
                    _load_store(
                        conns[s.name], s.name, grouped.get(s.name, []), covered, report, progress
                    )
                    for s in SEEDED_STORES
                ),
                return_exceptions=True,  # let every store finish its COPY before rolling back
            )
            failures = [o for o in outcomes if isinstance(o, BaseException)]
            if failures:
                raise failures[0]
        await _record_extract_date(conns)
        for tx in transactions:
            await tx.commit()
        transactions.clear()
    finally:
        await _abandon(transactions, conns)
        if producer.is_alive():
            producer.terminate()
        producer.join(timeout=5)
    report.seconds = time.perf_counter() - started
    return report


async def _record_extract_date(conns: dict[str, asyncpg.Connection]) -> None:
    """Every agency's data stands at the synthetic extract's date: the needs indicators' time
    windows count back from it (``mesh_extract``)."""
    from devtools.synth.dates import REFERENCE_DATE

    for store in SEEDED_STORES:
        if store.kind == "agency":
            await conns[store.name].execute(
                "INSERT INTO mesh_extract (taken_on) VALUES ($1)", REFERENCE_DATE
            )


async def _abandon(transactions: list[Any], conns: dict[str, asyncpg.Connection]) -> None:
    """Roll back whatever did not commit and close every connection, whatever state it is in:
    a connection that cannot roll back is terminated, which makes the server roll back."""
    for tx in transactions:
        with contextlib.suppress(asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
            await tx.rollback()
    for conn in conns.values():
        if conn.is_closed():
            continue
        try:
            await asyncio.wait_for(conn.close(), timeout=10)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError):
            conn.terminate()


def _take(chunks: Any, producer: Any) -> Any:
    """Block for the next chunk, noticing a producer that died without a word."""
    while True:
        try:
            return chunks.get(timeout=1.0)
        except queue.Empty:
            if not producer.is_alive() and chunks.empty():
                return (_FAILED, f"generator process exited with code {producer.exitcode}")


def _group_by_store(
    tables_rows: list[tuple[str, str, tuple[str, ...], list[tuple[object, ...]]]],
) -> dict[str, list[tuple[str, tuple[str, ...], list[tuple[object, ...]]]]]:
    grouped: dict[str, list[tuple[str, tuple[str, ...], list[tuple[object, ...]]]]] = {}
    for database, table, columns, rows in tables_rows:
        grouped.setdefault(database, []).append((table, columns, rows))
    return grouped


async def _load_store(
    conn: asyncpg.Connection,
    store: str,
    tables: list[tuple[str, tuple[str, ...], list[tuple[object, ...]]]],
    covered: int,
    report: SeedReport,
    progress: ProgressCallback | None,
) -> None:
    loaded = 0
    for table, columns, rows in tables:
        if rows:
            await conn.copy_records_to_table(table, records=rows, columns=list(columns))
        report.rows[(store, table)] += len(rows)
        loaded += len(rows)
    if progress is not None:
        progress(store, loaded, covered)
