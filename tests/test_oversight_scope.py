"""IG oversight is scoped (issue 10, item 4): an IG lead reads the accesses their own
organisation's staff made and every access to data their organisation provides — not another
organisation's staff looking at another organisation's data. Staff identity and justifications
are ``@sensitive`` (staff) and the access record ``@sensitive`` (audit): decided by the
agreements like any other field, for the OVERSIGHT purpose only.

Before: any organisation's ``ig_lead`` read every organisation's audit — staff identities,
justifications and subjects — through auditSearch, breakGlassToReview and accessLog."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from authz.access import Caller
from authz.model import Principal
from mesh.gateway import Gateway
from store import ServerAddress
from store.server import connect

LEAD = Caller(
    Principal("lead-4", "manchester-city-council", ("safeguarding_lead",), name="Lee Ead"),
    "SAFEGUARDING",
    "CASE-2026-044",
)
GP = Caller(Principal("gp-4", "gp-p84001", ("gp",), name="Dr Gee"), "DIRECT_CARE")
PARAMEDIC = Caller(
    Principal("pm-4", "nwas", ("paramedic",), name="Pat Medic"),
    "EMERGENCY",
    None,
    "collapsed in the street, no history",
)
SEARCH = """
query ($id: ID!, $since: DateTime!) {
  auditSearch(personId: $id, since: $since) { record organisation subject justification }
}
"""


def ig(organisation: str, purpose: str = "OVERSIGHT") -> Caller:
    return Caller(Principal(f"ig-{organisation}", organisation, ("ig_lead",)), purpose)


async def _two_people(address: ServerAddress) -> tuple[str, str]:
    conn = await connect(address, "police")
    try:
        ids = await conn.fetch(
            "SELECT mesh_id FROM mesh_crosswalk WHERE entity = 'Person' ORDER BY mesh_id LIMIT 2"
        )
    finally:
        await conn.close()
    return str(ids[0]["mesh_id"]), str(ids[1]["mesh_id"])


@pytest.fixture()
async def accesses(raw_gateway: Gateway, linked: ServerAddress) -> dict[str, Any]:
    """Three accesses: a council lead reads police data about P, a GP reads health data about
    Q, a paramedic breaks glass on Q's health record."""
    since = datetime.now(UTC).isoformat()
    person, other = await _two_people(linked)
    police = "query ($id: ID!) { person(id: $id) { police { incidents { role } } } }"
    health = "query ($id: ID!) { person(id: $id) { health { familyName } } }"
    seqs = {}
    for name, caller, query, subject in (
        ("council_reads_police", LEAD, police, person),
        ("gp_reads_health", GP, health, other),
        ("paramedic_breaks_glass", PARAMEDIC, health, other),
    ):
        answer = await raw_gateway.execute(query, {"id": subject}, caller=caller)
        seqs[name] = answer.body["extensions"]["governance"]["auditRecord"]
    return {"since": since, "person": person, "other": other, **seqs}


async def _visible(gateway: Gateway, caller: Caller, accesses: dict[str, Any]) -> set[str]:
    """Which of the three accesses this caller's auditSearch shows."""
    shown: set[int] = set()
    for person in (accesses["person"], accesses["other"]):
        answer = await gateway.execute(
            SEARCH, {"id": person, "since": accesses["since"]}, caller=caller
        )
        assert "errors" not in answer.body, answer.body
        shown |= {e["record"] for e in answer.body["data"]["auditSearch"]}
    names = ("council_reads_police", "gp_reads_health", "paramedic_breaks_glass")
    return {name for name in names if accesses[name] in shown}


@pytest.mark.parametrize(
    ("organisation", "expected"),
    [
        # its own staff's access (council) — and nothing the council does not provide
        ("manchester-city-council", {"council_reads_police"}),
        ("gmp", {"council_reads_police"}),  # the police provide the data read
        ("QOP", {"gp_reads_health", "paramedic_breaks_glass"}),  # health's provider
        ("gp-p84001", {"gp_reads_health"}),  # its own GP
        ("nwas", {"paramedic_breaks_glass"}),  # its own paramedic
        ("acme-assurance", set()),  # a made-up organisation sees nothing
    ],
)
async def test_an_ig_lead_sees_their_staff_and_the_data_their_organisation_provides(
    raw_gateway: Gateway, accesses: dict[str, Any], organisation: str, expected: set[str]
) -> None:
    assert await _visible(raw_gateway, ig(organisation), accesses) == expected


async def test_break_glass_review_is_scoped_too(
    raw_gateway: Gateway, accesses: dict[str, Any]
) -> None:
    seq = accesses["paramedic_breaks_glass"]
    listing = "{ breakGlassToReview { record justification subject } }"
    for organisation, sees in (("nwas", True), ("QOP", True), ("manchester-city-council", False)):
        answer = await raw_gateway.execute(listing, caller=ig(organisation))
        pending = {e["record"]: e for e in answer.body["data"]["breakGlassToReview"]}
        assert (seq in pending) is sees, organisation
    review = 'mutation ($r: Int!) { reviewBreakGlass(record: $r, outcome: "justified") { record } }'
    refused = await raw_gateway.execute(review, {"r": seq}, caller=ig("acme-assurance"))
    assert refused.body["errors"][0]["message"] == f"no audit record {seq}", refused.body
    done = await raw_gateway.execute(review, {"r": seq}, caller=ig("nwas"))
    assert done.body["data"]["reviewBreakGlass"] == {"record": seq}, done.body


async def test_subject_access_is_scoped_and_staff_names_only_on_request(
    raw_gateway: Gateway, accesses: dict[str, Any]
) -> None:
    query = (
        "query ($id: ID!, $staff: Boolean!) { accessLog(personId: $id, includeStaff: $staff) "
        "{ record organisation staff } }"
    )
    seq = accesses["gp_reads_health"]
    for organisation, staff, expected in (
        ("gp-p84001", False, None),
        ("gp-p84001", True, "Dr Gee"),
        ("acme-assurance", True, "absent"),
    ):
        answer = await raw_gateway.execute(
            query, {"id": accesses["other"], "staff": staff}, caller=ig(organisation)
        )
        events = {e["record"]: e for e in answer.body["data"]["accessLog"]}
        if expected == "absent":
            assert seq not in events
        else:
            assert events[seq]["staff"] == expected


async def test_the_access_record_is_decided_like_any_other_field(
    raw_gateway: Gateway, accesses: dict[str, Any]
) -> None:
    """Audit and staff data are shared for OVERSIGHT only: an IG lead asking under another
    purpose, or anyone without an IG role, is refused field by field."""
    variables = {"id": accesses["person"], "since": accesses["since"]}
    for caller in (ig("manchester-city-council", "SAFEGUARDING"), LEAD):
        answer = await raw_gateway.execute(SEARCH, variables, caller=caller)
        assert answer.body["data"] == {"auditSearch": None}, answer.body
        (error,) = answer.body["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN_BY_POLICY"
        assert error["extensions"]["coordinate"] == "Query.auditSearch"
