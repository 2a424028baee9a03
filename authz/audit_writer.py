"""Group commit for the audit log: concurrent requests share one transaction and one WAL
flush, and each still waits until its own record is durable before answering (fail closed).

X-Road batches its log the same way. Without it a durable append (≈ one fsync) bounds the
whole gateway to a few hundred requests a second.

Replicas: each gateway process has its own writer and batches only its own requests; replicas
share nothing but the governance database, whose ``append_audit()`` serialises every append
(see :mod:`authz.audit`), so their batches interleave on one chain.
"""

from __future__ import annotations

import asyncio
import contextlib

from asyncpg.pool import PoolConnectionProxy

from authz.audit import AuditEntry, AuditLog, AuditReceipt, AuditUnavailable

MAX_BATCH = 128


class AuditWriter:
    """Queue entries from any number of requests; one task writes them in batches."""

    def __init__(self, log: AuditLog, max_batch: int = MAX_BATCH) -> None:
        self.log = log
        self.max_batch = max_batch
        self._queue: asyncio.Queue[tuple[AuditEntry, asyncio.Future[AuditReceipt]]] | None = None
        self._worker: asyncio.Task[None] | None = None
        # One connection kept for the writer's batches (no pool acquire and reset per batch);
        # given back and taken afresh after any failure.
        self._conn: PoolConnectionProxy | None = None
        self.batches = 0

    async def append(self, entry: AuditEntry) -> AuditReceipt:
        """The receipt once the record is durable; AuditUnavailable when it cannot be."""
        if self._queue is None or self._worker is None or self._worker.done():
            self._queue = asyncio.Queue()
            self._worker = asyncio.create_task(self._write(self._queue), name="audit-writer")
        done: asyncio.Future[AuditReceipt] = asyncio.get_running_loop().create_future()
        await self._queue.put((entry, done))
        return await done

    async def _write(
        self, queue: asyncio.Queue[tuple[AuditEntry, asyncio.Future[AuditReceipt]]]
    ) -> None:
        while True:
            batch = [await queue.get()]
            while len(batch) < self.max_batch and not queue.empty():
                batch.append(queue.get_nowait())
            try:
                receipts = await self._append([entry for entry, _ in batch])
            except AuditUnavailable as error:
                await self._drop_connection()
                for _, done in batch:
                    if not done.done():
                        done.set_exception(AuditUnavailable(str(error)))
                continue
            except Exception as error:
                await self._drop_connection()
                for _, done in batch:
                    if not done.done():
                        done.set_exception(AuditUnavailable(f"audit writer failed: {error}"))
                continue
            self.batches += 1
            for (_, done), receipt in zip(batch, receipts, strict=True):
                if not done.done():
                    done.set_result(receipt)

    async def _append(self, entries: list[AuditEntry]) -> list[AuditReceipt]:
        """The batch on the kept connection; once more on a fresh one if that connection
        failed (the database restarted or dropped it). Safe to repeat: request ids are unique
        in the log, so a batch that did commit before the loss is refused, not written twice,
        and its requests fail closed."""
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = await self.log.hold_connection()
            try:
                return await self.log.append_many(entries, self._conn)
            except AuditUnavailable as error:
                if attempt == 2 or not error.connection_lost:
                    raise
                await self._drop_connection()
        raise AssertionError("unreachable")  # pragma: no cover

    async def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await self.log.release_connection(conn)

    async def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        await self._drop_connection()
