"""Search and links disclose only what the caller may see (issue 10, item 2).

That an agency knows a person is that agency's data. Before: a planning analyst could search
by NHS number and read the record; ``Person.links`` told PLANNING and EARLY_HELP users that
someone was known to the police; police answered searches for every purpose but PLANNING, so a
GP got the mesh id of a person known only to police. Now PLANNING gets no person-level search,
and search results, match reasons and links name only agencies the caller may see something
of for the purpose (and, for the opt-out's agencies under PLANNING, only people known not to
have opted out)."""

from __future__ import annotations

from typing import Any

from authz.access import Caller
from authz.model import Principal
from mesh.gateway import Gateway
from store import ServerAddress
from store.server import connect
from subgraphs.registry import known_subgraphs

ANALYST = Caller(Principal("an-2", "QOP", ("analyst",)), "PLANNING")
EARLY_HELP = Caller(Principal("eh-2", "manchester-city-council", ("early_help_worker",)),
                    "EARLY_HELP")  # fmt: skip
GP = Caller(Principal("gp-2", "gp-p84001", ("gp",)), "DIRECT_CARE")
LEAD = Caller(
    Principal("lead-2", "manchester-city-council", ("safeguarding_lead",)),
    "SAFEGUARDING",
    "CASE-2026-020",
)
LINKS = "query ($id: ID!) { person(id: $id) { links { agency records } } }"
SEARCH = """
query ($nhs: String, $family: String, $dob: Date, $postcode: String) {
  searchPeople(nhsNumber: $nhs, familyName: $family, dateOfBirth: $dob, postcode: $postcode) {
    unavailableAgencies
    results { person { id } agencies { agency matchedOn } }
  }
}
"""


async def _people(address: ServerAddress) -> dict[str, list[str]]:
    """Mesh ids by what the index knows of them."""
    index = await connect(address, "index")
    try:
        rows = await index.fetch(
            "SELECT mesh_id, array_agg(DISTINCT agency ORDER BY agency) AS agencies, "
            "bool_or(true) AND (SELECT national_data_opt_out FROM mesh_person p "
            "WHERE p.mesh_id = r.mesh_id) AS opted_out "
            "FROM linked_record r WHERE entity = 'Person' GROUP BY mesh_id ORDER BY mesh_id"
        )
    finally:
        await index.close()
    groups: dict[str, list[str]] = {
        "police_and_health": [
            r["mesh_id"] for r in rows if {"police", "health"} <= set(r["agencies"])
        ],
        "opted_out_health": [
            r["mesh_id"] for r in rows if "health" in r["agencies"] and r["opted_out"] is True
        ],
        "kept_health": [
            r["mesh_id"] for r in rows if "health" in r["agencies"] and r["opted_out"] is False
        ],
    }
    for name, members in groups.items():
        assert members, f"the test population has nobody {name}"
    return groups


async def _only_police_match(address: ServerAddress) -> list[Any]:
    """People whose family name and date of birth as police hold them match no other
    agency's record of them: a search on those finds them only through police."""
    others: set[tuple[str, str, Any]] = set()
    for agency in known_subgraphs():
        if agency in ("police", "index"):
            continue
        conn = await connect(address, agency)
        try:
            rows = await conn.fetch(
                "SELECT c.mesh_id, lower(i.family_name) AS family, i.date_of_birth "
                "FROM mesh_identity i JOIN mesh_crosswalk c ON c.local_id = i.local_id "
                "AND c.entity = 'Person' WHERE i.date_of_birth IS NOT NULL"
            )
        finally:
            await conn.close()
        others.update((r["mesh_id"], r["family"], r["date_of_birth"]) for r in rows)
    police = await connect(address, "police")
    try:
        rows = await police.fetch(
            "SELECT c.mesh_id, i.family_name, i.date_of_birth FROM mesh_identity i JOIN "
            "mesh_crosswalk c ON c.local_id = i.local_id AND c.entity = 'Person' "
            "WHERE i.date_of_birth IS NOT NULL AND i.family_name IS NOT NULL ORDER BY c.mesh_id"
        )
    finally:
        await police.close()
    return [
        r
        for r in rows
        if (r["mesh_id"], r["family_name"].lower(), r["date_of_birth"]) not in others
    ][:10]


