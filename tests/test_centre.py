"""The centre's own subgraph through the gateway: federated search across agencies, and IG
oversight of the audit log (subject access, break-glass review)."""

from __future__ import annotations

from typing import Any

import pytest

from authz.access import Caller
from authz.model import Principal
from mesh.gateway import Gateway
from store import ServerAddress
from store.server import connect

LEAD = Caller(
    Principal("lead-7", "manchester-city-council", ("safeguarding_lead",), name="Sam Example"),
    "SAFEGUARDING",
    "CASE-77",
)
IG = Caller(Principal("ig-1", "manchester-city-council", ("ig_lead",)), "OVERSIGHT")
AMBULANCE_IG = Caller(Principal("ig-2", "nwas", ("ig_lead",)), "OVERSIGHT")
PARAMEDIC = Caller(
    Principal("pm-7", "nwas", ("paramedic",)), "EMERGENCY", None, "collapsed at home"
)

SEARCH = """
query ($nhs: String, $family: String, $dob: Date, $postcode: String) {
  searchPeople(nhsNumber: $nhs, familyName: $family, dateOfBirth: $dob, postcode: $postcode) {
    unavailableAgencies
    results { strength person { id health { familyName } } agencies { agency matchedOn } }
  }
}
"""


async def _identity(address: ServerAddress, agency: str) -> Any:
    conn = await connect(address, agency)
    try:
        return await conn.fetchrow(
            "SELECT c.mesh_id, i.* FROM mesh_identity i JOIN mesh_crosswalk c "
            "ON c.entity = 'Person' AND c.local_id = i.local_id "
            "WHERE i.postcode IS NOT NULL ORDER BY i.local_id LIMIT 1"
        )
    finally:
        await conn.close()


async def test_search_fans_out_and_merges_by_mesh_id(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    row = await _identity(linked, "health")
    before = dict(raw_gateway.transport.requests)
    by_nhs = await raw_gateway.execute(SEARCH, {"nhs": row["nhs_number"]}, caller=LEAD)
    search = by_nhs.body["data"]["searchPeople"]
    assert search["unavailableAgencies"] == []
    top = search["results"][0]
    assert top["person"]["id"] == row["mesh_id"]
    assert top["person"]["health"]["familyName"] == row["family_name"]
    assert "health" in {a["agency"] for a in top["agencies"]}
    after = raw_gateway.transport.requests
    asked = {k for k in after if after[k] > before.get(k, 0)}
    # the centre, every agency's own search, then health for the family name.
    assert {"mesh", "health", "police", "welfare", "education"} <= asked
    assert "index" not in asked  # nothing about a person is looked up at the centre
    by_name = await raw_gateway.execute(
        SEARCH,
        {"family": row["family_name"], "dob": row["date_of_birth"].isoformat()},
        caller=LEAD,
    )
    ids = [r["person"]["id"] for r in by_name.body["data"]["searchPeople"]["results"]]
    assert row["mesh_id"] in ids


async def test_search_needs_enough_to_go_on_and_is_governed(raw_gateway: Gateway) -> None:
    empty = await raw_gateway.execute(SEARCH, {}, caller=LEAD)
    assert empty.body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    landlord = Caller(Principal("h", "one-manchester", ("housing_officer",)), "EARLY_HELP")
    refused = await raw_gateway.execute(SEARCH, {"postcode": "M14 5RT"}, caller=landlord)
    codes = {e["extensions"]["code"] for e in refused.body["errors"]}
    assert codes == {"FORBIDDEN_BY_POLICY"}
    assert refused.body["data"] == {"searchPeople": None}


async def test_subject_access_shows_who_looked_but_not_staff_names(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    row = await _identity(linked, "health")
    person = row["mesh_id"]
    looked = await raw_gateway.execute(
        "query ($id: ID!) { person(id: $id) { health { familyName } } }",
        {"id": person},
        caller=LEAD,
    )
    seq = looked.body["extensions"]["governance"]["auditRecord"]
    query = (
        "query ($id: ID!, $staff: Boolean!) { accessLog(personId: $id, includeStaff: "
        "$staff) { record organisation roles purpose caseReference staff fieldsServed } }"
    )
    report = await raw_gateway.execute(query, {"id": person, "staff": False}, caller=IG)
    events = {e["record"]: e for e in report.body["data"]["accessLog"]}
    assert events[seq]["organisation"] == "manchester-city-council"
    assert events[seq]["purpose"] == "SAFEGUARDING" and events[seq]["staff"] is None
    assert "HealthRecord.familyName" in events[seq]["fieldsServed"]
    with_staff = await raw_gateway.execute(query, {"id": person, "staff": True}, caller=IG)
    staffed = {e["record"]: e for e in with_staff.body["data"]["accessLog"]}
    assert staffed[seq]["staff"] == "Sam Example"
    not_ig = await raw_gateway.execute(query, {"id": person, "staff": False}, caller=LEAD)
    assert not_ig.body["errors"][0]["extensions"]["code"] == "FORBIDDEN_BY_POLICY"


async def test_break_glass_is_listed_then_reviewed(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    row = await _identity(linked, "health")
    granted = await raw_gateway.execute(
        "query ($id: ID!) { person(id: $id) { health { familyName } } }",
        {"id": row["mesh_id"]},
        caller=PARAMEDIC,
    )
    seq = granted.body["extensions"]["governance"]["auditRecord"]
    listing = await raw_gateway.execute(
        "{ breakGlassToReview { record organisation justification } }", caller=AMBULANCE_IG
    )
    pending = {e["record"]: e for e in listing.body["data"]["breakGlassToReview"]}
    assert pending[seq]["justification"] == "collapsed at home"
    reviewed = await raw_gateway.execute(
        'mutation ($r: Int!) { reviewBreakGlass(record: $r, outcome: "justified", '
        'note: "checked with NWAS") { record breakGlass } }',
        {"r": seq},
        caller=AMBULANCE_IG,
    )
    assert reviewed.body["data"]["reviewBreakGlass"] == {"record": seq, "breakGlass": True}
    again = await raw_gateway.execute("{ breakGlassToReview { record } }", caller=AMBULANCE_IG)
    assert seq not in {e["record"] for e in again.body["data"]["breakGlassToReview"]}


COMPLETE = """
query ($nhs: String, $postcode: String) {
  searchPeople(nhsNumber: $nhs, postcode: $postcode) {
    complete unavailableAgencies results { person { id } }
  }
}
"""


async def test_a_search_says_when_people_may_be_missing(
    raw_gateway: Gateway, linked: ServerAddress, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Agencies return at most MAX_MATCHES candidates and the centre at most MAX_RESULTS
    people: an answer cut by either says so (here with the caps lowered to hit them)."""
    import subgraphs.centre.search as centre_search

    row = await _identity(linked, "health")
    whole = await raw_gateway.execute(COMPLETE, {"nhs": row["nhs_number"]}, caller=LEAD)
    search = whole.body["data"]["searchPeople"]
    assert search["results"] and search["complete"] is True

    monkeypatch.setattr(centre_search, "MAX_MATCHES", 1)  # any agency's match fills its cap
    capped = await raw_gateway.execute(COMPLETE, {"nhs": row["nhs_number"]}, caller=LEAD)
    assert capped.body["data"]["searchPeople"]["complete"] is False

    monkeypatch.undo()
    monkeypatch.setattr(centre_search, "MAX_RESULTS", 1)
    busy = await raw_gateway.execute(COMPLETE, {"postcode": row["postcode"]}, caller=LEAD)
    found = busy.body["data"]["searchPeople"]
    assert len(found["results"]) == 1 and found["complete"] is False, found
