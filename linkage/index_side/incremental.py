"""Re-linking a delta at the index: only the people the changed records touch.

Agencies re-send new and changed records and withdraw deleted ones (by reference). The index

1. finds the *affected* mesh persons: those holding an earlier version of a re-sent or withdrawn
   record, and those sharing a blocking token with a re-sent record (who might now be joined);
2. re-clusters the *region*: every record of the affected persons, with the new versions in;
3. gives each new cluster the old mesh id most of its records had (as a whole run does); the
   mesh ids of everyone else are untouched, by construction;
4. re-decides the households of the region's persons and of everyone placed at, or with
   evidence at, the properties their records show (a move empties one household and fills
   another); a household keeps its mesh id while its UPRN token is unchanged;
5. updates the national data opt-out from what the publishing agencies sent.

Links between the region and records outside it that did not share a token with a re-sent
record are not re-examined: the next whole ``mesh link`` does that.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import asyncpg

from linkage.agency_side.tokens import TOKEN_KINDS
from linkage.index_side.clustering import Clusterer, Clustering
from linkage.index_side.households import assign_households
from linkage.index_side.model import BLOCKING_KINDS
from linkage.index_side.moves import Surroundings
from linkage.index_side.opt_out import (
    OptOutReports,
    last_opt_out_digest,
    region_opt_out,
    republish_opt_outs,
)
from linkage.index_side.records import RecordSet
from linkage.index_side.store import (
    KEY_COLUMNS,
    RECORD_COLUMNS,
    finish_run,
    record_rows,
    store_review_pairs,
)
from subgraphs.kit.ids import new_household_id, new_person_id

_SELECT = f"SELECT {', '.join(RECORD_COLUMNS)} FROM linked_record"


@dataclass
class DeltaAnswer:
    """What the index answers to a delta, and what it did."""

    run_id: int
    fresh_mesh_ids: list[str]  # per re-sent record, in submission order
    moved: dict[str, dict[bytes, str]] = field(default_factory=dict)  # agency -> ref -> mesh id
    households: dict[bytes, str | None] = field(default_factory=dict)  # UPRN token -> id / gone
    affected_persons: int = 0  # mesh persons re-linked
    persons: int = 0  # mesh persons after re-linking the region
    households_changed: int = 0
    kept_person_ids: int = 0
    clustering: Clustering | None = None
    # Per agency, the mesh persons of its records whose id, records or household may have
    # changed (ids before and after), and the households they were or are in: what the
    # agencies' derived data must be redone for.
    touched_persons: dict[str, list[str]] = field(default_factory=dict)
    touched_households: list[str] = field(default_factory=list)


async def relink(
    conn: asyncpg.Connection,
    fresh: RecordSet,
    gone: Mapping[str, Sequence[bytes]],
    clusterer: Clusterer,
    opt_outs: OptOutReports,
    run_id: int,
    *,
    household_preference: Sequence[str] = ("housing", "health"),
) -> DeltaAnswer:
    """Re-link the region a delta touches, inside the caller's transaction."""
    affected, previous, unchanged = await _affected(conn, fresh, gone)
    resent = _resent_refs(fresh, gone)
    region = RecordSet(TOKEN_KINDS)
    old_ids: list[str | None] = []  # per region record: its mesh id before, if it had one
    for row in await conn.fetch(f"{_SELECT} WHERE mesh_id = ANY($1::text[])", affected):
        if (row["agency"], bytes(row["record_ref"])) in resent:
            continue
        _add_row(region, row)
        old_ids.append(row["mesh_id"])
    first_fresh = len(region)
    for i in range(len(fresh)):
        agency = fresh.agencies[fresh.agency_of[i]]
        old_ids.append(previous.get((agency, fresh.ref(i))))
        region.add_stored(
            agency,
            fresh.ref(i),
            {kind: fresh.key(kind, i) for kind in KEY_COLUMNS},
            fresh.address_token(i),
            _day(fresh.confirmed[i]),
        )
    counts = await _counts(conn)
    population = counts[0] + len(fresh)
    # Everyone else seen at the region's properties: who moved with whom, and households.
    neighbours, neighbour_ids = await _neighbours(conn, region, affected)
    clustering = clusterer.cluster(
        region, population=population, surroundings=_surroundings(neighbours, neighbour_ids)
    )
    person_ids, kept = _vote(clustering, old_ids)

    # Households: the region's persons and everyone seen at the properties they are seen at.
    combined, combined_person_of = _combine(region, clustering, neighbours, neighbour_ids)
    persons = clustering.persons + len(set(neighbour_ids))
    household_of, tokens = assign_households(
        combined, combined_person_of, persons, household_preference
    )
    household_ids = await _household_ids(conn, tokens)

    # Write the region: its records, persons and their households, and households emptied.
    mesh_ids = [person_ids[p] for p in clustering.person_of]
    removed, added = await _write_records(
        conn, region, first_fresh, mesh_ids, old_ids, unchanged, gone
    )
    held = {  # mesh person -> (household, opt-out) as the index holds them
        r["mesh_id"]: (r["household_id"], r["national_data_opt_out"])
        for r in await conn.fetch(
            "SELECT mesh_id, household_id, national_data_opt_out FROM mesh_person "
            "WHERE mesh_id = ANY($1::text[])",
            affected + sorted(set(neighbour_ids)),
        )
    }
    new_households = [(mesh_id, token) for mesh_id, token, existed in household_ids if not existed]
    await conn.copy_records_to_table(
        "mesh_household",
        columns=["mesh_id", "run_id", "address_token"],
        records=[(mesh_id, run_id, token) for mesh_id, token in new_households],
    )
    kept_ids = set(person_ids)
    dropped = await conn.execute(
        "DELETE FROM mesh_person WHERE mesh_id = ANY($1::text[])",
        [mesh_id for mesh_id in affected if mesh_id not in kept_ids],
    )
    # Persons written only where something changed (run_id: the run that last changed them).
    status = region_opt_out(region, clustering, opt_outs)
    relinked = [
        (mesh_id, run_id, household, status[p])
        for p, mesh_id in enumerate(person_ids)
        if held.get(mesh_id) != (household := _household(household_ids, household_of[p]), status[p])
    ]
    await conn.execute(
        "INSERT INTO mesh_person (mesh_id, run_id, household_id, national_data_opt_out) "
        "SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::boolean[]) "
        "ON CONFLICT (mesh_id) DO UPDATE SET run_id = EXCLUDED.run_id, "
        "household_id = EXCLUDED.household_id, "
        "national_data_opt_out = EXCLUDED.national_data_opt_out",
        *(list(column) for column in zip(*relinked, strict=True)) if relinked else ([], [], [], []),
    )
    rehoused = [
        (mesh_id, household)
        for mesh_id, n in _number(neighbour_ids).items()
        if (household := _household(household_ids, household_of[clustering.persons + n]))
        != held.get(mesh_id, (None, None))[0]
    ]
    await conn.execute(
        "UPDATE mesh_person p SET household_id = r.household_id, run_id = $3 "
        "FROM unnest($1::text[], $2::text[]) AS r (mesh_id, household_id) "
        "WHERE p.mesh_id = r.mesh_id",
        [mesh_id for mesh_id, _ in rehoused],
        [household for _, household in rehoused],
        run_id,
    )
    before = sorted({household for household, _ in held.values() if household is not None})
    emptied = await conn.fetch(
        "DELETE FROM mesh_household h WHERE h.mesh_id = ANY($1::text[]) AND NOT EXISTS "
        "(SELECT 1 FROM mesh_person p WHERE p.household_id = h.mesh_id) "
        "RETURNING h.mesh_id, h.address_token",
        before,
    )
    if await last_opt_out_digest(conn, run_id) != opt_outs.digest():
        await republish_opt_outs(conn, opt_outs)  # else everyone else's is as it was
    await store_review_pairs(conn, region, clustering, run_id)
    # The totals by arithmetic from the last run's (counting 4.5 M rows takes seconds).
    await finish_run(
        conn,
        run_id,
        counts[0] - removed + added,
        counts[1] - _rows(dropped) + len(person_ids) - kept,
        counts[2] + len(new_households) - len(emptied),
    )

    answer = DeltaAnswer(
        run_id,
        [person_ids[clustering.person_of[i]] for i in range(first_fresh, len(region))],
        affected_persons=len(affected),
        persons=clustering.persons,
        kept_person_ids=kept,
        clustering=clustering,
    )
    for i in range(first_fresh):  # records not re-sent whose person changed
        new_id = person_ids[clustering.person_of[i]]
        if new_id != old_ids[i]:
            agency = region.agencies[region.agency_of[i]]
            answer.moved.setdefault(agency, {})[region.ref(i)] = new_id
    answer.households = {bytes(token): mesh_id for mesh_id, token in new_households}
    answer.households.update({bytes(r["address_token"]): None for r in emptied})
    answer.households_changed = len(new_households) + len(emptied)
    answer.touched_persons, answer.touched_households = _touched(
        region, mesh_ids, old_ids, gone, previous, neighbours, rehoused
    )
    answer.touched_households = sorted(
        set(answer.touched_households)
        | set(before)
        | {
            h
            for p in range(clustering.persons)
            if (h := _household(household_ids, household_of[p]))
        }
    )
    return answer


