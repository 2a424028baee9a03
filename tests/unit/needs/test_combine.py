"""DuckDB combination of pseudonymous scans: cohorts, restriction, counts (no PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from graphql import GraphQLError

from subgraphs.centre.needs import cursor
from subgraphs.centre.needs.agencies import ScanAnswer
from subgraphs.centre.needs.combine import Combination
from subgraphs.kit.needs.catalogue import all_catalogues
from subgraphs.kit.needs.evaluate import AGE_BANDS
from subgraphs.kit.needs.geography import LOCAL_AUTHORITIES

AS_OF = date(2025, 3, 31)


def scan(agency: str, rows: list[tuple[str, str, str, int]]) -> ScanAnswer:
    """rows: (household, person, code, local authority index); age band 5-10, 3 days old."""
    codes = [i.code for i in all_catalogues()[agency].indicators]
    tsv = "\n".join(f"{h}\t{p}\t{codes.index(c)}\t{la}\t1\t3" for h, p, c, la in rows)
    return ScanAnswer(
        agency=agency, catalogue="x@1", as_of=AS_OF, rows=len(rows), indicators=codes,
        local_authorities=list(LOCAL_AUTHORITIES), age_bands=list(AGE_BANDS), tsv=tsv,
    )  # fmt: skip


def combination() -> Combination:
    return Combination(
        [
            scan("education", [("mh_a", "mp_1", "EDU_PERSISTENT_ABSENCE", 0),
                               ("mh_b", "mp_3", "EDU_SUSPENSION", 0)]),
            scan("welfare", [("mh_a", "mp_2", "WELFARE_WORKLESS", 0),
                             ("mh_b", "mp_4", "WELFARE_UC_CLAIM", 2)]),
            scan("health", [("mh_a", "mp_2", "HEALTH_MENTAL_HEALTH_CONTACT", 0),
                            ("mh_c", "mp_5", "HEALTH_MENTAL_HEALTH_CONTACT", 2)]),
        ],
        all_catalogues(),
    )  # fmt: skip


FIRST_LA, _, THIRD_LA = list(LOCAL_AUTHORITIES)[:3]


def test_a_cohort_counts_distinct_outcomes_and_pages_by_household() -> None:
    c = combination()
    page = c.cohort(local_authority=FIRST_LA, min_needs=2, required=[], after=None, first=1)
    assert (page.total, page.households, page.has_next) == (2, ["mh_a"], True)
    page = c.cohort(local_authority=FIRST_LA, min_needs=2, required=[], after="mh_a", first=1)
    assert (page.households, page.has_next) == (["mh_b"], False)
    for authority, expected in ((FIRST_LA, ["mh_a"]), (THIRD_LA, ["mh_c"])):
        page = c.cohort(
            local_authority=authority, min_needs=1, required=["HEALTH"], after=None, first=9
        )
        assert page.households == expected, authority
    evidence = c.evidence(["mh_a"])["mh_a"]
    assert {(e.agency, e.code, e.as_of) for e in evidence} == {
        ("education", "EDU_PERSISTENT_ABSENCE", date(2025, 3, 28)),
        ("welfare", "WELFARE_WORKLESS", date(2025, 3, 28)),
        ("health", "HEALTH_MENTAL_HEALTH_CONTACT", date(2025, 3, 28)),
    }


def test_a_household_split_across_authorities_is_counted_whole_in_one_of_them() -> None:
    """mh_b: education in the first authority, welfare in the third — one of each, so the
    first by name; both its needs count there, and it is in no other authority's cohort."""
    c = combination()
    first = c.cohort(local_authority=FIRST_LA, min_needs=2, required=[], after=None, first=9)
    assert "mh_b" in first.households
    third = c.cohort(local_authority=THIRD_LA, min_needs=1, required=[], after=None, first=9)
    assert third.households == ["mh_c"]


