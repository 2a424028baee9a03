"""The agency side of a linkage answer: rewrite the agency's own ``mesh_crosswalk``.

The index answers in pseudonyms only: ``record_ref -> mesh person id`` for the records the agency
submitted, and ``address token -> mesh household id``. The agency recomputes the references of its
own records (and the address tokens of its own UPRNs) with the linkage key, so local ids never
leave it and the index never learns which of its households the agency knows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import asyncpg

from linkage.agency_side.tokens import KeyedHash

PERSON = "Person"
HOUSEHOLD = "Household"
_BATCH = 50_000


def household_records_sql(agency: str) -> str | None:
    """The agency's own SQL for its household-level records, returning (local_id text, uprn),
    declared in its subgraph definition (housing: its tenancies); None for most agencies."""
    from subgraphs.kit.serve import load_definition

    household = getattr(load_definition(agency), "household", None)
    return getattr(household, "linkage_records", None)


@dataclass(frozen=True)
class CrosswalkReport:
    agency: str
    persons: int  # person rows written
    households: int  # household rows written
    unlinked_persons: int  # records the answer did not cover
    unlinked_households: int  # household records whose property has no mesh household


@dataclass
class _Counts:
    written: int = 0
    missing: int = 0


async def write_crosswalk(
    conn: asyncpg.Connection,
    agency: str,
    key: bytes,
    persons: Mapping[bytes, str],
    households: Mapping[bytes, str] | None = None,
) -> CrosswalkReport:
    """Replace the agency's crosswalk from the index's answer, in one transaction (COPY)."""
    household_sql = household_records_sql(agency)
    hasher = KeyedHash(key)
    async with conn.transaction():
        local_ids = [
            row[0]
            async for row in conn.cursor("SELECT local_id FROM mesh_identity", prefetch=_BATCH)
        ]
        tenancies: list[tuple[str, int | None]] = []
        if household_sql is not None and households is not None:
            tenancies = [
                (row[0], row[1]) async for row in conn.cursor(household_sql, prefetch=_BATCH)
            ]
        await conn.execute("TRUNCATE mesh_crosswalk")
        person_counts = _Counts()
        await conn.copy_records_to_table(
            "mesh_crosswalk",
            columns=["entity", "local_id", "mesh_id"],
            records=_person_rows(agency, hasher, local_ids, persons, person_counts),
        )
        household_counts = _Counts()
        if tenancies and households is not None:
            await conn.copy_records_to_table(
                "mesh_crosswalk",
                columns=["entity", "local_id", "mesh_id"],
                records=_household_rows(hasher, tenancies, households, household_counts),
            )
    return CrosswalkReport(
        agency,
        person_counts.written,
        household_counts.written,
        person_counts.missing,
        household_counts.missing,
    )


def _person_rows(
    agency: str,
    hasher: KeyedHash,
    local_ids: list[str],
    answer: Mapping[bytes, str],
    counts: _Counts,
) -> Iterator[tuple[str, str, str]]:
    for local_id in local_ids:
        mesh_id = answer.get(hasher.record_ref(agency, local_id))
        if mesh_id is None:
            counts.missing += 1
            continue
        counts.written += 1
        yield PERSON, local_id, mesh_id


def _household_rows(
    hasher: KeyedHash,
    records: list[tuple[str, int | None]],
    answer: Mapping[bytes, str],
    counts: _Counts,
) -> Iterator[tuple[str, str, str]]:
    for local_id, uprn in records:
        mesh_id = None if uprn is None else answer.get(hasher.uprn_token(uprn))
        if mesh_id is None:
            counts.missing += 1
            continue
        counts.written += 1
        yield HOUSEHOLD, local_id, mesh_id
