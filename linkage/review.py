"""What an IG lead looks at: one pair explained, and a sample of the pairs nearest the threshold.

The index holds references and weights only. To show a person what the records are, each
agency resolves its own references (through its crosswalk) and reads its own identity rows;
the ground truth, where a synthetic deployment has one, says whether the pair is one person.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import asyncpg

from linkage.agency_side.crosswalk import resolve_refs
from linkage.agency_side.tokens import KeyedHash
from linkage.index_side.explain import Explanation, explain_pair, moved_case_of, stored_record
from linkage.index_side.model import ModelError, load_model
from linkage.key import key_check
from store.dsn import ServerAddress, StoreUnreachable
from store.server import connect
from subgraphs.registry import AGENCIES, INDEX

TRUTH = "truth"


class RecordNotLinked(LookupError):
    """The record is unknown to its agency, or the index has no linkage of it yet."""


def parse_record(text: str) -> tuple[str, str]:
    """``AGENCY:LOCAL_ID`` -> (agency, local id)."""
    agency, sep, local_id = text.partition(":")
    if not sep or not local_id:
        raise ValueError(f"{text!r}: give a record as AGENCY:LOCAL_ID, e.g. police:GMP-N0000001")
    if agency not in AGENCIES:
        raise ValueError(f"{text!r}: unknown agency {agency!r}; agencies: {', '.join(AGENCIES)}")
    return agency, local_id


async def explain_records(
    address: ServerAddress, key: bytes, model_path: Path, left: str, right: str
) -> tuple[Explanation, bool]:
    """Explain two agency records; also whether they are one mesh person now."""
    sides = [parse_record(left), parse_record(right)]
    if not model_path.exists():
        raise ModelError(f"no linkage model at {model_path}: run `mesh link` first")
    model = load_model(model_path, key_check=key_check(key))
    hasher = KeyedHash(key)
    index = await connect(address, INDEX)
    try:
        found, refs = [], []
        for (agency, local_id), text in zip(sides, (left, right), strict=True):
            ref = hasher.record_ref(agency, local_id)
            stored = await stored_record(index, agency, ref)
            if stored is None:
                raise RecordNotLinked(f"{text}: the index holds no such record (not linked yet?)")
            found.append(stored)
            refs.append((agency, ref))
        population = int(await index.fetchval("SELECT count(*) FROM linked_record"))
        moved = await moved_case_of(index, refs[0], refs[1])
    finally:
        await index.close()
    (left_id, left_keys), (right_id, right_keys) = found
    explained = explain_pair(model, left_keys, right_keys, population, moved)
    return explained, left_id == right_id


@dataclass(frozen=True)
class ReviewPair:
    match_weight: float
    linked: bool
    same_person: bool | None  # by the ground truth; None without one
    left: str  # the record as its agency shows it to a reviewer
    right: str


async def review_sample(address: ServerAddress, key: bytes, n: int) -> list[ReviewPair]:
    """The ``n`` stored pairs of the last run nearest its threshold, resolved agency-side."""
    index = await connect(address, INDEX)
    try:
        rows = await index.fetch(
            "SELECT p.* FROM linkage_review_pair p WHERE p.run_id = "
            "(SELECT max(run_id) FROM linkage_run WHERE finished_at IS NOT NULL) "
            "ORDER BY abs(p.match_weight - coalesce((SELECT (parameters ->> 'threshold')::float "
            "FROM linkage_run WHERE run_id = p.run_id), 0)), p.agency_l, p.record_ref_l LIMIT $1",
            n,
        )
    finally:
        await index.close()
    wanted: dict[str, list[bytes]] = {}
    for row in rows:
        for side in "lr":
            wanted.setdefault(row[f"agency_{side}"], []).append(bytes(row[f"record_ref_{side}"]))
    shown: dict[tuple[str, bytes], tuple[str, str]] = {}  # (agency, ref) -> (local id, text)
    for agency, refs in wanted.items():
        conn = await connect(address, agency)
        try:
            shown.update(
                {(agency, ref): item for ref, item in (await _describe(conn, agency, refs)).items()}
            )
        finally:
            await conn.close()
    truth = await _truth(address, shown)
    pairs = []
    for row in rows:
        left = shown.get((row["agency_l"], bytes(row["record_ref_l"])))
        right = shown.get((row["agency_r"], bytes(row["record_ref_r"])))
        same = None
        if left and right and truth:
            a = truth.get((row["agency_l"], left[0]))
            b = truth.get((row["agency_r"], right[0]))
            same = None if a is None or b is None else a == b
        pairs.append(
            ReviewPair(
                float(row["match_weight"]),
                bool(row["linked"]),
                same,
                left[1] if left else f"{row['agency_l']}: (no longer held)",
                right[1] if right else f"{row['agency_r']}: (no longer held)",
            )
        )
    return pairs


async def _describe(
    conn: asyncpg.Connection, agency: str, refs: list[bytes]
) -> dict[bytes, tuple[str, str]]:
    """The agency's own view of its records: reference -> (local id, one line of identity)."""
    local = await resolve_refs(conn, refs)
    rows = await conn.fetch(
        "SELECT local_id, nhs_number, given_name, family_name, date_of_birth, postcode, uprn, "
        "address_confirmed_on FROM mesh_identity WHERE local_id = ANY($1::text[])",
        list(local.values()),
    )
    by_id = {r["local_id"]: r for r in rows}
    out = {}
    for ref, local_id in local.items():
        r = by_id.get(local_id)
        if r is None:
            continue
        nhs = f" NHS {r['nhs_number']}" if r["nhs_number"] else ""
        out[ref] = (
            local_id,
            f"{agency}:{local_id} {r['given_name']} {r['family_name']} {r['date_of_birth']} "
            f"{r['postcode'] or '-'} UPRN {r['uprn'] or '-'} (as of "
            f"{r['address_confirmed_on'] or '?'}){nhs}",
        )
    return out


async def _truth(
    address: ServerAddress, shown: dict[tuple[str, bytes], tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """True person per (agency, local id), from a synthetic deployment's truth database."""
    try:
        conn = await connect(address, TRUTH)
    except StoreUnreachable:  # a real deployment has no truth database
        return {}
    try:
        keys = {(agency, local) for (agency, _), (local, _) in shown.items()}
        rows = await conn.fetch(
            "SELECT agency, local_id, person_id FROM truth_record "
            "WHERE (agency, local_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))",
            [a for a, _ in keys],
            [lid for _, lid in keys],
        )
        return {(r["agency"], r["local_id"]): int(r["person_id"]) for r in rows}
    finally:
        await conn.close()
