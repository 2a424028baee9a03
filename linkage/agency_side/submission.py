"""What an agency sends the index: its records' keyed hashes, in columns, and what it keeps.

An agency reads its ``mesh_identity`` view, normalises and hashes each record
(:mod:`linkage.agency_side.tokens`) and sends a :class:`SubmissionBatch`: per record an opaque
``record_ref``, one 32-byte keyed hash per token kind (zeros where the record has none) and the
date it last confirmed the record's address. It keeps, in the same order, the local ids and a
digest of each identity row (:class:`Extract`), so that it can write its crosswalk from the
index's answer without hashing again, and later send only what changed (a *delta*: records whose
identity digest differs from the one in its crosswalk, and records gone from its view).

Hashing is the costly part, so large agencies are read in shards by parallel worker processes.
"""

from __future__ import annotations

import asyncio
from array import array
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from multiprocessing import get_context
from typing import Any

import asyncpg

from linkage.agency_side.tokens import TOKEN_BYTES, TOKEN_KINDS, KeyedHash, values_of
from linkage.key import key_check
from store.dsn import ServerAddress
from store.server import connect

_ZERO = bytes(TOKEN_BYTES)
# What linkage reads of a record in the agency's mesh_identity view (beside its local id).
LINKED_COLUMNS = (
    "nhs_number", "given_name", "family_name", "date_of_birth", "sex", "address_line",
    "postcode", "uprn", "address_confirmed_on",
)  # fmt: skip
_IDENTITY = ", ".join(("local_id", *LINKED_COLUMNS))
# A digest of everything linkage reads from a record: a record whose digest changed is re-sent.
_DIGEST = f"decode(md5(ROW({', '.join(LINKED_COLUMNS)})::text), 'hex')"
_SHARD = "(hashtext(local_id) & 2147483647) % $1 = $2"
FULL_QUERY = f"SELECT {_IDENTITY}, {_DIGEST} AS digest FROM mesh_identity WHERE {_SHARD}"
# Records noted as changed (their agency's trigger, migration 011) up to $1, whose identity
# differs from what was last submitted (an update of another column changes nothing here).
CHANGED_QUERY = f"""
WITH noted AS (SELECT DISTINCT local_id FROM mesh_identity_change WHERE change_id <= $1)
SELECT i.* FROM (
    SELECT {_IDENTITY}, {_DIGEST} AS digest FROM mesh_identity
    WHERE local_id IN (SELECT local_id FROM noted)
) i
LEFT JOIN mesh_crosswalk c ON c.entity = 'Person' AND c.local_id = i.local_id
WHERE c.identity_digest IS DISTINCT FROM i.digest
"""
GONE_QUERY = """
WITH noted AS (SELECT DISTINCT local_id FROM mesh_identity_change WHERE change_id <= $1)
SELECT c.local_id, c.record_ref FROM mesh_crosswalk c JOIN noted USING (local_id)
WHERE c.entity = 'Person'
  AND NOT EXISTS (SELECT 1 FROM mesh_identity i WHERE i.local_id = c.local_id)
"""
NOTED_QUERY = "SELECT coalesce(max(change_id), 0) FROM mesh_identity_change"
#: A delta with fewer change notes than this is read and hashed in this process: starting
#: worker processes (a second or more each) would cost more than the hashing they share.
IN_PROCESS_NOTES = 200_000
RECORDS_PER_SHARD = 400_000
#: Token kinds that people living together share: hashed once per shard, not once per record.
_SHARED_KINDS = frozenset({"uprn", "address"})


@dataclass
class SubmissionBatch:
    """One agency's records as the index receives them, in columns (record i everywhere)."""

    agency: str
    key_check: str  # :func:`linkage.key.key_check` of the key the tokens were made with
    refs: bytearray = field(default_factory=bytearray)  # 32 bytes per record
    tokens: dict[str, bytearray] = field(
        default_factory=lambda: {kind: bytearray() for kind in TOKEN_KINDS}
    )  # per kind, 32 bytes per record, zeros where the record has no such token
    confirmed: array[int] = field(default_factory=lambda: array("i"))  # ordinal day, 0: unknown
    gone: list[bytes] = field(default_factory=list)  # refs of records withdrawn (a delta only)

    def __len__(self) -> int:
        return len(self.refs) // TOKEN_BYTES

    def extend(self, other: SubmissionBatch) -> None:
        self.refs += other.refs
        for kind, column in self.tokens.items():
            column += other.tokens[kind]
        self.confirmed.extend(other.confirmed)
        self.gone.extend(other.gone)

    def ref(self, i: int) -> bytes:
        return bytes(self.refs[i * TOKEN_BYTES : (i + 1) * TOKEN_BYTES])

    def record_tokens(self, i: int) -> dict[str, bytes]:
        """The tokens of record i (for tests and explanations)."""
        out = {}
        for kind, column in self.tokens.items():
            value = bytes(column[i * TOKEN_BYTES : (i + 1) * TOKEN_BYTES])
            if value != _ZERO:
                out[kind] = value
        return out


@dataclass
class Extract:
    """What the agency keeps of a submission: per submitted record its local id and identity
    digest, in submission order, and the local ids of withdrawn records."""

    local_ids: list[str] = field(default_factory=list)
    digests: list[bytes] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    noted: int = 0  # the last change note this submission covers (cleared once answered)

    def extend(self, other: Extract) -> None:
        self.local_ids += other.local_ids
        self.digests += other.digests
        self.gone += other.gone


