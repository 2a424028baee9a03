"""An early-help cohort's households carry the needs the household view gives them: the same
caller, the same household, the same count of identified outcomes."""

from __future__ import annotations

from typing import Any

from mesh.gateway import Gateway
from tests.test_families import COHORT, EARLY_HELP, NEEDS, run


async def _cohort(gateway: Gateway, authority: str) -> list[dict[str, Any]]:
    households: list[dict[str, Any]] = []
    after = None
    while True:
        body = await run(gateway, EARLY_HELP, COHORT, la=authority, min=1, first=100, after=after)
        assert "errors" not in body, body
        cohort = body["data"]["earlyHelpCohort"]
        assert cohort["complete"]
        households += cohort["households"]
        if not cohort["pageInfo"]["hasNextPage"]:
            return households
        after = cohort["pageInfo"]["endCursor"]


async def test_a_cohorts_needs_are_the_households_needs(raw_gateway: Gateway) -> None:
    households = await _cohort(raw_gateway, "Manchester")
    assert len(households) > 20
    different = []
    for entry in households:
        household_id = entry["household"]["id"]
        body = await run(raw_gateway, EARLY_HELP, NEEDS, id=household_id)
        whole = body["data"]["household"]["needs"]["identified"]
        if whole != entry["needs"]["identified"]:
            different.append((household_id, entry["needs"]["identified"], whole))
    assert not different, f"{len(different)} of {len(households)}: {different[:5]}"
