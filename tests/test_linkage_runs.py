"""Linkage runs on real PostgreSQL, in stores of their own (they change agency data): deltas,
people moving house, mesh ids that never change for the unaffected, and bad input that changes
nothing (tokens made with another key, a model from another key, a run failing half-way)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from devtools.seed import seed
from linkage.delta import link_delta
from linkage.exchange import LinkRefused, LinkReport, link_all, refresh_households_and_needs
from linkage.index_side.incremental import touching_query
from linkage.index_side.model import ModelError
from linkage.index_side.probabilistic import SplinkClusterer
from linkage.index_side.store import DELTA_INDEXES, KEY_COLUMNS
from linkage.key import key_check
from store import ServerAddress
from store.migrate import migrate_all
from store.server import connect
from subgraphs.registry import AGENCIES
from tests.conftest import LINKAGE_TEST_KEY

PEOPLE = 900
TODAY = date(2025, 4, 1)  # after every confirmation in the synthetic extract

Crosswalks = dict[tuple[str, str, str], str]  # (agency, entity, local id) -> mesh id


@pytest.fixture(scope="module")
def stores(
    pg_address: ServerAddress, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerAddress, Path]]:
    """Stores of this module's own (prefix test_lkrun_), seeded, and a model path."""
    address = ServerAddress(pg_address.server_dsn, "test_lkrun_")
    asyncio.run(migrate_all(address))
    asyncio.run(seed(address, PEOPLE, 3, reset=True))
    yield address, tmp_path_factory.mktemp("model") / "linkage-model.json"


def clusterer(model: Path, key: bytes = LINKAGE_TEST_KEY) -> SplinkClusterer:
    return SplinkClusterer(model, key_check(key))


def full(stores: tuple[ServerAddress, Path], **kwargs: object) -> LinkReport:
    address, model = stores
    return asyncio.run(
        link_all(address, LINKAGE_TEST_KEY, None, clusterer(model), workers=1, **kwargs)  # type: ignore[arg-type]
    )


def delta(stores: tuple[ServerAddress, Path]) -> LinkReport:
    address, model = stores
    return asyncio.run(link_delta(address, LINKAGE_TEST_KEY, None, clusterer(model), workers=1))


def sql(address: ServerAddress, store: str, query: str, *args: object) -> list[dict[str, object]]:
    async def run() -> list[dict[str, object]]:
        conn = await connect(address, store)
        try:
            return [dict(r) for r in await conn.fetch(query, *args)]
        finally:
            await conn.close()

    return asyncio.run(run())


def crosswalks(address: ServerAddress) -> Crosswalks:
    query = "SELECT entity, local_id, mesh_id FROM mesh_crosswalk"
    return {
        (agency, str(r["entity"]), str(r["local_id"])): str(r["mesh_id"])
        for agency in AGENCIES
        for r in sql(address, agency, query)
    }


def index_state(address: ServerAddress) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: [tuple(r.values()) for r in sql(address, "index", query)]
        for table, query in {
            "linked_record": "SELECT agency, record_ref, mesh_id FROM linked_record ORDER BY 1, 2",
            "mesh_person": "SELECT mesh_id, household_id, national_data_opt_out FROM mesh_person "
            "ORDER BY 1",
            "mesh_household": "SELECT mesh_id, address_token FROM mesh_household ORDER BY 1",
        }.items()
    }


def household_of(address: ServerAddress, agency: str, local_id: str) -> str | None:
    mesh_id = crosswalks(address)[(agency, "Person", local_id)]
    rows = sql(address, "index", "SELECT household_id FROM mesh_person WHERE mesh_id = $1", mesh_id)
    return str(rows[0]["household_id"]) if rows[0]["household_id"] else None


def test_a_run_links_everyone_and_a_second_run_keeps_every_mesh_id(
    stores: tuple[ServerAddress, Path],
) -> None:
    address, _ = stores
    first = full(stores)
    before = crosswalks(address)
    second = full(stores)
    assert crosswalks(address) == before
    assert second.kept_person_ids == second.persons == first.persons
    assert second.kept_household_ids == second.households
    people = sum(len(sql(address, a, "SELECT 1 FROM mesh_identity")) for a in AGENCIES)
    assert sum(1 for k in before if k[1] == "Person") == people


