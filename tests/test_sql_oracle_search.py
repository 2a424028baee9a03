"""searchPeople as a safeguarding lead, checked against SQL on each agency's own person table
(``tests/sql_truth.py``): the people found are exactly those whose records match."""

from __future__ import annotations

from typing import Any

import pytest

from store import ServerAddress
from store.server import connect
from tests.gateway_fixtures import AsCaller
from tests.sql_truth import PERSON_TABLES, people_matching

SEARCH = """
query ($nhs: String, $family: String, $dob: Date, $postcode: String) {
  searchPeople(nhsNumber: $nhs, familyName: $family, dateOfBirth: $dob, postcode: $postcode) {
    unavailableAgencies results { person { id } agencies { agency matchedOn } }
  }
}
"""


async def _truth(address: ServerAddress, **criteria: Any) -> set[str]:
    found: set[str] = set()
    for store in PERSON_TABLES:
        conn = await connect(address, store)
        try:
            found |= await people_matching(conn, store, **criteria)
        finally:
            await conn.close()
    return found


@pytest.fixture(scope="module")
async def criteria(linked: ServerAddress) -> dict[str, list[Any]]:
    """Criteria chosen by SQL: NHS numbers of people known to several agencies, names and
    dates of birth shared by several records, and the busiest postcodes."""
    health = await connect(linked, "health")
    try:
        nhs = [
            r["nhs_number"]
            for r in await health.fetch(
                "SELECT nhs_number FROM patient ORDER BY md5(nhs_number) LIMIT 10"
            )
        ]
        names = [
            (r["family_name"], r["date_of_birth"])
            for r in await health.fetch(
                "SELECT family_name, date_of_birth FROM patient "
                "ORDER BY md5(family_name || date_of_birth) LIMIT 10"
            )
        ]
        postcodes = [
            r["postcode"]
            for r in await health.fetch(
                "SELECT postcode FROM patient WHERE postcode IS NOT NULL GROUP BY postcode "
                "ORDER BY count(*) DESC, postcode LIMIT 5"
            )
        ]
    finally:
        await health.close()
    return {"nhs": nhs, "names": names, "postcodes": postcodes}


async def _search(gateway: AsCaller, **variables: Any) -> set[str]:
    result = await gateway.execute(SEARCH, variables)
    assert "errors" not in result.body, result.body
    search = result.body["data"]["searchPeople"]
    assert search["unavailableAgencies"] == []
    return {r["person"]["id"] for r in search["results"]}


async def test_search_by_nhs_number_finds_exactly_the_linked_records(
    gateway: AsCaller, linked: ServerAddress, criteria: dict[str, list[Any]]
) -> None:
    assert len(criteria["nhs"]) == 10
    for nhs in criteria["nhs"]:
        expected = await _truth(linked, nhs_number=nhs)
        assert expected, nhs
        assert await _search(gateway, nhs=nhs) == expected, nhs


async def test_search_by_family_name_and_date_of_birth(
    gateway: AsCaller, linked: ServerAddress, criteria: dict[str, list[Any]]
) -> None:
    assert len(criteria["names"]) == 10
    for family, born in criteria["names"]:
        expected = await _truth(linked, family_name=family, date_of_birth=born)
        assert expected, family
        for spelt in (family, family.upper()):
            found = await _search(gateway, family=spelt, dob=born.isoformat())
            assert found == expected, (spelt, born)


async def test_search_by_postcode_finds_everyone_there(
    gateway: AsCaller, linked: ServerAddress, criteria: dict[str, list[Any]]
) -> None:
    assert len(criteria["postcodes"]) == 5
    for postcode in criteria["postcodes"]:
        expected = await _truth(linked, postcode=postcode)
        assert expected, postcode
        assert await _search(gateway, postcode=postcode) == expected, postcode
