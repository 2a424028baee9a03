"""Ground truth: every true person and household, and which agency record is whose.

Kept in its own database, 'truth', so that linkage can be scored; no agency store holds any of it.
"""

from __future__ import annotations

from pathlib import Path

from devtools.synth.dates import day
from devtools.synth.people import Household
from devtools.synth.rows import ChunkRows, TableSpec

TRUTH_HOUSEHOLD = TableSpec(
    "truth",
    "truth_household",
    (
        "household_id",
        "authority",
        "uprn",
        "address_line",
        "postcode",
        "size",
        "moved_in",
        "previous_uprn",
        "previous_address_line",
        "previous_postcode",
    ),
)
TRUTH_PERSON = TableSpec(
    "truth",
    "truth_person",
    (
        "person_id",
        "household_id",
        "authority",
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "relationship",
        "address_line",
        "postcode",
        "uprn",
    ),
)
TRUTH_RECORD = TableSpec("truth", "truth_record", ("agency", "local_id", "person_id"))
TABLES = (TRUTH_HOUSEHOLD, TRUTH_PERSON, TRUTH_RECORD)

_SCHEMA_FILE = Path(__file__).resolve().parent / "migrations" / "001_truth.sql"


def truth_schema_sql() -> str:
    """DDL for the 'truth' database: its migration, which the store applies (tests check it
    creates exactly the columns the generator writes)."""
    return _SCHEMA_FILE.read_text(encoding="utf-8")


class TruthRecords:
    """Writes each household and its people as they really are."""

    def __init__(self, sink: ChunkRows) -> None:
        self._households = sink.table(TRUTH_HOUSEHOLD)
        self._people = sink.table(TRUTH_PERSON)

    def add(self, household: Household) -> None:
        home = household.address
        before = household.previous_address
        authority = household.authority.name
        self._households.append(
            (
                household.household_id,
                authority,
                home.uprn,
                home.line,
                home.postcode,
                len(household.members),
                day(household.moved_in),
                before.uprn if before else None,
                before.line if before else None,
                before.postcode if before else None,
            )
        )
        hid = household.household_id
        self._people.extend(
            (
                p.person_id,
                hid,
                authority,
                p.nhs_number,
                p.given_name,
                p.family_name,
                p.date_of_birth,
                p.sex,
                p.relationship,
                home.line,
                home.postcode,
                home.uprn,
            )
            for p in household.members
        )