def test_a_whole_run_builds_the_delta_indexes_after_its_commit_and_deltas_use_them(
    stores: tuple[ServerAddress, Path],
) -> None:
    address, _ = stores
    report = full(stores)
    assert "delta indexes" in report.side_seconds
    present = {
        str(r["indexname"])
        for r in sql(address, "index", "SELECT indexname FROM pg_indexes "
                     "WHERE tablename = 'linked_record'")
    }  # fmt: skip
    assert set(DELTA_INDEXES) <= present
    row = sql(address, "index", "SELECT * FROM linked_record WHERE nhs IS NOT NULL LIMIT 1")[0]
    keys = {kind: [int(str(row[kind]))] for kind in KEY_COLUMNS if row[kind] is not None}
    uprn = row["uprn"]
    query, args = touching_query(keys, [uprn] if isinstance(uprn, bytes) else [])

    async def plan() -> str:
        conn = await connect(address, "index")
        try:
            await conn.execute("SET enable_seqscan = off")
            lines = await conn.fetch(f"EXPLAIN {query}", *args)
            found = await conn.fetch(query, *args)
        finally:
            await conn.close()
        assert row["mesh_id"] in {r["mesh_id"] for r in found}
        return "\n".join(str(r[0]) for r in lines)

    explained = asyncio.run(plan())
    assert "linked_record_delta_nhs" in explained
    assert "Seq Scan" not in explained


def test_nothing_changed_means_a_delta_changes_nothing(
    stores: tuple[ServerAddress, Path],
) -> None:
    address, _ = stores
    full(stores)
    before = index_state(address), crosswalks(address)
    report = delta(stores)
    assert report.total_records == 0 and not report.run_id
    assert (index_state(address), crosswalks(address)) == before


def _two_households(address: ServerAddress) -> tuple[dict[str, object], dict[str, object]]:
    """A health patient in a household of several (the mover), and a patient elsewhere."""
    rows = sql(
        address,
        "health",
        "SELECT patient_id::text AS local_id, uprn, address_line, postcode FROM patient "
        "WHERE uprn IN (SELECT uprn FROM patient WHERE uprn IS NOT NULL "
        "GROUP BY uprn HAVING count(*) >= 3) ORDER BY patient_id LIMIT 2",
    )
    mover = rows[0]
    target = sql(
        address,
        "health",
        "SELECT patient_id::text AS local_id, uprn, address_line, postcode FROM patient "
        "WHERE uprn IS NOT NULL AND uprn <> $1 ORDER BY patient_id DESC LIMIT 1",
        mover["uprn"],
    )[0]
    return mover, target


def _move(address: ServerAddress, patient: str, to: dict[str, object], on: date) -> None:
    sql(
        address,
        "health",
        "UPDATE patient SET uprn = $2, address_line = $3, postcode = $4, "
        "address_confirmed_on = $5 WHERE patient_id::text = $1",
        patient, to["uprn"], to["address_line"], to["postcode"], on,
    )  # fmt: skip


def test_a_person_who_moves_moves_household_and_no_one_else_changes(
    stores: tuple[ServerAddress, Path],
) -> None:
    address, _ = stores
    full(stores)
    mover, target = _two_households(address)
    left_behind = sql(
        address,
        "health",
        "SELECT patient_id::text AS local_id FROM patient WHERE uprn = $1 "
        "AND patient_id::text <> $2 ORDER BY patient_id LIMIT 1",
        mover["uprn"], mover["local_id"],
    )[0]["local_id"]  # fmt: skip
    old_home = household_of(address, "health", str(mover["local_id"]))
    new_home = household_of(address, "health", str(target["local_id"]))
    assert old_home and new_home and old_home != new_home
    before = crosswalks(address)

    _move(address, str(mover["local_id"]), target, TODAY)
    report = delta(stores)

    assert report.records["health"] == 1 and report.total_records == 1
    assert household_of(address, "health", str(mover["local_id"])) == new_home
    assert household_of(address, "health", str(target["local_id"])) == new_home
    assert household_of(address, "health", str(left_behind)) == old_home
    after = crosswalks(address)
    assert after == before  # nobody's mesh id changed, the mover's neither
    # A whole run agrees with the delta.
    full(stores)
    assert household_of(address, "health", str(mover["local_id"])) == new_home
    assert crosswalks(address) == before


