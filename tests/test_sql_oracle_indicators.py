"""The indicators each agency keeps (``mesh_needs_indicator``, what cohorts, demand tables
and household needs are made of) are what its own tables say, by SQL written from each
indicator's title (``tests/sql_indicator_truth.py``): the same people, codes, dates,
authorities and age bands."""

from __future__ import annotations

import pytest

from store import ServerAddress
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