def _touched(
    region: RecordSet,
    mesh_ids: Sequence[str],
    old_ids: Sequence[str | None],
    gone: Mapping[str, Sequence[bytes]],
    previous: Mapping[tuple[str, bytes], str],
    neighbours: Sequence[asyncpg.Record],
    rehoused: Sequence[tuple[str, str | None]],
) -> tuple[dict[str, list[str]], list[str]]:
    """Per agency, the mesh persons (before and after) of its records in the region, of its
    withdrawn records and of its records whose person moved household; and the households
    those moved to."""
    persons: dict[str, set[str]] = {agency: set() for agency in region.agencies}
    for i in range(len(region)):
        held = persons[region.agencies[region.agency_of[i]]]
        held.add(mesh_ids[i])
        if (old := old_ids[i]) is not None:
            held.add(old)
    for agency, refs in gone.items():
        persons.setdefault(agency, set()).update(
            mesh_id for ref in refs if (mesh_id := previous.get((agency, ref)))
        )
    moved = dict(rehoused)
    for row in neighbours:
        if row["mesh_id"] in moved:
            persons.setdefault(row["agency"], set()).add(row["mesh_id"])
    households = sorted({h for h in moved.values() if h is not None})
    return {agency: sorted(held) for agency, held in persons.items() if held}, households