def _agencies(body: dict[str, Any]) -> set[str]:
    return {link["agency"] for link in body["data"]["person"]["links"] or ()}


async def test_planning_gets_no_person_level_search(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    health = await connect(linked, "health")
    try:
        row = await health.fetchrow(
            "SELECT nhs_number, family_name, date_of_birth FROM mesh_identity "
            "WHERE nhs_number IS NOT NULL ORDER BY local_id LIMIT 1"
        )
    finally:
        await health.close()
    assert row is not None
    before = dict(raw_gateway.transport.requests)
    for variables in (
        {"nhs": row["nhs_number"]},
        {"family": row["family_name"], "dob": row["date_of_birth"].isoformat()},
    ):
        answer = await raw_gateway.execute(SEARCH, variables, caller=ANALYST)
        assert answer.body["data"] == {"searchPeople": None}, answer.body
        (error,) = answer.body["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN_BY_POLICY"
        assert error["extensions"]["coordinate"] == "Query.searchPeople"
    assert dict(raw_gateway.transport.requests) == before  # nobody was asked


async def test_links_name_only_agencies_the_caller_may_see(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    people = await _people(linked)
    checked = 0
    for mesh_id in people["police_and_health"][:10]:
        everything = await raw_gateway.execute(LINKS, {"id": mesh_id}, caller=LEAD)
        assert {"police", "health"} <= _agencies(everything.body)
        for caller in (EARLY_HELP, ANALYST):
            answer = await raw_gateway.execute(LINKS, {"id": mesh_id}, caller=caller)
            shown = _agencies(answer.body)
            assert "police" not in shown, (caller.purpose, answer.body)
            checked += 1
    assert checked == 20


async def test_planning_links_follow_the_opt_out(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    people = await _people(linked)
    for mesh_id in people["opted_out_health"][:10]:
        answer = await raw_gateway.execute(LINKS, {"id": mesh_id}, caller=ANALYST)
        assert not _agencies(answer.body) & {"health", "adult_social_care"}, answer.body
    for mesh_id in people["kept_health"][:5]:
        answer = await raw_gateway.execute(LINKS, {"id": mesh_id}, caller=ANALYST)
        assert "health" in _agencies(answer.body), answer.body


async def test_search_asks_and_names_only_agencies_the_caller_may_see(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    """Police answer searches for safeguarding only: for anyone else they are not asked, so a
    person only police match is not found, and no result names police."""
    identities = await _only_police_match(linked)
    assert len(identities) >= 3, "the test population has too few people only police match"
    for identity in identities:
        mesh_id = identity["mesh_id"]
        born = identity["date_of_birth"].isoformat()
        variables = {"family": identity["family_name"], "dob": born}
        lead = await raw_gateway.execute(SEARCH, variables, caller=LEAD)
        found = {r["person"]["id"]: r for r in lead.body["data"]["searchPeople"]["results"]}
        assert mesh_id in found, lead.body  # found for a safeguarding case...
        assert "police" in {a["agency"] for a in found[mesh_id]["agencies"]}
        police_asked = raw_gateway.transport.requests["police"]
        for caller in (GP, EARLY_HELP):  # ...but police are not asked for anyone else
            answer = await raw_gateway.execute(SEARCH, variables, caller=caller)
            search = answer.body["data"]["searchPeople"]
            assert mesh_id not in {r["person"]["id"] for r in search["results"]}, caller
            named = {a["agency"] for r in search["results"] for a in r["agencies"] or ()}
            assert "police" not in named and "police" not in search["unavailableAgencies"]
        assert raw_gateway.transport.requests["police"] == police_asked