def test_a_delta_links_new_records_and_withdraws_deleted_ones(
    stores: tuple[ServerAddress, Path],
) -> None:
    address, _ = stores
    full(stores)
    before = crosswalks(address)
    # A person health knows is now known to the police (a new nominal, name in capitals).
    patient = sql(
        address,
        "health",
        "SELECT patient_id::text AS local_id, given_name, family_name, date_of_birth, sex, "
        "address_line, postcode, uprn, address_confirmed_on FROM patient "
        "ORDER BY patient_id LIMIT 1 OFFSET 7",
    )[0]
    sql(
        address,
        "police",
        "INSERT INTO nominal (nominal_ref, given_name, family_name, date_of_birth, sex, "
        "address_line, postcode, uprn, address_confirmed_on) "
        "VALUES ('GMP-N9999999', $1, upper($2), $3, $4, $5, $6, $7, $8)",
        *[patient[c] for c in ("given_name", "family_name", "date_of_birth", "sex",
                               "address_line", "postcode", "uprn", "address_confirmed_on")],
    )  # fmt: skip
    # And the school has removed a pupil's record.
    pupil = sql(
        address,
        "education",
        "SELECT upn FROM pupil WHERE upn NOT IN (SELECT upn FROM enrolment) "
        "AND upn NOT IN (SELECT upn FROM attendance) AND upn NOT IN (SELECT upn FROM exclusion) "
        "ORDER BY upn LIMIT 1",
    )
    if pupil:
        sql(address, "education", "DELETE FROM pupil WHERE upn = $1", pupil[0]["upn"])

    report = delta(stores)
    after = crosswalks(address)
    assert report.records["police"] == 1
    patient_id = before[("health", "Person", str(patient["local_id"]))]
    assert after[("police", "Person", "GMP-N9999999")] == patient_id
    if pupil:
        assert report.withdrawn["education"] == 1
        assert ("education", "Person", pupil[0]["upn"]) not in after
    unchanged = {k: v for k, v in before.items() if not pupil or k[2] != pupil[0]["upn"]}
    assert {k: after[k] for k in unchanged} == unchanged
    held = sql(address, "index", "SELECT count(*) AS n FROM linked_record")[0]["n"]
    assert held == sum(1 for k in after if k[1] == "Person")
    # The run's totals, kept by arithmetic, are the counts.
    run, counted = sql(
        address,
        "index",
        "SELECT (SELECT ROW(records, persons, households)::text FROM linkage_run "
        "ORDER BY run_id DESC LIMIT 1) AS run, ROW((SELECT count(*) FROM linked_record), "
        "(SELECT count(*) FROM mesh_person), (SELECT count(*) FROM mesh_household))::text "
        "AS counted",
    )[0].values()
    assert run == counted


def test_an_opt_out_after_linkage_reaches_the_index_with_a_delta(
    stores: tuple[ServerAddress, Path],
) -> None:
    address, _ = stores
    full(stores)
    patient = sql(
        address,
        "health",
        "SELECT patient_id::text AS local_id FROM patient WHERE NOT national_data_opt_out "
        "ORDER BY patient_id LIMIT 1 OFFSET 3",
    )[0]["local_id"]
    mesh_id = crosswalks(address)[("health", "Person", str(patient))]
    opt_out = "SELECT national_data_opt_out AS v FROM mesh_person WHERE mesh_id = $1"
    assert sql(address, "index", opt_out, mesh_id)[0]["v"] is False
    sql(
        address,
        "health",
        "UPDATE patient SET national_data_opt_out = true WHERE patient_id::text = $1",
        patient,
    )
    delta(stores)
    assert sql(address, "index", opt_out, mesh_id)[0]["v"] is True
    sql(
        address,
        "health",
        "UPDATE patient SET national_data_opt_out = false WHERE patient_id::text = $1",
        patient,
    )
    delta(stores)
    assert sql(address, "index", opt_out, mesh_id)[0]["v"] is False


