"""Moved together (linkage.index_side.moves), without PostgreSQL: which case a pair at two
addresses falls in, from the records around it, and the weights estimated for the cases."""

from __future__ import annotations

from array import array
from collections.abc import Iterator

import duckdb
import pytest

from linkage.agency_side.tokens import TOKEN_KINDS
from linkage.index_side.moves import CASES, Surroundings, adjust, case_weights, estimate
from linkage.index_side.records import RecordSet

OLD, NEW, ELSEWHERE = 101, 202, 303  # address keys
WEIGHTS = dict(zip(CASES, (3.0, 2.0, -2.0, -0.5), strict=True))


def _records(*rows: tuple[str, int, int, int | None]) -> RecordSet:
    """Records of (agency, forename and birth date key, address key, NHS key or None)."""
    records = RecordSet(TOKEN_KINDS)
    for n, (agency, who, address, nhs) in enumerate(rows):
        records.add_stored(
            agency,
            n.to_bytes(32, "big"),
            {"forename_dob": who, "fullname_dob": who, "address": address, "nhs": nhs},
            None,
            None,
        )
    return records


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as con:
        yield con


def _scored(
    con: duckdb.DuckDBPyConnection, records: RecordSet, pairs: list[tuple[int, int]]
) -> None:
    con.register("records_arrow", records.to_arrow())
    con.execute("CREATE TABLE records AS SELECT * FROM records_arrow")
    con.unregister("records_arrow")
    con.execute("CREATE TEMP TABLE edges (record_l INT, record_r INT, match_weight DOUBLE)")
    con.executemany("INSERT INTO edges VALUES (?, ?, 0.0)", pairs)


def _weight(con: duckdb.DuckDBPyConnection, left: int, right: int) -> float:
    (weight,) = con.execute(
        "SELECT match_weight FROM edges WHERE record_l = ? AND record_r = ?", [left, right]
    ).fetchall()[0]
    return float(weight)


def test_a_family_seen_at_both_addresses_corroborates_the_move(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Police (which missed the move) has mother 1 and son 2 at the old address; health has
    # both at the new one; a third police record lives at the old address too.
    records = _records(
        ("police", 1, OLD, None),
        ("police", 2, OLD, None),
        ("health", 1, NEW, 11),
        ("health", 2, NEW, 12),
        ("health", 3, NEW, 13),
    )
    _scored(con, records, [(0, 2), (1, 3)])
    assert adjust(con, WEIGHTS) == 2
    assert _weight(con, 0, 2) == _weight(con, 1, 3) == WEIGHTS["corroborated, people"]


def test_a_namesake_elsewhere_whom_nobody_followed_weighs_less(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Welfare's person 1 lives with person 2 at one address; health's namesake 1 lives with
    # person 3 elsewhere; nobody else is seen at both, though both addresses have others.
    records = _records(
        ("welfare", 1, OLD, None),
        ("welfare", 2, OLD, None),
        ("health", 1, ELSEWHERE, 11),
        ("health", 3, ELSEWHERE, 13),
    )
    _scored(con, records, [(0, 2)])
    adjust(con, WEIGHTS)
    assert _weight(con, 0, 2) == WEIGHTS["uncorroborated, people"]


def test_someone_living_alone_is_neither_corroborated_nor_held_against(
    con: duckdb.DuckDBPyConnection,
) -> None:
    records = _records(("welfare", 1, OLD, None), ("health", 1, NEW, 11))
    _scored(con, records, [(0, 1)])
    adjust(con, WEIGHTS)
    assert _weight(con, 0, 1) == WEIGHTS["uncorroborated"]


def test_a_pair_at_one_address_is_left_alone(con: duckdb.DuckDBPyConnection) -> None:
    records = _records(("welfare", 1, OLD, None), ("health", 1, OLD, 11))
    _scored(con, records, [(0, 1)])
    assert adjust(con, WEIGHTS) == 0
    assert _weight(con, 0, 1) == 0.0


def test_a_delta_sees_the_move_in_the_records_around_its_region(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # The region holds only the son's two records; his mother is outside it, one mesh person
    # with records at both addresses, and so is a neighbour at the old address.
    region = _records(("police", 2, OLD, None), ("health", 2, NEW, 12))
    around = _records(("police", 1, OLD, None), ("health", 1, NEW, 11))
    _scored(con, region, [(0, 1)])
    adjust(con, WEIGHTS, surroundings=Surroundings(around, array("i", [7, 7])))
    assert _weight(con, 0, 1) == WEIGHTS["corroborated, people"]


def test_without_the_records_around_it_the_region_could_not_tell(
    con: duckdb.DuckDBPyConnection,
) -> None:
    region = _records(("police", 2, OLD, None), ("health", 2, NEW, 12))
    _scored(con, region, [(0, 1)])
    adjust(con, WEIGHTS)
    assert _weight(con, 0, 1) == WEIGHTS["uncorroborated"]


def test_weights_are_log_ratios_and_finite_for_cases_never_seen() -> None:
    weights = case_weights(
        {"corroborated, people": 600, "uncorroborated, people": 200, "uncorroborated": 200},
        {"corroborated, people": 5, "uncorroborated, people": 500, "uncorroborated": 450},
    )
    assert weights["corroborated, people"] > 5 > 0 > -1 > weights["uncorroborated, people"]
    assert -1 < weights["corroborated"] < 1  # never seen on either side
    assert set(weights) == set(CASES)


def test_too_few_pairs_to_tell_weigh_nearly_nothing() -> None:
    weights = case_weights({"corroborated, people": 2, "uncorroborated": 7}, {})
    assert all(abs(w) < 1 for w in weights.values()), weights


def test_estimates_count_movers_by_nhs_number_and_namesakes_in_one_agency(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Two families moved together (seen by NHS number at both addresses); two namesakes in one
    # agency live apart with others, and nobody moved between them.
    records = _records(
        ("education", 1, OLD, 11),
        ("education", 2, OLD, 12),
        ("health", 1, NEW, 11),
        ("health", 2, NEW, 12),
        ("health", 5, ELSEWHERE, 15),
        ("health", 5, 404, 16),
        ("health", 6, ELSEWHERE, 17),
        ("health", 7, 404, 18),
    )
    _scored(con, records, [(0, 2), (1, 3), (4, 5)])
    weights = estimate(con)
    assert weights["corroborated, people"] > 0 > weights["uncorroborated, people"]
    assert {r[0] for r in con.execute("SHOW TABLES").fetchall()} == {"records", "edges"}
