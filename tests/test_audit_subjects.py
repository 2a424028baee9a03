"""Whose data an answer held comes from execution (issue 10, item 3): every Person and
Household the answer served, from the keys actually fetched — never from the variables or from
what the client chose to select.

Before: a GP's query with the id typed into it and ``id`` not selected left a record naming
nobody (100 of 100 tries), and an unused variable holding someone else's id named that person
instead of the real one, whose subject access then showed nothing."""

from __future__ import annotations

from typing import Any

from authz.access import Caller
from authz.model import Principal
from mesh.gateway import Gateway
from store import ServerAddress
from store.server import connect

GP = Caller(Principal("gp-7", "gp-p84001", ("gp",)), "DIRECT_CARE")
GP_IG = Caller(Principal("ig-7", "gp-p84001", ("ig_lead",)), "OVERSIGHT")
LEAD = Caller(
    Principal("lead-3", "manchester-city-council", ("safeguarding_lead",)),
    "SAFEGUARDING",
    "CASE-2026-031",
)
TYPED = '{{ person(id: "{id}") {{ health {{ givenName dateOfBirth nhsNumber }} }} }}'


async def _health_people(address: ServerAddress, n: int) -> list[dict[str, Any]]:
    conn = await connect(address, "health")
    try:
        rows = await conn.fetch(
            "SELECT c.mesh_id, i.nhs_number FROM mesh_crosswalk c JOIN mesh_identity i "
            "ON i.local_id = c.local_id WHERE c.entity = 'Person' AND i.nhs_number IS NOT NULL "
            "ORDER BY c.mesh_id LIMIT $1",
            n,
        )
    finally:
        await conn.close()
    return [dict(r) for r in rows]


async def _subjects(gateway: Gateway, body: dict[str, Any]) -> tuple[str, ...]:
    assert gateway.governance is not None
    record = await gateway.governance.audit.record(body["extensions"]["governance"]["auditRecord"])
    assert record is not None
    return record.entry.subjects


async def test_an_id_typed_into_the_query_names_the_subject_every_time(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    person = (await _health_people(linked, 1))[0]["mesh_id"]
    named = 0
    for _ in range(100):
        answer = await raw_gateway.execute(TYPED.format(id=person), caller=GP)
        assert answer.body["data"]["person"]["health"]["nhsNumber"], answer.body
        named += await _subjects(raw_gateway, answer.body) == (person,)
    assert named == 100


async def test_an_unused_variable_names_nobody_and_subject_access_shows_the_real_subject(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    person, other = (p["mesh_id"] for p in await _health_people(linked, 2))
    answer = await raw_gateway.execute(TYPED.format(id=person), {"unused": other}, caller=GP)
    assert await _subjects(raw_gateway, answer.body) == (person,)
    seq = answer.body["extensions"]["governance"]["auditRecord"]
    log = "query ($id: ID!) { accessLog(personId: $id) { record fieldsServed } }"
    mine = await raw_gateway.execute(log, {"id": person}, caller=GP_IG)
    records = {e["record"]: e for e in mine.body["data"]["accessLog"]}
    assert seq in records and "HealthRecord.nhsNumber" in records[seq]["fieldsServed"]
    theirs = await raw_gateway.execute(log, {"id": other}, caller=GP_IG)
    assert seq not in {e["record"] for e in theirs.body["data"]["accessLog"]}


async def test_search_results_and_household_members_are_named_without_their_ids(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    person = (await _health_people(linked, 1))[0]
    search = await raw_gateway.execute(
        "query ($n: String) { searchPeople(nhsNumber: $n) { results { strength } } }",
        {"n": person["nhs_number"]},
        caller=LEAD,
    )
    assert search.body["data"]["searchPeople"]["results"], search.body
    assert person["mesh_id"] in await _subjects(raw_gateway, search.body)
    index = await connect(linked, "index")
    try:
        household = await index.fetchval(
            "SELECT household_id FROM mesh_person WHERE household_id IS NOT NULL "
            "GROUP BY household_id HAVING count(*) > 2 ORDER BY household_id LIMIT 1"
        )
        members = {
            r["mesh_id"]
            for r in await index.fetch(
                "SELECT mesh_id FROM mesh_person WHERE household_id = $1", household
            )
        }
    finally:
        await index.close()
    answer = await raw_gateway.execute(
        "query ($h: ID!) { household(id: $h) { size members { health { familyName } } } }",
        {"h": household},
        caller=LEAD,
    )
    assert len(answer.body["data"]["household"]["members"]) == len(members)
    assert set(await _subjects(raw_gateway, answer.body)) == {household, *members}


async def test_aliases_and_fragments_change_nothing(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    person = (await _health_people(linked, 1))[0]["mesh_id"]
    shapes = [
        "query ($p: ID!) { who: person(id: $p) { pid: id } }",
        "query ($p: ID!) { person(id: $p) { ...F } } fragment F on Person { h: health { sex } }",
        "query ($p: ID!) { person(id: $p) { ... on Person { __typename } } }",
    ]
    for query in shapes:
        answer = await raw_gateway.execute(query, {"p": person}, caller=GP)
        assert await _subjects(raw_gateway, answer.body) == (person,), query
    nobody = await raw_gateway.execute(
        'query { person(id: "mp_00000000000000000000") { id } }', {"p": person}, caller=GP
    )
    assert await _subjects(raw_gateway, nobody.body) == ()


EARLY_HELP = Caller(
    Principal("eh-3", "manchester-city-council", ("early_help_worker",)), "EARLY_HELP"
)
INDICATORS = "query ($h: ID!) {{ household(id: $h) {{ welfareNeedsIndicators {{ {fields} }} }} }}"


async def test_the_member_a_needs_indicator_is_about_is_a_subject_of_the_record(
    raw_gateway: Gateway,
) -> None:
    """A needs indicator is an agency's data about one household member ("WELFARE_WORKLESS"
    for her): its record names her, whether or not the client selected ``memberId``, so her
    subject access shows it. Before, only the household was named."""
    cohort = await raw_gateway.execute(
        '{ earlyHelpCohort(localAuthority: "Manchester", minNeeds: 1, first: 10) '
        "{ households { household { id } } } }",
        caller=EARLY_HELP,
    )
    households = [
        h["household"]["id"] for h in cohort.body["data"]["earlyHelpCohort"]["households"]
    ]
    checked = 0
    for household in households:
        named = await raw_gateway.execute(
            INDICATORS.format(fields="memberId code"), {"h": household}, caller=EARLY_HELP
        )
        members = {i["memberId"] for i in named.body["data"]["household"]["welfareNeedsIndicators"]}
        if not members:
            continue
        assert set(await _subjects(raw_gateway, named.body)) == {household, *members}
        unnamed = await raw_gateway.execute(
            INDICATORS.format(fields="code"), {"h": household}, caller=EARLY_HELP
        )
        assert set(await _subjects(raw_gateway, unnamed.body)) == {household, *members}
        checked += 1
    assert checked >= 3, households