def test_an_opt_out_changed_back_reaches_the_index_with_a_delta_that_relinks(
    stores: tuple[ServerAddress, Path],
) -> None:
    """A delta republishes the opt-outs unless the publication is the one the index holds:
    opted out by a delta without identity changes, then back in with one that re-links
    someone else, the patient's opt-out follows both times."""
    address, _ = stores
    full(stores)
    patient, other = (
        str(r["local_id"])
        for r in sql(
            address,
            "health",
            "SELECT patient_id::text AS local_id FROM patient WHERE NOT national_data_opt_out "
            "ORDER BY patient_id LIMIT 2 OFFSET 5",
        )
    )
    mesh_id = crosswalks(address)[("health", "Person", patient)]
    opt_out = "SELECT national_data_opt_out AS v FROM mesh_person WHERE mesh_id = $1"
    opt = "UPDATE patient SET national_data_opt_out = $2 WHERE patient_id::text = $1"
    sql(address, "health", opt, patient, True)
    assert delta(stores).total_records == 0
    assert sql(address, "index", opt_out, mesh_id)[0]["v"] is True
    sql(address, "health", opt, patient, False)  # the publication of the last run again
    sql(
        address,
        "health",
        "UPDATE patient SET address_confirmed_on = $2 WHERE patient_id::text = $1",
        other,
        TODAY,
    )
    report = delta(stores)
    assert report.records["health"] == 1 and report.run_id
    assert sql(address, "index", opt_out, mesh_id)[0]["v"] is False


def test_an_agency_using_another_key_is_refused_and_nothing_changes(
    stores: tuple[ServerAddress, Path],
) -> None:
    address, model = stores
    full(stores)
    before = index_state(address), crosswalks(address)
    keys = {agency: LINKAGE_TEST_KEY for agency in AGENCIES}
    keys["police"] = b"police were given another key!!!"
    with pytest.raises(LinkRefused, match="police submitted tokens made with another linkage key"):
        asyncio.run(
            link_all(address, LINKAGE_TEST_KEY, None, clusterer(model), keys=keys, workers=1)
        )
    with pytest.raises(LinkRefused, match="police submitted tokens made with another linkage key"):
        asyncio.run(
            link_delta(address, LINKAGE_TEST_KEY, None, clusterer(model), keys=keys, workers=1)
        )
    assert (index_state(address), crosswalks(address)) == before


def test_a_failed_run_that_trained_a_model_does_not_keep_it(
    stores: tuple[ServerAddress, Path], tmp_path: Path
) -> None:
    address, _ = stores
    fresh = tmp_path / "model.json"

    def fail(step: str, _count: int) -> None:
        if step == "store":
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        asyncio.run(link_all(address, LINKAGE_TEST_KEY, fail, clusterer(fresh), workers=1))
    assert not fresh.exists()


def test_a_model_from_another_key_is_refused_and_nothing_changes(
    stores: tuple[ServerAddress, Path],
) -> None:
    address, model = stores
    full(stores)
    before = index_state(address), crosswalks(address)
    other = clusterer(model, b"a key of another deployment!!!!!")
    with pytest.raises(ModelError, match="another linkage key"):
        asyncio.run(link_all(address, LINKAGE_TEST_KEY, None, other, workers=1))
    assert (index_state(address), crosswalks(address)) == before


@pytest.mark.parametrize("phase", ["store", "crosswalk housing", "crosswalk welfare"])
def test_a_run_failing_half_way_leaves_mesh_ids_and_crosswalks_as_they_were(
    stores: tuple[ServerAddress, Path], phase: str
) -> None:
    address, model = stores
    full(stores)
    mover, target = _two_households(address)
    _move(address, str(mover["local_id"]), target, TODAY)  # so a new run would change things
    before = index_state(address), crosswalks(address)

    def fail(step: str, _count: int) -> None:
        if step == phase:
            raise RuntimeError(f"disk full while writing {step}")

    with pytest.raises(RuntimeError, match="disk full"):
        asyncio.run(link_all(address, LINKAGE_TEST_KEY, fail, clusterer(model), workers=1))
    assert (index_state(address), crosswalks(address)) == before
    with pytest.raises(RuntimeError, match="disk full"):
        asyncio.run(link_delta(address, LINKAGE_TEST_KEY, fail, clusterer(model), workers=1))
    assert (index_state(address), crosswalks(address)) == before
    delta(stores)  # and a run that succeeds afterwards applies the change
    assert household_of(address, "health", str(mover["local_id"])) == household_of(
        address, "health", str(target["local_id"])
    )