async def _affected(
    conn: asyncpg.Connection, fresh: RecordSet, gone: Mapping[str, Sequence[bytes]]
) -> tuple[list[str], dict[tuple[str, bytes], str], set[int]]:
    """Mesh persons holding an earlier version of a re-sent or withdrawn record, or sharing a
    blocking token with a re-sent record whose tokens changed (a record re-sent only because
    its address was re-confirmed can link to no one new); and the earlier mesh id of each
    re-sent record, and which re-sent records carry the tokens stored for them already (by
    position). A weak token (forename and birth date) counts only with the address."""
    agencies = [fresh.agencies[a] for a in fresh.agency_of]
    refs = [fresh.ref(i) for i in range(len(fresh))]
    for agency, withdrawn in gone.items():
        agencies += [agency] * len(withdrawn)
        refs += list(withdrawn)
    by_ref = await conn.fetch(
        f"SELECT l.agency, l.record_ref, l.mesh_id, {', '.join(KEY_COLUMNS)}, l.uprn "
        "FROM linked_record l JOIN unnest($1::text[], $2::bytea[]) AS d (agency, record_ref) "
        "ON l.agency = d.agency AND l.entity = 'Person' AND l.record_ref = d.record_ref",
        agencies,
        refs,
    )
    previous = {(r["agency"], bytes(r["record_ref"])): str(r["mesh_id"]) for r in by_ref}
    before = {(r["agency"], bytes(r["record_ref"])): r for r in by_ref}
    changed = [
        i
        for i in range(len(fresh))
        if not _same_tokens(fresh, i, before.get((agencies[i], refs[i])))
    ]
    keys = {kind: sorted({k for i in changed if (k := fresh.key(kind, i))}) for kind in KEY_COLUMNS}
    uprns = sorted({t for i in changed if (t := fresh.address_token(i)) is not None})
    query, args = touching_query(keys, uprns)
    by_token = await conn.fetch(query, *args)
    affected = sorted(set(previous.values()) | {r["mesh_id"] for r in by_token})
    return affected, previous, set(range(len(fresh))) - set(changed)