def test_the_opt_out_keeps_an_agencys_rows_only_for_countable_people_in_known_households() -> None:
    c = combination()
    c.load_sizes("mh_a\t3\nmh_b\t2")  # the index does not know mh_c
    c.restrict(["health"], not_countable="mp_2")  # mp_2 opted out (or nobody knows)
    counts = c.counts(unit="HOUSEHOLDS", group_by=[], measures=[("min_needs", "3")])
    assert counts == {(): [0]}  # mh_a had 3 outcomes only with mp_2's health contact
    counts = c.counts(
        unit="HOUSEHOLDS", group_by=["LOCAL_AUTHORITY"],
        measures=[("need", "HEALTH"), ("min_agencies", "2")],
    )  # fmt: skip
    # mp_5 (mh_c) may be counted, but mh_c is unknown to the index: fail closed
    assert counts[("Bolton",)] == [0, 2] and ("Manchester",) not in counts


def test_without_the_index_an_opted_out_agency_counts_nothing() -> None:
    c = combination()
    c.restrict(["health"], not_countable=None)
    counts = c.counts(unit="HOUSEHOLDS", group_by=[], measures=[("need", "HEALTH")])
    assert counts == {(): [0]}


def test_household_sizes_and_people_by_age_band() -> None:
    c = combination()
    c.load_sizes("mh_a\t7\nmh_b\t2")
    counts = c.counts(unit="HOUSEHOLDS", group_by=["HOUSEHOLD_SIZE"], measures=[("min_needs", "1")])
    assert counts == {("6+",): [1], ("2",): [1], ("Unknown",): [1]}
    people = c.counts(unit="PEOPLE", group_by=["AGE_BAND"], measures=[("need", "HEALTH")])
    assert people == {("5-10",): [2]}
    coded = c.counts(unit="HOUSEHOLDS", group_by=[], measures=[("indicator", "WELFARE_UC_CLAIM")])
    assert coded == {(): [1]}


def test_cursors_are_opaque_and_bound_to_their_query() -> None:
    token = cursor.encode("q1", "mh_x")
    assert "mh_x" not in token
    assert cursor.decode(token, "q1") == "mh_x"
    with pytest.raises(GraphQLError, match="different cohort query"):
        cursor.decode(token, "q2")
    with pytest.raises(GraphQLError, match="not a cursor"):
        cursor.decode("%%%", "q1")


def test_someone_in_no_household_counts_as_a_person_only() -> None:
    """mp_9 is in no household (an empty household column), with rows in the third authority:
    counted among people there (their own outcomes as their household's, size unknown), in no
    household table or cohort; their health row only when the index lists them as known."""
    rows = [("", "mp_9", "HEALTH_MENTAL_HEALTH_CONTACT", 2), ("", "mp_9", "WELFARE_UC_CLAIM", 2)]
    c = Combination(
        [scan("health", rows[:1]), scan("welfare", rows[1:]),
         scan("education", [("mh_a", "mp_1", "EDU_SUSPENSION", 0)])],
        all_catalogues(),
    )  # fmt: skip
    c.load_sizes("mh_a\t2")
    measures = [("min_needs", "2"), ("need", "HEALTH")]
    group_by = ["LOCAL_AUTHORITY", "HOUSEHOLD_SIZE"]
    assert c.counts(unit="HOUSEHOLDS", group_by=group_by, measures=measures) == {
        (FIRST_LA, "2"): [0, 0]
    }
    people = c.counts(unit="PEOPLE", group_by=group_by, measures=measures)
    assert people == {(FIRST_LA, "2"): [0, 0], (THIRD_LA, "Unknown"): [1, 1]}
    third = c.cohort(local_authority=THIRD_LA, min_needs=1, required=[], after=None, first=9)
    assert third.total == 0
    c.restrict(["health"], not_countable="", without_household="mp_9")
    assert c.counts(unit="PEOPLE", group_by=[], measures=measures) == {(): [1, 1]}
    c.restrict(["health"], not_countable="")  # the index does not list mp_9: fail closed
    assert c.counts(unit="PEOPLE", group_by=[], measures=measures) == {(): [0, 0]}