def _derived(address: ServerAddress) -> dict[str, tuple[list[tuple[object, ...]], ...]]:
    """Each agency's households of its people, needs indicators and their count."""
    return {
        agency: (
            sorted(tuple(r.values()) for r in sql(address, agency,
                   "SELECT mesh_id, household_id FROM mesh_household_member")),
            sorted(tuple(r.values()) for r in sql(address, agency,
                   "SELECT household_id, person_id, code, as_of, local_authority, age_band "
                   "FROM mesh_needs_indicator")),
            [tuple(r.values()) for r in sql(address, agency,
             "SELECT catalogue, as_of, indicators FROM mesh_needs_evaluation")],
        )
        for agency in AGENCIES
    }  # fmt: skip


def test_a_delta_re_evaluates_the_needs_of_the_households_it_touched_only(
    stores: tuple[ServerAddress, Path],
) -> None:
    """A mover with needs indicators moves household: the delta re-evaluates the indicators of
    the people it re-linked or re-housed and keeps everyone else's as they were (a planted
    change to someone else's stays), and what it keeps is what a whole refresh gives."""
    address, _ = stores
    full(stores)
    mover = sql(
        address,
        "health",
        "SELECT p.patient_id::text AS local_id, i.household_id FROM patient p "
        "JOIN mesh_crosswalk c ON c.entity = 'Person' AND c.local_id = p.patient_id::text "
        "JOIN mesh_needs_indicator i ON i.person_id = c.mesh_id "
        "WHERE p.uprn IN (SELECT uprn FROM patient GROUP BY uprn HAVING count(*) >= 3) "
        "ORDER BY p.patient_id LIMIT 1",
    )[0]
    target = sql(
        address,
        "health",
        "SELECT patient_id::text AS local_id, uprn, address_line, postcode FROM patient "
        "WHERE uprn IS NOT NULL AND uprn <> (SELECT uprn FROM patient "
        "WHERE patient_id::text = $1) ORDER BY patient_id DESC LIMIT 1",
        mover["local_id"],
    )[0]
    old_home = str(mover["household_id"])
    new_home = household_of(address, "health", str(target["local_id"]))
    assert new_home and new_home != old_home
    # Someone else's indicator, planted wrong: a delta that re-evaluated everything would fix it.
    planted = sql(
        address,
        "health",
        "UPDATE mesh_needs_indicator SET as_of = DATE '1900-01-01' WHERE ctid = (SELECT ctid "
        "FROM mesh_needs_indicator WHERE household_id NOT IN ($1, $2) LIMIT 1) "
        "RETURNING household_id, person_id, code",
        old_home, new_home,
    )[0]  # fmt: skip
    before = _derived(address)

    _move(address, str(mover["local_id"]), target, TODAY)
    report = delta(stores)
    assert report.total_records == 1
    after = _derived(address)

    # Rows changed in the households the move touched only, the mover's indicators now in the
    # new home; the planted row kept as it was.
    changed_households = set()
    for agency in AGENCIES:
        for rows_before, rows_after in zip(before[agency][:2], after[agency][:2], strict=True):
            changed = set(rows_before) ^ set(rows_after)
            changed_households |= {row[1] if len(row) == 2 else row[0] for row in changed}
    assert changed_households == {old_home, new_home}
    mesh_id = crosswalks(address)[("health", "Person", str(mover["local_id"]))]
    moved = [r for r in after["health"][1] if r[1] == mesh_id]
    assert moved and {r[0] for r in moved} == {new_home}
    kept = [r for r in after["health"][1] if r[:3] == tuple(planted.values())]
    assert [r[3] for r in kept] == [date(1900, 1, 1)]

    # A whole refresh gives the same, but for the planted row (which it puts right).
    async def whole() -> None:
        index = await connect(address, "index")
        try:
            await refresh_households_and_needs(address, index)
        finally:
            await index.close()

    asyncio.run(whole())
    refreshed = _derived(address)
    for agency in AGENCIES:
        if agency != "health":
            assert refreshed[agency] == after[agency]
    members, indicators, evaluation = refreshed["health"]
    assert members == after["health"][0]
    assert [r[2] for r in evaluation] == [r[2] for r in after["health"][2]]
    fixed = [r for r in indicators if r[:3] == tuple(planted.values())]
    assert fixed and all(r[3] != date(1900, 1, 1) for r in fixed)
    assert sorted(set(indicators) - set(fixed)) == sorted(set(after["health"][1]) - set(kept))
