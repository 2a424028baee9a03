"""The synthetic Greater Manchester generator: determinism, counts, geography, identifiers, truth
links and identity-fault rates. Pure Python; no database."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from devtools.synth import (
    ALL_TABLES,
    AUTHORITIES,
    DEFAULT_FAULTS,
    FaultRates,
    TableRows,
    generate,
    truth_schema_sql,
)
from devtools.synth.agencies import PERSON_TABLES
from devtools.synth.dates import REFERENCE_DATE
from devtools.synth.identifiers import NHS_NUMBERS_PER_PREFIX, nhs_number, nhs_number_is_valid
from devtools.synth.names import NICKNAMES, STREET_ABBREVIATIONS

ROOT = Path(__file__).resolve().parents[1]
AGENCIES = tuple(PERSON_TABLES)
POPULATION = 50_000
IDENTITY = ("given_name", "family_name", "date_of_birth", "sex", "address_line", "postcode", "uprn")
Tables = dict[tuple[str, str], list[dict[str, object]]]


def _collect(chunks: list[list[TableRows]]) -> Tables:
    tables: Tables = defaultdict(list)
    for chunk in chunks:
        for t in chunk:
            tables[t.database, t.table].extend(
                dict(zip(t.columns, row, strict=True)) for row in t.rows
            )
    return tables


@cache
def population(faults: FaultRates = DEFAULT_FAULTS) -> Tables:
    return _collect(list(generate(POPULATION, seed=11, chunk_people=15_000, faults=faults)))


def _assert_rate(hits: int, n: int, p: float, what: str) -> None:
    assert n > 200, f"too few records to judge {what}"
    tolerance = 5 * math.sqrt(p * (1 - p) / n) + 0.003
    assert abs(hits / n - p) <= tolerance, f"{what}: {hits}/{n} = {hits / n:.4f}, expected {p}"


def _truth_pairs(tables: Tables, agency: str) -> list[tuple[dict[str, object], dict[str, object]]]:
    """(agency person record, true person) pairs for one agency."""
    spec = PERSON_TABLES[agency]
    people = {p["person_id"]: p for p in tables["truth", "truth_person"]}
    owner = {
        r["local_id"]: r["person_id"]
        for r in tables["truth", "truth_record"]
        if r["agency"] == agency
    }
    key = spec.columns[0]
    return [(rec, people[owner[str(rec[key])]]) for rec in tables[agency, spec.table]]


def _all_pairs(tables: Tables) -> list[tuple[str, dict[str, object], dict[str, object]]]:
    return [(a, rec, true) for a in AGENCIES for rec, true in _truth_pairs(tables, a)]


# --- API, determinism, counts and chunking ---------------------------------------------------


@pytest.mark.parametrize(("people", "chunk"), [(0, 10), (-5, 10), (10, 0)])
def test_rejects_bad_sizes_when_called(people: int, chunk: int) -> None:
    with pytest.raises(ValueError):
        generate(people, chunk_people=chunk)


def test_same_seed_gives_same_rows_and_another_seed_does_not() -> None:
    first = list(generate(3_000, seed=5, chunk_people=1_000))
    assert first == list(generate(3_000, seed=5, chunk_people=1_000))
    other = list(generate(3_000, seed=6, chunk_people=1_000))
    assert [t.rows for t in first[0]] != [t.rows for t in other[0]]


def test_chunks_are_independent_of_the_chunks_before_them() -> None:
    whole = list(generate(3_000, seed=5, chunk_people=1_000))
    assert whole[:2] == list(generate(2_000, seed=5, chunk_people=1_000))


@pytest.mark.parametrize(("people", "chunk"), [(1, 20_000), (7, 3), (2_501, 1_000), (4_000, 1_000)])
def test_exactly_the_people_asked_for(people: int, chunk: int) -> None:
    tables = _collect(list(generate(people, seed=2, chunk_people=chunk)))
    ids = [int(str(p["person_id"])) for p in tables["truth", "truth_person"]]
    assert sorted(ids) == list(range(1, people + 1))
    sizes = Counter(p["household_id"] for p in tables["truth", "truth_person"])
    assert {h["household_id"]: h["size"] for h in tables["truth", "truth_household"]} == sizes


def test_chunks_hold_bounded_whole_households_in_load_order() -> None:
    load_order = [(s.database, s.table) for s in ALL_TABLES]
    chunks = list(generate(5_500, seed=3, chunk_people=2_000))
    assert len(chunks) == 3
    for number, chunk in enumerate(chunks):
        tables = {(t.database, t.table): t for t in chunk}
        people = tables["truth", "truth_person"].rows
        assert len(people) == (2_000 if number < 2 else 1_500)
        households = {row[0] for row in tables["truth", "truth_household"].rows}
        assert {row[1] for row in people} == households
        positions = [load_order.index((t.database, t.table)) for t in chunk]
        assert positions == sorted(positions)
        assert (("education", "school") in tables) == (number == 0)


# --- geography, households, identifiers ---------------------------------------------------------


def test_authorities_in_census_proportions() -> None:
    people = population()["truth", "truth_person"]
    counts = Counter(p["authority"] for p in people)
    total = sum(a.population for a in AUTHORITIES)
    assert len(AUTHORITIES) == 10
    for authority in AUTHORITIES:
        share = counts[authority.name] / len(people)
        assert abs(share - authority.population / total) < 0.01, authority.name


def test_households_have_plausible_sizes_addresses_and_unique_uprns() -> None:
    households = population()["truth", "truth_household"]
    sizes = [h["size"] for h in households]
    assert abs(sizes.count(1) / len(sizes) - 0.302) < 0.02
    assert 2.3 < sum(sizes) / len(sizes) < 2.5  # type: ignore[arg-type]
    current = {h["uprn"]: h for h in households}
    previous = [h for h in households if h["previous_uprn"] is not None]
    assert len(current) == len(households)
    assert len({h["previous_uprn"] for h in previous}) == len(previous)
    # A previous home is nobody's home now, or (a young adult who left home) a family's home.
    left_home = [h for h in previous if h["previous_uprn"] in current]
    assert left_home and len(left_home) < 0.1 * len(previous)
    for h in left_home:
        assert h["size"] == 1 and int(str(current[h["previous_uprn"]]["size"])) >= 3
    districts = {a.name: a.postcode_districts for a in AUTHORITIES}
    for h in households:
        assert 100_000_000_000 <= h["uprn"] < 1_000_000_000_000  # type: ignore[operator]
        assert re.fullmatch(r"[A-Z]{1,2}[0-9]{1,2} [0-9][A-Z]{2}", str(h["postcode"]))
        assert str(h["postcode"]).split()[0] in districts[str(h["authority"])]


def test_ages_and_sexes_are_plausible() -> None:
    people = population()["truth", "truth_person"]
    today = date(2025, 3, 31)
    ages = [(today - p["date_of_birth"]).days / 365.25 for p in people]  # type: ignore[operator]
    children = sum(a < 18 for a in ages) / len(ages)
    older = sum(a >= 65 for a in ages) / len(ages)
    assert 0.19 < children < 0.26
    assert 0.11 < older < 0.19
    assert 0.48 < sum(p["sex"] == "F" for p in people) / len(people) < 0.54
    assert max(ages) < 100


def test_nhs_numbers_are_unique_valid_test_numbers() -> None:
    numbers = [str(p["nhs_number"]) for p in population()["truth", "truth_person"]]
    assert numbers and len(numbers) == len(set(numbers))
    assert all(n.startswith("999") and nhs_number_is_valid(n) for n in numbers)


def test_nhs_numbering_is_a_bijection_across_the_test_range_boundary() -> None:
    start = NHS_NUMBERS_PER_PREFIX - 100_000
    numbers = [nhs_number(i, 4) for i in range(start, start + 200_000)]
    assert len(set(numbers)) == len(numbers)
    assert all(nhs_number_is_valid(n) for n in numbers)
    assert {n[:3] for n in numbers} == {"999", "998"}
    assert nhs_number_is_valid("9434765919") and not nhs_number_is_valid("9434765918")


def test_health_holds_the_right_nhs_number_and_others_hold_it_right_or_not_at_all() -> None:
    tables = population()
    for agency in AGENCIES:
        for record, true in _truth_pairs(tables, agency):
            held = record.get("nhs_number")
            assert held == true["nhs_number"] or (agency != "health" and held is None)


# --- ground truth ---------------------------------------------------------------------------------


def test_every_agency_person_record_maps_to_exactly_one_true_person() -> None:
    tables = population()
    links = tables["truth", "truth_record"]
    assert {r["agency"] for r in links} == set(AGENCIES)
    assert len({(r["agency"], r["local_id"]) for r in links}) == len(links)
    people = {p["person_id"] for p in tables["truth", "truth_person"]}
    assert {r["person_id"] for r in links} <= people
    for agency, spec in PERSON_TABLES.items():
        local_ids = [str(row[spec.columns[0]]) for row in tables[agency, spec.table]]
        assert len(local_ids) == len(set(local_ids))
        assert set(local_ids) == {r["local_id"] for r in links if r["agency"] == agency}


def test_agency_rows_carry_no_ground_truth_keys() -> None:
    for spec in ALL_TABLES:
        if spec.database != "truth":
            assert not {"person_id", "household_id"} & set(spec.columns), spec.table


def test_without_faults_agency_identity_equals_the_truth() -> None:
    tables = population(FaultRates.none())
    for agency, record, true in _all_pairs(tables):
        assert record["family_name"] == (
            str(true["family_name"]).upper() if agency == "police" else true["family_name"]
        )
        for column in ("given_name", "date_of_birth", "sex", "address_line", "postcode", "uprn"):
            assert record[column] == true[column], (agency, column)
        if "nhs_number" in record:
            assert record["nhs_number"] == true["nhs_number"]


# --- identity faults ------------------------------------------------------------------------------


def test_configured_fault_rates_appear_in_agency_identity() -> None:
    tables = population()
    rates = DEFAULT_FAULTS
    households = {h["household_id"]: h for h in tables["truth", "truth_household"]}
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def count(fault: str, hit: bool) -> None:
        tally[fault][0] += hit
        tally[fault][1] += 1

    for agency, record, true in _all_pairs(tables):
        family = str(record["family_name"])
        count("surname_typo", family.casefold() != str(true["family_name"]).casefold())
        if str(true["given_name"]) in NICKNAMES:
            count("nickname", record["given_name"] != true["given_name"])
        born = true["date_of_birth"]
        assert isinstance(born, date)
        swapped = date(born.year, born.day, born.month) if born.day <= 12 else born
        if swapped != born and swapped <= REFERENCE_DATE:
            count("dob_day_month_swap", record["date_of_birth"] == swapped)
        count("unknown_sex", record["sex"] == "U")
        count("missing_postcode", record["postcode"] is None)
        kind = str(true["address_line"]).rpartition(" ")[2]
        if kind in STREET_ABBREVIATIONS:
            short = f" {STREET_ABBREVIATIONS[kind]}"
            count("abbreviated_street", str(record["address_line"]).endswith(short))
        if agency == "housing":
            assert record["uprn"] == true["uprn"]
            continue
        count("missing_uprn", record["uprn"] is None)
        before = households[true["household_id"]]["previous_uprn"]
        if before is not None and record["uprn"] is not None:
            count("stale_address", record["uprn"] == before)

    for fault, (hits, n) in tally.items():
        _assert_rate(hits, n, getattr(rates, fault), fault)
    assert set(tally) == {
        "surname_typo",
        "nickname",
        "dob_day_month_swap",
        "unknown_sex",
        "missing_postcode",
        "abbreviated_street",
        "missing_uprn",
        "stale_address",
    }


@pytest.mark.parametrize("agency", ["adult_social_care", "childrens_services", "education"])
def test_nhs_number_held_at_the_configured_rate(agency: str) -> None:
    records = population()[agency, PERSON_TABLES[agency].table]
    held = sum(r["nhs_number"] is not None for r in records)
    _assert_rate(held, len(records), getattr(DEFAULT_FAULTS, f"nhs_held_{agency}"), agency)


def test_fault_rates_are_validated() -> None:
    with pytest.raises(ValueError):
        FaultRates(surname_typo=1.5)
    assert FaultRates.DEFAULT is DEFAULT_FAULTS


# --- prevalence -----------------------------------------------------------------------------------


def test_agencies_know_people_at_plausible_rates() -> None:
    tables = population()
    people = len(tables["truth", "truth_person"])
    households = len(tables["truth", "truth_household"])
    children = sum(p["relationship"] == "child" for p in tables["truth", "truth_person"])
    patients = tables["health", "patient"]
    assert len(patients) / people > 0.97
    assert (
        0.22
        < len({c["patient_id"] for c in tables["health", "long_term_condition"]}) / people
        < 0.32
    )
    assert 0.005 < sum(p["national_data_opt_out"] for p in patients) / people < 0.035  # type: ignore[misc]
    assert 0.025 < len(tables["childrens_services", "child"]) / children < 0.045
    assert 0.12 < len(tables["housing", "tenancy"]) / households < 0.28
    assert 0.04 < len(tables["police", "nominal"]) / people < 0.10
    send = Counter(p["send_status"] for p in tables["education", "pupil"])
    pupils = len(tables["education", "pupil"])
    assert 0.03 < send["EHCP"] / pupils < 0.06 and 0.10 < send["SEN_SUPPORT"] / pupils < 0.17


# --- schemas --------------------------------------------------------------------------------------


_NOT_COLUMNS = {"PRIMARY", "CHECK", "UNIQUE", "FOREIGN", "CONSTRAINT"}
_MESH_IDENTITY = (
    "local_id",
    "nhs_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "address_line",
    "postcode",
    "uprn",
    "address_confirmed_on",
)


def _created_tables(sql: str) -> dict[str, tuple[str, ...]]:
    """Column names of each CREATE TABLE from DDL laid out one column a line, in order, then the
    columns later migrations add (ALTER TABLE ... ADD COLUMN)."""
    tables: dict[str, tuple[str, ...]] = {}
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\);", sql, re.S):
        columns = []
        for line in body.splitlines():
            if not line.startswith("    ") or line.startswith("     "):
                continue  # blank, or a continuation of the line before
            word = line.split()[0]
            if word.isidentifier() and word.upper() not in _NOT_COLUMNS:
                columns.append(word)
        tables[name] = tuple(columns)
    for name, column in re.findall(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", sql):
        tables[name] += (column,)
    return tables


def _view_columns(sql: str) -> tuple[str, ...]:
    """Output names of the mesh_identity view's select list, as the last migration defines it."""
    views = re.findall(
        r"CREATE (?:OR REPLACE )?VIEW mesh_identity AS\s+SELECT (.*?)\s+FROM ", sql, re.S
    )
    assert views, "no mesh_identity view"
    return tuple(item.split()[-1] for item in views[-1].split(","))


def test_generated_columns_match_the_migrations_and_truth_schema() -> None:
    created: dict[str, dict[str, tuple[str, ...]]] = {"truth": _created_tables(truth_schema_sql())}
    for agency in AGENCIES:
        files = sorted((ROOT / "subgraphs" / agency / "migrations").glob("*.sql"))
        sql = "\n".join(p.read_text() for p in files)
        created[agency] = _created_tables(sql)
        assert _view_columns(sql) == _MESH_IDENTITY, agency
    # COPY names its columns, so only the set of each table's columns has to agree.
    written = {(s.database, s.table): sorted(s.columns) for s in ALL_TABLES}
    declared = {
        (db, table): sorted(cols)
        for db, tables in created.items()
        for table, cols in tables.items()
        if table != "mesh_identity_change"  # linkage's change notes, written by triggers
    }
    assert written == declared
