"""``mesh agency new NAME``: a new agency's folder, first migration, types, its registry line
and a draft agreement — everything docs/adding-an-agency.md describes, ready to edit.

Nothing outside the new agency changes except the one registry line; the agreement is a draft
(deny by default), so the new fields are served to nobody until an IG lead completes it.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from authz.categories import SensitiveCategory

ROOT = Path(__file__).resolve().parent.parent
RESERVED = frozenset({"kit", "index", "centre", "registry", "mesh", "truth", "governance"})
_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_AGENCIES_TUPLE = re.compile(r"AGENCIES: tuple\[str, \.\.\.\] = \((?P<body>.*?)\n\)", re.S)


class ScaffoldError(ValueError):
    """The name or category cannot make an agency (said in one line)."""


@dataclass(frozen=True)
class AgencyNames:
    snake: str  # folder, database, registry entry: probation_service

    @property
    def camel(self) -> str:  # the Person field: probationService
        head, *rest = self.snake.split("_")
        return head + "".join(part.capitalize() for part in rest)

    @property
    def pascal(self) -> str:  # the record type: ProbationServiceRecord
        return "".join(part.capitalize() for part in self.snake.split("_"))

    @property
    def words(self) -> str:  # for docstrings: probation service
        return self.snake.replace("_", " ")


def check_name(name: str, existing: tuple[str, ...]) -> AgencyNames:
    if not _NAME.match(name) or keyword.iskeyword(name) or len(name) > 40:
        raise ScaffoldError(
            f"{name!r} is not an agency name: use lower-case words joined by underscores, "
            "e.g. probation_service"
        )
    if name in RESERVED:
        raise ScaffoldError(f"{name!r} is reserved for the mesh itself")
    if name in existing:
        raise ScaffoldError(f"{name!r} is already an agency of the mesh")
    return AgencyNames(name)


def check_category(category: str) -> SensitiveCategory:
    try:
        return SensitiveCategory(category)
    except ValueError:
        known = ", ".join(c.value for c in SensitiveCategory)
        raise ScaffoldError(f"unknown category {category!r}; use one of {known}") from None


def agency_files(names: AgencyNames, category: SensitiveCategory) -> dict[str, str]:
    """Path (from the repository root) → content of every file the new agency needs."""
    n = names
    folder = f"subgraphs/{n.snake}"
    review = (date.today() + timedelta(days=365)).isoformat()
    return {
        f"{folder}/__init__.py": f'"""{n.words.capitalize()}: the agency\'s own subgraph."""\n',
        f"{folder}/migrations/001_{n.snake}_record.sql": _MIGRATION.format(words=n.words),
        f"{folder}/queries.py": _QUERIES.format(words=n.words.capitalize()),
        f"{folder}/types.py": _TYPES.format(
            words=n.words, pascal=n.pascal, category=category.name
        ),
        f"{folder}/subgraph.py": _SUBGRAPH.format(
            words=n.words, snake=n.snake, camel=n.camel, pascal=n.pascal, category=category.name
        ),
        f"authz/agreements/{n.snake.replace('_', '-')}-direct-care.yaml": _AGREEMENT.format(
            words=n.words, snake=n.snake, id=n.snake.replace("_", "-"), review=review,
            category=category.value,
        ),
    }  # fmt: skip


def add_registry_line(registry_source: str, name: str) -> str:
    """The registry with ``name`` appended to ``AGENCIES`` (the one line an agency adds)."""
    match = re.search(
        r"AGENCIES: tuple\[str, \.\.\.\] = \((?P<body>.*?)\n\)", registry_source, re.S
    )
    if match is None:
        raise ScaffoldError("subgraphs/registry.py has no AGENCIES tuple to add the agency to")
    end = match.end("body")
    return registry_source[:end] + f'\n    "{name}",' + registry_source[end:]


def scaffold_agency(
    name: str, category: str, existing: tuple[str, ...], root: Path = ROOT
) -> list[Path]:
    """Write the agency's files and its registry line under ``root``; returns what it wrote.
    Refuses (writing nothing) when a file it would write already exists."""
    names, chosen = check_name(name, existing), check_category(category)
    files = {root / path: text for path, text in agency_files(names, chosen).items()}
    clashes = [str(p.relative_to(root)) for p in files if p.exists()]
    if clashes:
        raise ScaffoldError(f"these files exist already: {', '.join(clashes)}")
    registry = root / "subgraphs" / "registry.py"
    updated = add_registry_line(registry.read_text(encoding="utf-8"), names.snake)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    registry.write_text(updated, encoding="utf-8")
    return [*files, registry]


