"""Ground truth: every true person and household, and which agency record is whose.

Kept in its own database, 'truth', so that linkage can be scored; no agency store holds any of it.
"""

from __future__ import annotations

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

_SCHEMA = """\
-- truth: the synthetic population as it really is, and which agency record belongs to whom.

CREATE TABLE truth_household (
    household_id           bigint   PRIMARY KEY,
    authority              text     NOT NULL,
    uprn                   bigint   NOT NULL UNIQUE,
    address_line           text     NOT NULL,
    postcode               text     NOT NULL,
    size                   smallint NOT NULL CHECK (size > 0),
    moved_in               date     NOT NULL,
    previous_uprn          bigint   UNIQUE,
    previous_address_line  text,
    previous_postcode      text
);
CREATE INDEX truth_household_postcode_idx ON truth_household (postcode);

CREATE TABLE truth_person (
    person_id      bigint PRIMARY KEY,
    household_id   bigint NOT NULL REFERENCES truth_household (household_id),
    authority      text   NOT NULL,
    nhs_number     text   NOT NULL UNIQUE,
    given_name     text   NOT NULL,
    family_name    text   NOT NULL,
    date_of_birth  date   NOT NULL,
    sex            text   NOT NULL CHECK (sex IN ('F', 'M')),
    relationship   text   NOT NULL CHECK (relationship IN ('head', 'partner', 'child', 'other')),
    address_line   text   NOT NULL,
    postcode       text   NOT NULL,
    uprn           bigint NOT NULL
);
CREATE INDEX truth_person_household_idx ON truth_person (household_id);
CREATE INDEX truth_person_family_name_dob_idx ON truth_person (family_name, date_of_birth);

-- Exactly one true person for each person-level agency record (local_id as in mesh_identity).
CREATE TABLE truth_record (
    agency     text   NOT NULL,
    local_id   text   NOT NULL,
    person_id  bigint NOT NULL REFERENCES truth_person (person_id),
    PRIMARY KEY (agency, local_id)
);
CREATE INDEX truth_record_person_idx ON truth_record (person_id);
"""


def truth_schema_sql() -> str:
    """DDL for the 'truth' database."""
    return _SCHEMA


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
