"""A synthetic population tokenised in memory, as the index would receive it: for the linkage
tests that need realistic records but no PostgreSQL (the generator's own rows, no store)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from devtools.synth import generate
from devtools.synth.agencies import PERSON_TABLES
from linkage.agency_side.tokens import TOKEN_KINDS, Identity, KeyedHash
from linkage.index_side.records import RecordSet

KEY = b"unit-test-linkage-key-32-bytes!!"
PEOPLE = 2_500


@dataclass(frozen=True)
class Population:
    records: RecordSet
    person: list[int]  # true person of each record
    household: list[int]  # true household of each record's person
    local_ids: list[tuple[str, str]]  # (agency, local id) of each record


@cache
def population(people: int = PEOPLE, seed: int = 5) -> Population:
    rows: dict[tuple[str, str], list[dict[str, object]]] = {}
    for chunk in generate(people, seed=seed):
        for table in chunk:
            rows.setdefault((table.database, table.table), []).extend(
                dict(zip(table.columns, row, strict=True)) for row in table.rows
            )
    truth = {(r["agency"], r["local_id"]): r["person_id"] for r in rows["truth", "truth_record"]}
    home = {r["person_id"]: r["household_id"] for r in rows["truth", "truth_person"]}
    hasher = KeyedHash(KEY)
    records = RecordSet(TOKEN_KINDS)
    person: list[int] = []
    household: list[int] = []
    local_ids: list[tuple[str, str]] = []
    for agency, spec in PERSON_TABLES.items():
        for row in rows.get((agency, spec.table), []):
            local_id = str(row[spec.columns[0]])
            identity = _identity(local_id, row)
            records.add(
                agency,
                hasher.record_ref(agency, local_id),
                hasher.tokens(identity),
                identity.address_confirmed_on,
            )
            true_person = int(truth[agency, local_id])  # type: ignore[call-overload]
            person.append(true_person)
            household.append(int(home[true_person]))  # type: ignore[call-overload]
            local_ids.append((agency, local_id))
    return Population(records, person, household, local_ids)


def _identity(local_id: str, row: dict[str, object]) -> Identity:
    return Identity(
        local_id,
        row.get("nhs_number"),  # type: ignore[arg-type]
        row["given_name"],  # type: ignore[arg-type]
        row["family_name"],  # type: ignore[arg-type]
        row["date_of_birth"],  # type: ignore[arg-type]
        row["sex"],  # type: ignore[arg-type]
        row["postcode"],  # type: ignore[arg-type]
        row["uprn"],  # type: ignore[arg-type]
        row["address_line"],  # type: ignore[arg-type]
        row["address_confirmed_on"],  # type: ignore[arg-type]
    )


def pair_scores(predicted: Sequence[int], true: Sequence[int]) -> tuple[float, float]:
    """Pairwise (precision, recall) of a clustering of records against the truth."""

    def pairs(keys: Sequence[object]) -> int:
        return sum(n * (n - 1) // 2 for n in Counter(keys).values())

    both = pairs(list(zip(predicted, true, strict=True)))
    return both / max(1, pairs(predicted)), both / max(1, pairs(true))
