"""The indicators each agency keeps (``mesh_needs_indicator``, what cohorts, demand tables
and household needs are made of) are what its own tables say, by SQL written from each
indicator's title (``tests/sql_indicator_truth.py``): the same people, codes, dates,
authorities and age bands."""

from __future__ import annotations

import pytest

from store import ServerAddress
from store.server import connect
from subgraphs.kit.needs.catalogue import all_catalogues
from subgraphs.kit.needs.evaluate import refresh
from tests.sql_indicator_truth import INDICATORS, indicator_rows


@pytest.mark.parametrize("agency", sorted(INDICATORS))
async def test_an_agencys_kept_indicators_are_what_its_tables_say(
    linked: ServerAddress, agency: str
) -> None:
    truth, kept = await indicator_rows(linked, agency)
    assert sum(truth.values()) >= 5, "the test population should give this agency indicators"
    missing, extra = truth - kept, kept - truth
    assert not missing and not extra, (
        f"kept lacks {sorted(missing)[:5]} ({sum(missing.values())}); "
        f"kept has more {sorted(extra)[:5]} ({sum(extra.values())})"
    )
    codes = {key[1] for key in truth}
    # More than one of its indicators is found (the test population is small).
    assert len(codes) >= min(2, len(INDICATORS[agency])), set(INDICATORS[agency]) - codes


async def test_persistent_absence_counts_the_last_three_terms_only(linked: ServerAddress) -> None:
    """A pupil absent for the last three terms who attended every session the year before is
    persistently absent (the indicator's title: "under 90 % of sessions in the last three
    terms"), whatever older terms the school still holds."""
    conn = await connect(linked, "education")
    try:
        pupils = await conn.fetch(
            "SELECT a.upn, min(a.urn) AS urn, min(a.academic_year) AS first_year"
            " FROM attendance a JOIN mesh_crosswalk c ON c.entity = 'Person'"
            " AND c.local_id = a.upn GROUP BY a.upn HAVING count(*) = 3"
            " AND sum(a.sessions_attended) * 100 BETWEEN sum(a.sessions_possible) * 86"
            " AND sum(a.sessions_possible) * 89 ORDER BY a.upn LIMIT 3"
        )
        assert len(pupils) == 3, "the test population should have pupils just under 90 %"
        # A whole earlier year of full attendance, older than the three terms.
        older = [
            (p["upn"], _year_before(p["first_year"]), term, p["urn"], 300, 300, 100)
            for p in pupils
            for term in ("autumn", "spring", "summer")
        ]
        await conn.copy_records_to_table(
            "attendance",
            records=older,
            columns=["upn", "academic_year", "term", "urn", "sessions_possible",
                     "sessions_attended", "attendance_pct"],
        )  # fmt: skip
        try:
            await refresh(conn, all_catalogues()["education"])
            truth, kept = await indicator_rows(linked, "education")
        finally:
            await conn.execute(
                "DELETE FROM attendance WHERE (upn, academic_year) IN"
                " (SELECT * FROM unnest($1::text[], $2::text[]))",
                [r[0] for r in older],
                [r[1] for r in older],
            )
            await refresh(conn, all_catalogues()["education"])
    finally:
        await conn.close()
    absent = {key[0] for key in truth if key[1] == "EDU_PERSISTENT_ABSENCE"}
    assert len(absent) > 10
    assert not truth - kept and not kept - truth, (truth - kept, kept - truth)


def _year_before(academic_year: str) -> str:
    start = int(academic_year[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


async def test_a_homelessness_case_flags_its_lead_applicant_even_when_not_listed(
    linked: ServerAddress,
) -> None:
    """The person owed the duty is the case's lead applicant, listed among its members or not
    (the housing schema allows either)."""
    conn = await connect(linked, "housing")
    try:
        listed = await conn.fetch(
            "DELETE FROM homelessness_case_member m USING homelessness_case h"
            " WHERE m.case_ref = h.case_ref AND m.member_ref = h.lead_member_ref"
            " AND h.opened_on >= (SELECT taken_on FROM mesh_extract) - 365"
            " RETURNING m.case_ref, m.member_ref, m.relationship"
        )
        try:
            assert listed, "the test population should have recent homelessness cases"
            await refresh(conn, all_catalogues()["housing"])
            truth, kept = await indicator_rows(linked, "housing")
        finally:
            await conn.copy_records_to_table(
                "homelessness_case_member", records=[tuple(r) for r in listed]
            )
            await refresh(conn, all_catalogues()["housing"])
    finally:
        await conn.close()
    leads = {r["member_ref"] for r in listed}
    assert len(leads) > 1
    assert not truth - kept and not kept - truth, (truth - kept, kept - truth)