_MIGRATION = """\
-- {words}: the agency's own store. Made by `mesh agency new`: change the tables to what the
-- agency really keeps; keep the mesh_identity view's columns exactly as they are (search and
-- linkage read it).
CREATE TABLE person (
    person_ref     text   PRIMARY KEY,
    nhs_number     text,
    given_name     text   NOT NULL,
    family_name    text   NOT NULL,
    date_of_birth  date   NOT NULL,
    sex            text   NOT NULL,
    address_line   text   NOT NULL,
    postcode       text,
    uprn           bigint,
    address_confirmed_on date  -- when the address was last confirmed; NULL: unknown
);
CREATE INDEX person_family_name_dob_idx ON person (family_name, date_of_birth);
CREATE INDEX person_postcode_idx ON person (postcode);
CREATE INDEX person_nhs_number_idx ON person (nhs_number);

CREATE VIEW mesh_identity AS
SELECT person_ref AS local_id, nhs_number, given_name, family_name, date_of_birth, sex,
       address_line, postcode, uprn, address_confirmed_on
FROM person;

-- Which records changed since the last linkage submission (`mesh link --delta` sends only
-- those); linkage clears the notes it submitted. The same shape as each agency's
-- 011_identity_changes.sql, kept apart on purpose: an agency owns its store's migrations
-- (its own table and column names), and an applied migration is never edited.
CREATE TABLE mesh_identity_change (
    change_id  bigserial PRIMARY KEY,
    local_id   text NOT NULL
);

CREATE FUNCTION mesh_note_person_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO mesh_identity_change (local_id) SELECT person_ref FROM gone_rows;
    ELSE
        INSERT INTO mesh_identity_change (local_id) SELECT person_ref FROM new_rows;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER person_inserted AFTER INSERT ON person REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mesh_note_person_changes();
CREATE TRIGGER person_updated AFTER UPDATE ON person REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mesh_note_person_changes();
CREATE TRIGGER person_deleted AFTER DELETE ON person REFERENCING OLD TABLE AS gone_rows
    FOR EACH STATEMENT EXECUTE FUNCTION mesh_note_person_changes();
"""

_QUERIES = '''\
"""{words}'s SQL. Each statement takes an array of keys as $1 and returns a ``key`` column."""

from subgraphs.kit.crosswalk_sql import by_mesh_id

PERSON_BY_MESH_ID = by_mesh_id(
    "person",
    "person_ref",
    "p.person_ref, p.nhs_number, p.given_name, p.family_name, p.date_of_birth, p.sex, "
    "p.address_line, p.postcode",
)
'''

_TYPES = '''\
"""The {words}'s part of the person graph."""

import strawberry

from subgraphs.kit import NhsNumbered, RecordSubject


@strawberry.type(description="The person as the {words} records them.")
class {pascal}Record(NhsNumbered, RecordSubject):
    person_ref: strawberry.Private[str]
'''

_SUBGRAPH = '''\
"""The {words}'s subgraph: ``Person.{camel}``."""

from subgraphs.{snake} import queries
from subgraphs.{snake}.types import {pascal}Record
from subgraphs.kit import AgencySubgraph, PersonSection, section_loader
from subgraphs.kit import SensitiveCategory as C

SUBGRAPH = AgencySubgraph(
    name="{snake}",
    person=PersonSection(
        field_name="{camel}",
        type={pascal}Record,
        load=section_loader(queries.PERSON_BY_MESH_ID, {pascal}Record),
        category=C.{category},
        description="The person's {words} record; null when the {words} does not know them.",
    ),
)
'''

_AGREEMENT = """\
# A draft made by `mesh agency new`: an IG lead completes it (parties, purposes, lawful basis,
# what it covers, conditions, masks) and sets status to active. Until then deny by default
# holds: nobody is served the {words}'s data, and `mesh policy check` names every field.
id: {id}-direct-care
version: "0.1"
title: The {words}'s records for direct care (draft)
summary: >-
  Say in plain words who may see what of the {words}'s records, and why.
status: draft
providing_agency: {snake}
receiving:
  organisations: ["*"]
  roles: [gp]
purposes: [DIRECT_CARE]
lawful_basis:
  uk_gdpr_article_6: 6(1)(e)
covers:
  # add the section's own category ({category}) once the lawful basis for it is written
  # above (special-category data needs an Art 9 condition, criminal-offence data Art 10)
  categories: [identity, contact]
retention: Viewed in place. The record of each viewing is kept for 8 years.
review_date: {review}
"""