_WEAK = ("forename_dob", "forename_swapped")


def touching_query(
    keys: Mapping[str, Sequence[int]], uprns: Sequence[bytes]
) -> tuple[str, list[object]]:
    """The query (and its arguments) for the mesh persons holding a record that shares a
    blocking token with changed records (``keys`` per token kind, ``uprns`` their UPRN tokens):
    one condition per token column, each answered by its delta index
    (:data:`linkage.index_side.store.DELTA_INDEXES`)."""
    strong = [kind for kind in BLOCKING_KINDS if kind in KEY_COLUMNS and kind not in _WEAK]
    args: list[object] = [list(keys.get(kind, ())) for kind in strong]
    where = [f"{kind} = ANY(${n}::bigint[])" for n, kind in enumerate(strong, start=1)]
    weak = " OR ".join(
        f"{kind} = ANY(${len(args) + n}::bigint[])" for n, kind in enumerate(_WEAK, start=1)
    )
    args += [list(keys.get(kind, ())) for kind in _WEAK]
    args += [list(uprns), list(keys.get("address", ()))]
    where.append(
        f"(({weak}) AND (uprn = ANY(${len(args) - 1}::bytea[]) "
        f"OR address = ANY(${len(args)}::bigint[])))"
    )
    return f"SELECT DISTINCT mesh_id FROM linked_record WHERE {' OR '.join(where)}", args


async def _write_records(
    conn: asyncpg.Connection,
    region: RecordSet,
    first_fresh: int,
    mesh_ids: Sequence[str],
    old_ids: Sequence[str | None],
    unchanged: set[int],
    gone: Mapping[str, Sequence[bytes]],
) -> tuple[int, int]:
    """Bring ``linked_record`` up to date with the re-linked region, rewriting as few rows as
    possible (each row written costs an entry in every token index): withdrawn records and
    earlier versions of re-sent records whose tokens changed are deleted and the new versions
    copied in; a record whose mesh id changed, or re-sent with the same tokens (its address
    re-confirmed), is updated in place. Returns (rows removed, rows added)."""
    agencies = region.agencies
    doomed: list[tuple[str, bytes]] = [(a, ref) for a, refs in gone.items() for ref in refs]
    copied: list[int] = []
    updated: list[int] = []
    for i in range(len(region)):
        fresh_i = i - first_fresh
        if fresh_i < 0:
            if mesh_ids[i] != old_ids[i]:
                updated.append(i)
        elif fresh_i in unchanged:
            updated.append(i)
        else:
            copied.append(i)
            if old_ids[i] is not None:
                doomed.append((agencies[region.agency_of[i]], region.ref(i)))
    removed = _rows(await conn.execute(
        "DELETE FROM linked_record l USING unnest($1::text[], $2::bytea[]) AS d (agency, ref) "
        "WHERE l.agency = d.agency AND l.entity = 'Person' AND l.record_ref = d.ref",
        [a for a, _ in doomed], [ref for _, ref in doomed],
    ))  # fmt: skip
    await conn.copy_records_to_table(
        "linked_record",
        columns=list(RECORD_COLUMNS),
        records=record_rows(region, copied, [mesh_ids[i] for i in copied]),
    )
    await conn.execute(
        "UPDATE linked_record l SET mesh_id = u.mesh_id, address_confirmed_on = u.confirmed "
        "FROM unnest($1::text[], $2::bytea[], $3::text[], $4::date[]) "
        "AS u (agency, ref, mesh_id, confirmed) "
        "WHERE l.agency = u.agency AND l.entity = 'Person' AND l.record_ref = u.ref "
        "AND (l.mesh_id, l.address_confirmed_on) IS DISTINCT FROM (u.mesh_id, u.confirmed)",
        [agencies[region.agency_of[i]] for i in updated],
        [region.ref(i) for i in updated],
        [mesh_ids[i] for i in updated],
        [_day(region.confirmed[i]) for i in updated],
    )
    return removed, len(copied)