def tokenise(
    rows: Sequence[Any],
    agency: str,
    hasher: KeyedHash,
    check: str,
) -> tuple[SubmissionBatch, Extract]:
    """Hash identity rows (the columns of ``FULL_QUERY``, digest last) into a batch."""
    batch = SubmissionBatch(agency, check)
    extract = Extract()
    columns = [batch.tokens[kind] for kind in TOKEN_KINDS]
    kinds = tuple(zip(TOKEN_KINDS, columns, strict=True))
    refs, confirmed = batch.refs, batch.confirmed
    digest = hasher.digest
    shared: dict[str, bytes] = {}  # a household's members share their address tokens
    for row in rows:
        local_id = str(row[0])
        on: date | None = row[9]
        values = values_of(row[1], row[2], row[3], row[4], row[5], row[7], row[8], row[6])
        for kind, column in kinds:
            value = values.get(kind)
            if value is None:
                column += _ZERO
            elif kind in _SHARED_KINDS:
                message = f"{kind}:{value}"
                token = shared.get(message)
                if token is None:
                    token = shared[message] = digest(message)
                column += token
            else:
                column += digest(f"{kind}:{value}")
        refs += digest(f"ref:{agency}:{local_id}")
        confirmed.append(on.toordinal() if on is not None else 0)
        extract.local_ids.append(local_id)
        extract.digests.append(row[10])
    return batch, extract


@dataclass(frozen=True)
class Shard:
    """One piece of one agency's records for one worker: rows whose local id hashes to
    ``index`` modulo ``of``; ``delta`` reads only changed records."""

    address: ServerAddress
    agency: str
    index: int
    of: int
    delta: bool
    noted: int = 0  # change notes up to this one are covered


def read_shard(shard: Shard, key: bytes) -> tuple[SubmissionBatch, Extract]:
    """Read and hash one shard (runs in a worker process)."""
    return asyncio.run(_read_shard(shard, key))


async def _read_shard(shard: Shard, key: bytes) -> tuple[SubmissionBatch, Extract]:
    conn = await connect(shard.address, shard.agency)
    try:
        async with conn.transaction(readonly=True):
            if shard.delta:
                rows = await conn.fetch(CHANGED_QUERY, shard.noted)
            else:
                rows = await conn.fetch(FULL_QUERY, shard.of, shard.index)
        batch, extract = tokenise(rows, shard.agency, KeyedHash(key), key_check(key))
        extract.noted = shard.noted
        if shard.delta and shard.index == 0:
            hasher = KeyedHash(key)
            for row in await conn.fetch(GONE_QUERY, shard.noted):
                extract.gone.append(row["local_id"])
                ref = row["record_ref"]
                batch.gone.append(
                    bytes(ref) if ref is not None else hasher.record_ref(shard.agency, row[0])
                )
        return batch, extract
    finally:
        await conn.close()


async def shards_of(
    conn: asyncpg.Connection, address: ServerAddress, agency: str, *, delta: bool
) -> list[Shard]:
    """Split an agency's records into shards of about ``RECORDS_PER_SHARD``; a delta (the
    records noted as changed) is one. Each shard covers the change notes made so far."""
    noted = int(await conn.fetchval(NOTED_QUERY))
    if delta:
        return [Shard(address, agency, 0, 1, delta, noted)]
    count = await conn.fetchval("SELECT count(*) FROM mesh_identity")
    of = max(1, round(count / RECORDS_PER_SHARD))
    return [Shard(address, agency, i, of, delta, noted) for i in range(of)]


async def collect(
    address: ServerAddress,
    keys: Mapping[str, bytes],
    *,
    delta: bool = False,
    workers: int = 2,
) -> tuple[dict[str, SubmissionBatch], dict[str, Extract]]:
    """Every agency in ``keys`` reads and hashes its records with its key, shards spread over
    ``workers`` processes (one: in this process); returns each agency's batch and extract."""
    shards: list[tuple[Shard, bytes]] = []
    notes = 0
    for agency, key in keys.items():
        conn = await connect(address, agency)
        try:
            shards += [(s, key) for s in await shards_of(conn, address, agency, delta=delta)]
            if delta:
                notes += await conn.fetchval(
                    "SELECT count(*) FROM mesh_identity_change WHERE change_id <= $1",
                    shards[-1][0].noted,
                )
        finally:
            await conn.close()
    if delta and notes < IN_PROCESS_NOTES:  # the agencies' queries at once, hashed here
        done = list(await asyncio.gather(*(_read_shard(shard, key) for shard, key in shards)))
    elif workers <= 1:
        done = [await _read_shard(shard, key) for shard, key in shards]
    else:
        loop = asyncio.get_running_loop()
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            done = list(
                await asyncio.gather(
                    *(loop.run_in_executor(pool, read_shard, shard, key) for shard, key in shards)
                )
            )
    batches: dict[str, SubmissionBatch] = {}
    extracts: dict[str, Extract] = {}
    for (shard, _), (batch, extract) in zip(shards, done, strict=True):
        if shard.agency in batches:
            batches[shard.agency].extend(batch)
            extracts[shard.agency].extend(extract)
            extracts[shard.agency].noted = extract.noted
        else:
            batches[shard.agency], extracts[shard.agency] = batch, extract
    return batches, extracts
