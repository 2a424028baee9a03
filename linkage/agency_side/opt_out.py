"""An agency's national data opt-outs, as it publishes them to the index at linkage time.

What leaves the agency is only the opaque record references (keyed hashes of local ids) of the
records whose person opted out. The index already knows which of its persons the agency holds
records for, so "known to the agency and not opted out" needs no further disclosure.
"""

from __future__ import annotations

import asyncpg

from linkage.agency_side.tokens import KeyedHash


def opt_out_records_sql(agency: str) -> str | None:
    """The agency's SQL for its opted-out records, declared in its subgraph definition."""
    from subgraphs.kit.serve import load_definition

    return getattr(load_definition(agency), "opt_out_records", None)


async def opted_out_refs(conn: asyncpg.Connection, agency: str, key: bytes) -> set[bytes] | None:
    """The record references of the agency's opted-out records; None when the agency does not
    hold the opt-out at all."""
    sql = opt_out_records_sql(agency)
    if sql is None:
        return None
    hasher = KeyedHash(key)
    return {hasher.record_ref(agency, str(row["local_id"])) for row in await conn.fetch(sql)}