async def _counts(conn: asyncpg.Connection) -> tuple[int, int, int]:
    """Records, mesh persons and households held, as the last finished run left them."""
    row = await conn.fetchrow(
        "SELECT records, persons, households FROM linkage_run "
        "WHERE finished_at IS NOT NULL ORDER BY run_id DESC LIMIT 1"
    )
    if row is None or None in (row["records"], row["persons"], row["households"]):
        row = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM linked_record) AS records, "
            "(SELECT count(*) FROM mesh_person) AS persons, "
            "(SELECT count(*) FROM mesh_household) AS households"
        )
        assert row is not None
    return int(row["records"]), int(row["persons"]), int(row["households"])


def _rows(status: str) -> int:
    """The row count of a command's status (``DELETE 12``)."""
    return int(status.split()[-1])


def _same_tokens(fresh: RecordSet, i: int, stored: asyncpg.Record | None) -> bool:
    """Whether re-sent record i carries the tokens the index holds for it already."""
    if stored is None:
        return False
    if any((fresh.key(kind, i) or None) != stored[kind] for kind in KEY_COLUMNS):
        return False
    uprn = stored["uprn"]
    return fresh.address_token(i) == (bytes(uprn) if uprn is not None else None)


def _resent_refs(fresh: RecordSet, gone: Mapping[str, Sequence[bytes]]) -> set[tuple[str, bytes]]:
    """(agency, reference) of every re-sent or withdrawn record."""
    refs = {(fresh.agencies[fresh.agency_of[i]], fresh.ref(i)) for i in range(len(fresh))}
    refs.update((agency, ref) for agency, withdrawn in gone.items() for ref in withdrawn)
    return refs


def _add_row(records: RecordSet, row: asyncpg.Record) -> int:
    return records.add_stored(
        row["agency"],
        bytes(row["record_ref"]),
        {kind: row[kind] for kind in KEY_COLUMNS},
        bytes(row["uprn"]) if row["uprn"] is not None else None,
        row["address_confirmed_on"],
    )


def _day(ordinal: int) -> date | None:
    return date.fromordinal(ordinal) if ordinal else None


