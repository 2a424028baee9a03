"""The families view and demand & risk, through the gateway, on real PostgreSQL.

Household needs for a family worker, early-help cohorts, planners' demand tables: governed per
agency (a hidden agency never leaks through a roll-up), recorded, and honest about agencies
that did not answer.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import asyncpg
import orjson
import pytest

from authz.access import Caller
from authz.context_token import ContextSigner, RequestContext
from authz.model import Principal
from mesh.gateway import Gateway
from mesh.gateway.transport import MeshTransport
from store import ServerAddress
from store.server import connect
from subgraphs.centre.needs.disclosure import SMALLEST_RELEASED
from subgraphs.kit.needs.catalogue import all_catalogues
from subgraphs.kit.needs.evaluate import refresh
from subgraphs.kit.needs.outcomes import HeadlineOutcome
from tests.gateway_fixtures import SAFEGUARDING_LEAD

EARLY_HELP = Caller(
    principal=Principal("ehw-1", "bolton-council", ("early_help_worker",)),
    purpose="EARLY_HELP",
)
PLANNER = Caller(principal=Principal("an-1", "QOP", ("analyst",)), purpose="PLANNING")
# Agencies that share indicators for early help under the Supporting Families agreements.
EARLY_HELP_AGENCIES = {
    "education", "childrens_services", "housing", "welfare", "health", "adult_social_care"
}  # fmt: skip
NEEDS = """
query ($id: ID!) { household(id: $id) { id needs {
  identified notVisibleFrom unavailableAgencies
  outcomes { outcome status agencies members { id } asOf evidence { agency indicator } }
} } }
"""
COHORT = """
query ($la: String!, $min: Int!, $needs: [String!], $first: Int!, $after: String) {
  earlyHelpCohort(localAuthority: $la, minNeeds: $min, needs: $needs, first: $first,
                  after: $after) {
    totalCount complete unavailableAgencies notVisibleFrom
    pageInfo { hasNextPage endCursor }
    households { household { id } needs { identified outcomes { outcome status } } }
  }
}
"""
DEMAND = """
query ($groupBy: [String!], $measures: [DemandMeasure!]!, $unit: String!) {
  demand(groupBy: $groupBy, measures: $measures, unit: $unit) {
    unit groupBy measures complete suppressedCells release csv
    rows { group total cells { measure count suppressed } }
    contributions { agency status note }
  }
}
"""


async def run(gateway: Gateway, caller: Caller, query: str, **variables: Any) -> dict[str, Any]:
    response = await gateway.execute(query, variables, caller=caller)
    return response.body


def codes(body: dict[str, Any]) -> set[str]:
    return {e.get("extensions", {}).get("code") for e in body.get("errors", [])}


async def kept_indicators(address: ServerAddress) -> dict[str, list[asyncpg.Record]]:
    """Every agency's kept indicators of people in households, read straight from its store
    (the independent truth; someone in no household is in no household's needs)."""
    found = {}
    for agency in all_catalogues():
        conn = await connect(address, agency)
        try:
            found[agency] = list(
                await conn.fetch(
                    "SELECT * FROM mesh_needs_indicator WHERE household_id IS NOT NULL"
                )
            )
        finally:
            await conn.close()
    return found


def outcome_of(agency: str, code: str) -> str:
    definition = all_catalogues()[agency].indicator(code)
    assert definition is not None
    return definition.outcome.value


@pytest.fixture(scope="module")
async def truth(linked: ServerAddress) -> dict[str, list[asyncpg.Record]]:
    return await kept_indicators(linked)


def households_with(truth: dict[str, list[asyncpg.Record]], agency: str) -> list[str]:
    return sorted({r["household_id"] for r in truth[agency]})


# --- Household.needs ----------------------------------------------------------------------


async def test_a_family_workers_view_counts_only_agencies_shared_for_early_help(
    raw_gateway: Gateway, truth: dict[str, list[asyncpg.Record]]
) -> None:
    per_household: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for agency, rows in truth.items():
        for row in rows:
            per_household[row["household_id"]].add((agency, outcome_of(agency, row["code"])))
    household = max(per_household, key=lambda h: len({o for _, o in per_household[h]}))
    body = await run(raw_gateway, EARLY_HELP, NEEDS, id=household)
    assert "errors" not in body, body
    needs = body["data"]["household"]["needs"]
    assert needs["notVisibleFrom"] == ["police"]
    statuses = {o["outcome"]: o["status"] for o in needs["outcomes"]}
    assert list(statuses) == [o.value for o in HeadlineOutcome]
    visible = {o for a, o in per_household[household] if a in EARLY_HELP_AGENCIES}
    assert {o for o, s in statuses.items() if s == "IDENTIFIED"} == visible
    assert needs["identified"] == len(visible)
    # Crime is evidenced by police alone: hidden from early help, whatever the data.
    assert statuses["CRIME"] == "NOT_VISIBLE"
    for outcome in needs["outcomes"]:
        assert "police" not in outcome["agencies"]
        # a negative check: evidence may be empty, and none of it may be police's
        assert all(e["agency"] != "police" for e in outcome["evidence"])


async def test_households_that_differ_only_in_police_data_get_byte_identical_needs(
    raw_gateway: Gateway, linked: ServerAddress, truth: dict[str, list[asyncpg.Record]]
) -> None:
    household = households_with(truth, "police")[0]
    before = await run(raw_gateway, EARLY_HELP, NEEDS, id=household)
    lead_before = await run(raw_gateway, SAFEGUARDING_LEAD, NEEDS, id=household)
    conn = await connect(linked, "police")
    try:
        await conn.execute("DELETE FROM mesh_needs_indicator WHERE household_id = $1", household)
        after = await run(raw_gateway, EARLY_HELP, NEEDS, id=household)
        lead_after = await run(raw_gateway, SAFEGUARDING_LEAD, NEEDS, id=household)
    finally:
        await refresh(conn, all_catalogues()["police"])
        await conn.close()
    assert "errors" not in before, before
    assert orjson.dumps(before["data"]) == orjson.dumps(after["data"])
    # The test can tell: a safeguarding lead, who may see police indicators, sees the change.
    assert "police" not in lead_before["data"]["household"]["needs"]["notVisibleFrom"]
    assert orjson.dumps(lead_before["data"]) != orjson.dumps(lead_after["data"])


async def test_the_audit_record_shows_the_hidden_agencys_indicators_as_denied(
    raw_gateway: Gateway, linked: ServerAddress, truth: dict[str, list[asyncpg.Record]]
) -> None:
    household = households_with(truth, "education")[0]
    body = await run(raw_gateway, EARLY_HELP, NEEDS, id=household)
    record = body["extensions"]["governance"]["auditRecord"]
    conn = await connect(linked, "governance")
    try:
        row = await conn.fetchrow("SELECT served, denied FROM audit_record WHERE seq = $1", record)
    finally:
        await conn.close()
    assert row is not None
    assert "Household.policeNeedsIndicators" in row["denied"]
    assert "Household.educationNeedsIndicators" in row["served"]


# --- earlyHelpCohort ------------------------------------------------------------------------


def expected_cohort(
    truth: dict[str, list[asyncpg.Record]], authority: str, min_needs: int, required: set[str]
) -> list[str]:
    outcomes: dict[str, set[str]] = defaultdict(set)
    for agency, rows in truth.items():
        if agency not in EARLY_HELP_AGENCIES:
            continue
        for row in rows:
            if row["local_authority"] == authority:
                outcomes[row["household_id"]].add(outcome_of(agency, row["code"]))
    return sorted(h for h, o in outcomes.items() if len(o) >= min_needs and required <= o)


async def test_an_early_help_cohort_is_every_household_with_enough_needs_page_by_page(
    raw_gateway: Gateway, linked: ServerAddress, truth: dict[str, list[asyncpg.Record]]
) -> None:
    expected = expected_cohort(truth, "Manchester", 2, set())
    assert len(expected) > 3, "the test population should give a cohort to page through"
    seen: list[str] = []
    after = None
    for _ in range(len(expected)):
        body = await run(
            raw_gateway, EARLY_HELP, COHORT, la="Manchester", min=2, needs=None, first=2,
            after=after,
        )  # fmt: skip
        assert "errors" not in body, body
        cohort = body["data"]["earlyHelpCohort"]
        assert cohort["totalCount"] == len(expected)
        assert cohort["complete"] is True and cohort["notVisibleFrom"] == ["police"]
        for item in cohort["households"]:
            seen.append(item["household"]["id"])
            assert item["needs"]["identified"] >= 2
        if not cohort["pageInfo"]["hasNextPage"]:
            break
        after = cohort["pageInfo"]["endCursor"]
    assert seen == expected
    conn = await connect(linked, "governance")
    try:
        recorded = await conn.fetch("SELECT households FROM cohort_release WHERE subject='ehw-1'")
    finally:
        await conn.close()
    assert set(expected) <= {h for r in recorded for h in r["households"]}


async def test_a_cohort_can_require_particular_needs(
    raw_gateway: Gateway, truth: dict[str, list[asyncpg.Record]]
) -> None:
    expected = expected_cohort(truth, "Manchester", 1, {"FINANCIAL_STABILITY"})
    body = await run(
        raw_gateway, EARLY_HELP, COHORT, la="Manchester", min=1, needs=["FINANCIAL_STABILITY"],
        first=100, after=None,
    )  # fmt: skip
    assert body["data"]["earlyHelpCohort"]["totalCount"] == len(expected) > 0


@pytest.mark.parametrize(
    ("variables", "says"),
    [
        ({"la": "Gotham"}, "use one of Bolton, Bury, Manchester"),
        ({"needs": ["HAPPINESS"]}, "use any of GOOD_EDUCATION, EARLY_YEARS"),
        ({"min": 0}, "minNeeds must be between 1 and 10"),
        ({"first": 1000}, "first must be between 1 and 100"),
        ({"after": "bm9wZQ"}, "not a cursor this API gave out"),
    ],
)
async def test_bad_cohort_input_is_a_clear_error(
    raw_gateway: Gateway, variables: dict[str, Any], says: str
) -> None:
    values = {"la": "Bolton", "min": 3, "needs": None, "first": 10, "after": None, **variables}
    body = await run(raw_gateway, EARLY_HELP, COHORT, **values)
    assert codes(body) == {"BAD_USER_INPUT"}
    assert says in body["errors"][0]["message"]


async def test_a_cursor_from_another_cohort_is_refused(raw_gateway: Gateway) -> None:
    first = await run(
        raw_gateway, EARLY_HELP, COHORT, la="Manchester", min=1, needs=None, first=1, after=None
    )
    cursor = first["data"]["earlyHelpCohort"]["pageInfo"]["endCursor"]
    body = await run(
        raw_gateway, EARLY_HELP, COHORT, la="Bolton", min=1, needs=None, first=1, after=cursor
    )
    assert "a different cohort query" in body["errors"][0]["message"]


async def test_a_planner_may_not_list_a_cohort(raw_gateway: Gateway) -> None:
    body = await run(
        raw_gateway, PLANNER, COHORT, la="Bolton", min=3, needs=None, first=5, after=None
    )
    assert codes(body) == {"FORBIDDEN_BY_POLICY"}
    assert body["data"]["earlyHelpCohort"] is None


async def test_an_agency_down_during_a_cohort_is_named_and_the_cohort_marked_incomplete(
    raw_gateway: Gateway, truth: dict[str, list[asyncpg.Record]]
) -> None:
    centre = raw_gateway.transport.local["mesh"]
    forward = centre.forward  # type: ignore[attr-defined]
    urls = {**raw_gateway.transport.urls, "education": "http://127.0.0.1:19599/graphql"}
    broken = MeshTransport(urls, default_timeout=2.0)
    centre.forward = broken.post  # type: ignore[attr-defined]
    try:
        body = await run(
            raw_gateway, EARLY_HELP, COHORT, la="Manchester", min=1, needs=None, first=5,
            after=None,
        )  # fmt: skip
    finally:
        centre.forward = forward  # type: ignore[attr-defined]
        await broken.aclose()
    cohort = body["data"]["earlyHelpCohort"]
    assert cohort["complete"] is False
    assert cohort["unavailableAgencies"] == ["education"]
    statuses = {
        o["outcome"]: o["status"] for h in cohort["households"] for o in h["needs"]["outcomes"]
    }
    assert statuses["GOOD_EDUCATION"] in ("UNAVAILABLE", "IDENTIFIED")


# --- demand ---------------------------------------------------------------------------------


async def test_a_planners_table_releases_only_controlled_counts_and_is_recorded(
    raw_gateway: Gateway, linked: ServerAddress
) -> None:
    measures = [{"minNeeds": 1}, {"minNeeds": 3}, {"need": "FINANCIAL_STABILITY"},
                {"minAgencies": 2}]  # fmt: skip
    body = await run(
        raw_gateway, PLANNER, DEMAND, groupBy=["LOCAL_AUTHORITY", "HOUSEHOLD_SIZE"],
        measures=measures, unit="HOUSEHOLDS",
    )  # fmt: skip
    assert "errors" not in body, body
    table = body["data"]["demand"]
    counts = [c["count"] for r in table["rows"] for c in r["cells"]]
    assert any(c for c in counts if c)
    for count in counts:
        assert count is None or count == 0 or (count >= SMALLEST_RELEASED and count % 5 == 0)
    assert table["suppressedCells"] == sum(1 for c in counts if c is None) > 0
    status = {c["agency"]: c for c in table["contributions"]}
    assert status["police"]["status"] == "REFUSED"
    assert "police does not share data for PLANNING" in status["police"]["note"]
    assert status["health"]["status"] == "INCLUDED" and "opt-out" in status["health"]["note"]
    assert status["education"]["status"] == "INCLUDED"
    assert table["complete"] is True
    assert table["csv"].splitlines()[0] == (
        "local_authority,household_size,minNeeds:1,minNeeds:3,need:FINANCIAL_STABILITY,"
        "minAgencies:2"
    )
    conn = await connect(linked, "governance")
    try:
        release = await conn.fetchrow(
            "SELECT query, cells, suppressed FROM statistical_release WHERE release_id = $1",
            table["release"],
        )
    finally:
        await conn.close()
    assert release is not None
    assert json.loads(release["query"])["groupBy"] == ["LOCAL_AUTHORITY", "HOUSEHOLD_SIZE"]
    recorded = json.loads(release["cells"])
    assert [c[-1] for c in recorded] == counts
    assert release["suppressed"] == table["suppressedCells"]


async def test_the_opt_out_removes_health_contributions_of_people_not_known_to_have_stayed_in(
    raw_gateway: Gateway, linked: ServerAddress, truth: dict[str, list[asyncpg.Record]]
) -> None:
    index = await connect(linked, "index")
    try:
        stayed_in = {
            r["mesh_id"]
            for r in await index.fetch(
                "SELECT mesh_id FROM mesh_person WHERE national_data_opt_out IS FALSE"
            )
        }
    finally:
        await index.close()
    rows = [r for r in truth["health"] if r["code"] == "HEALTH_MENTAL_HEALTH_CONTACT"]
    counted = {r["household_id"] for r in rows if r["person_id"] in stayed_in}
    everyone = {r["household_id"] for r in rows}
    assert counted < everyone, "the test population should have opted-out patients"
    body = await run(
        raw_gateway, PLANNER, DEMAND, groupBy=[],
        measures=[{"indicator": "HEALTH_MENTAL_HEALTH_CONTACT"}], unit="HOUSEHOLDS",
    )  # fmt: skip
    total = body["data"]["demand"]["rows"][0]["cells"][0]["count"]
    assert total == 5 * ((len(counted) + 2) // 5)


@pytest.mark.parametrize(
    ("variables", "says"),
    [
        ({"groupBy": ["POSTCODE"]}, "use any of LOCAL_AUTHORITY, HOUSEHOLD_SIZE, AGE_BAND"),
        ({"groupBy": ["AGE_BAND"]}, 'AGE_BAND groups people: ask with unit: "PEOPLE"'),
        ({"unit": "CATS"}, "use HOUSEHOLDS or PEOPLE"),
        ({"measures": [{"need": "HAPPINESS"}]}, "use any of GOOD_EDUCATION"),
        ({"measures": [{"indicator": "NOPE"}]}, "unknown indicator 'NOPE'; use one of"),
        ({"measures": [{"minNeeds": 2, "need": "CRIME"}]}, "exactly one of need, minNeeds"),
    ],
)
async def test_bad_demand_input_is_a_clear_error(
    raw_gateway: Gateway, variables: dict[str, Any], says: str
) -> None:
    values = {"groupBy": ["LOCAL_AUTHORITY"], "measures": [{"minNeeds": 3}],
              "unit": "HOUSEHOLDS", **variables}  # fmt: skip
    body = await run(raw_gateway, PLANNER, DEMAND, **values)
    assert codes(body) == {"BAD_USER_INPUT"}, body
    assert says in body["errors"][0]["message"]


async def test_people_by_age_band(raw_gateway: Gateway) -> None:
    body = await run(
        raw_gateway, PLANNER, DEMAND, groupBy=["AGE_BAND"], measures=[{"need": "GOOD_EDUCATION"}],
        unit="PEOPLE",
    )  # fmt: skip
    assert "errors" not in body, body
    groups = [r["group"][0] for r in body["data"]["demand"]["rows"]]
    assert groups[:3] == ["0-4", "5-10", "11-15"] and groups[-1] == "All"


async def test_an_agency_down_during_an_aggregate_marks_it_incomplete(
    raw_gateway: Gateway,
) -> None:
    centre = raw_gateway.transport.local["mesh"]
    forward = centre.forward  # type: ignore[attr-defined]
    urls = {**raw_gateway.transport.urls, "welfare": "http://127.0.0.1:19598/graphql"}
    broken = MeshTransport(urls, default_timeout=2.0)
    centre.forward = broken.post  # type: ignore[attr-defined]
    try:
        body = await run(
            raw_gateway, PLANNER, DEMAND, groupBy=["LOCAL_AUTHORITY"],
            measures=[{"minNeeds": 1}], unit="HOUSEHOLDS",
        )  # fmt: skip
    finally:
        centre.forward = forward  # type: ignore[attr-defined]
        await broken.aclose()
    table = body["data"]["demand"]
    assert table["complete"] is False
    status = {c["agency"]: c["status"] for c in table["contributions"]}
    assert status["welfare"] == "UNAVAILABLE"


async def test_an_early_help_worker_gets_no_statistics(raw_gateway: Gateway) -> None:
    body = await run(
        raw_gateway, EARLY_HELP, DEMAND, groupBy=["LOCAL_AUTHORITY"], measures=[{"minNeeds": 3}],
        unit="HOUSEHOLDS",
    )  # fmt: skip
    assert codes(body) == {"FORBIDDEN_BY_POLICY"}


# --- the agencies keep control --------------------------------------------------------------

SCAN = '{ educationNeedsScan(localAuthority: "Bolton") { agency rows tsv } }'


Signed = Callable[[str, bytes], dict[str, str]]


async def post_to(
    urls: dict[str, str], agency: str, query: str, context: Signed
) -> tuple[int, dict[str, Any]]:
    """POST as the gateway would: the context signed for this subgraph and this body."""
    import httpx

    url, body = urls[agency], orjson.dumps({"query": query})
    headers = {**context(agency, body), "content-type": "application/json"}
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(url, content=body, headers=headers)
    return response.status_code, response.json()


def signed(signer: ContextSigner, caller: Caller, reads: frozenset[str] = frozenset()) -> Signed:
    context = RequestContext(caller.access_request(), str(uuid.uuid4()), (), False, reads=reads)
    return lambda audience, body: signer.sign(context, audience, body)


async def test_an_agency_serves_its_scan_only_when_the_gateway_allowed_the_read(
    subgraph_urls: dict[str, str], gateway_keys: ContextSigner
) -> None:
    _, refused = await post_to(subgraph_urls, "education", SCAN, signed(gateway_keys, EARLY_HELP))
    assert codes(refused) == {"FORBIDDEN_BY_POLICY"}
    assert refused["data"] is None
    _, served = await post_to(
        subgraph_urls,
        "education",
        SCAN,
        signed(gateway_keys, EARLY_HELP, frozenset({"Household.educationNeedsIndicators"})),
    )
    assert "errors" not in served, served
    scan = served["data"]["educationNeedsScan"]
    assert scan["agency"] == "education"
    lines = scan["tsv"].split("\n")
    assert scan["rows"] == len(lines) > 0
    assert all(line.startswith("mh_") and "\tmp_" in line for line in lines)


async def test_police_refuses_planning_whatever_the_context_says(
    subgraph_urls: dict[str, str], gateway_keys: ContextSigner
) -> None:
    query = "{ policeNeedsScan { rows } }"
    status, body = await post_to(
        subgraph_urls,
        "police",
        query,
        signed(gateway_keys, PLANNER, frozenset({"Query.policeNeedsScan"})),
    )
    assert status == 403 and codes(body) == {"FORBIDDEN_BY_AGENCY"}