def _vote(clustering: Clustering, old_ids: list[str | None]) -> tuple[list[str], int]:
    """Each new cluster keeps the old mesh id most of its records had (each old id going to the
    cluster holding most of its records); the rest get new ids."""
    votes: Counter[tuple[int, str]] = Counter()
    for i, mesh_id in enumerate(old_ids):
        if mesh_id is not None:
            votes[(clustering.person_of[i], mesh_id)] += 1
    claimed: dict[str, tuple[int, int]] = {}  # mesh id -> (votes, person)
    for (person, mesh_id), n in sorted(votes.items()):
        best = claimed.get(mesh_id)
        if best is None or (n, -person) > (best[0], -best[1]):
            claimed[mesh_id] = (n, person)
    chosen: dict[int, tuple[int, str]] = {}  # person -> (votes, mesh id)
    for mesh_id, (n, person) in sorted(claimed.items()):
        best_id = chosen.get(person)
        if best_id is None or (n, best_id[1]) > (best_id[0], mesh_id):
            chosen[person] = (n, mesh_id)
    ids = [chosen[p][1] if p in chosen else new_person_id() for p in range(clustering.persons)]
    return ids, len(chosen)


async def _neighbours(
    conn: asyncpg.Connection, region: RecordSet, affected: list[str]
) -> tuple[list[asyncpg.Record], list[str]]:
    """Records of everyone outside the region seen at a property the region's records show."""
    uprns = sorted({t for i in range(len(region)) if (t := region.address_token(i)) is not None})
    addresses = sorted({k for k in region.keys("address") if k})
    people = await conn.fetch(
        "SELECT DISTINCT mesh_id FROM linked_record "
        "WHERE (uprn = ANY($1::bytea[]) OR address = ANY($2::bigint[])) "
        "AND NOT mesh_id = ANY($3::text[])",
        uprns,
        addresses,
        affected,
    )
    ids = [r["mesh_id"] for r in people]
    rows = await conn.fetch(f"{_SELECT} WHERE mesh_id = ANY($1::text[])", ids)
    return list(rows), [r["mesh_id"] for r in rows]


def _surroundings(neighbours: list[asyncpg.Record], neighbour_ids: list[str]) -> Surroundings:
    """The neighbours' records, each with its mesh person's number."""
    records = RecordSet(TOKEN_KINDS)
    numbers = _number(neighbour_ids)
    person_of = array("i")
    for row in neighbours:
        _add_row(records, row)
        person_of.append(numbers[row["mesh_id"]])
    return Surroundings(records, person_of)


def _number(ids: Sequence[str]) -> dict[str, int]:
    """Distinct mesh ids numbered in first-seen order."""
    numbers: dict[str, int] = {}
    for mesh_id in ids:
        numbers.setdefault(mesh_id, len(numbers))
    return numbers


def _combine(
    region: RecordSet,
    clustering: Clustering,
    neighbours: list[asyncpg.Record],
    neighbour_ids: list[str],
) -> tuple[RecordSet, array[int]]:
    """The region and its neighbours as one record set, with persons numbered: the region's
    clusters first, then each neighbour mesh person."""
    combined = RecordSet(TOKEN_KINDS)
    person_of = array("i")
    for i in range(len(region)):
        combined.add_stored(
            region.agencies[region.agency_of[i]],
            region.ref(i),
            {kind: region.key(kind, i) for kind in KEY_COLUMNS},
            region.address_token(i),
            _day(region.confirmed[i]),
        )
        person_of.append(clustering.person_of[i])
    numbers = _number(neighbour_ids)
    for row in neighbours:
        _add_row(combined, row)
        person_of.append(clustering.persons + numbers[row["mesh_id"]])
    return combined, person_of


async def _household_ids(
    conn: asyncpg.Connection, tokens: list[bytes]
) -> list[tuple[str, bytes, bool]]:
    """Per household: its mesh id (the stored one for its UPRN token, else new), its token,
    and whether it existed."""
    rows = await conn.fetch(
        "SELECT address_token, mesh_id FROM mesh_household WHERE address_token = ANY($1::bytea[])",
        tokens,
    )
    existing = {bytes(r["address_token"]): r["mesh_id"] for r in rows}
    return [
        (existing[token], token, True) if token in existing else (new_household_id(), token, False)
        for token in tokens
    ]


def _household(ids: list[tuple[str, bytes, bool]], household: int) -> str | None:
    return ids[household][0] if household >= 0 else None
