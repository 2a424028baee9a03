"""Unclassified means denied (issue 10, item 7), proved with a supplier's own subgraph written
in another style: a probation service in plain graphql-core (tests/foreign/probation.py) adds
``Person.riskOfSeriousHarm`` and ``Person.nextAppointment`` with no sharing directive at all.

Before, those fields were served to a housing officer for EARLY_HELP, a planning analyst and
an IG lead of a made-up organisation, under no agreement, with no warning and nothing in the
audit. Now: logged at composition, denied to everyone (never fetched), reported by
``mesh policy check`` against the live or a given supergraph, shared only by an agreement that
names the field, and every field served is in the audit record."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
import yaml
from typer.testing import CliRunner

from authz.access import Caller
from authz.agreements import AGREEMENTS_DIR
from authz.dev_keys import dev_verifier
from authz.model import Principal
from mesh.cli.app import app
from mesh.gateway import Gateway, GatewaySettings
from mesh.gateway.discovery import fetch_sdl
from mesh.gateway.serve import build_gateway
from store import ServerAddress
from store.server import connect
from store.settings import MeshSettings
from subgraphs.centre import centre_subgraph
from tests.conftest import TEST_KEYS_DIR, TEST_PREFIX
from tests.mesh_services import free_ports
from tests.test_interop_composition import _run_compose, requires_node

ROOT = Path(__file__).resolve().parents[1]
FIELDS = {"Person.riskOfSeriousHarm", "Person.nextAppointment"}


def _named_in(record: logging.LogRecord) -> set[str]:
    return {c for c in FIELDS if f"field {c} " in record.getMessage()}


QUERY = "query ($id: ID!) { person(id: $id) { id riskOfSeriousHarm nextAppointment } }"
CALLERS = {
    "housing officer, EARLY_HELP": Caller(
        Principal("ho-1", "one-manchester", ("housing_officer",)), "EARLY_HELP"
    ),
    "planning analyst, PLANNING": Caller(Principal("an-1", "QOP", ("analyst",)), "PLANNING"),
    "IG lead of a made-up organisation": Caller(
        Principal("ig-9", "acme-assurance", ("ig_lead",)), "SAFEGUARDING", "CASE-9"
    ),
}
LEAD = Caller(
    Principal("lead-1", "manchester-city-council", ("safeguarding_lead",)),
    "SAFEGUARDING",
    "CASE-2026-010",
)
NAMED = {
    "id": "probation-appointments",
    "version": "1.0",
    "title": "Probation appointments for safeguarding",
    "summary": "The MASH can see when a person on probation is next seen.",
    "status": "active",
    "providing_agency": "probation",
    "receiving": {"organisations": ["*"], "roles": ["safeguarding_lead"]},
    "purposes": ["SAFEGUARDING"],
    "lawful_basis": {"uk_gdpr_article_6": "6(1)(e)"},
    "covers": {"coordinates": ["Person.nextAppointment"]},
    "retention": "Viewed in place.",
    "review_date": "2027-06-30",
}


@pytest.fixture(scope="module")
def probation() -> Iterator[str]:
    (port,) = free_ports(1)
    url = f"http://127.0.0.1:{port}/graphql"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.foreign.probation", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url.replace("graphql", "readyz"), timeout=0.5).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _data_requests(url: str) -> int:
    return int(httpx.get(url, timeout=5).json()["asked"]["data"])


async def _gateway(
    urls: dict[str, str], linked: ServerAddress, agreements: Path | None = None
) -> Gateway:
    settings = GatewaySettings(
        subgraphs=urls, audit_dsn=linked.dsn("governance"), agreements_dir=agreements
    )
    return await build_gateway(
        settings,
        attempts=1,
        mesh_settings=MeshSettings(data_dir=TEST_KEYS_DIR, db_prefix=TEST_PREFIX),
        verifier=dev_verifier(TEST_KEYS_DIR),
    )


@pytest_asyncio.fixture(scope="module")
async def with_probation(
    subgraph_urls: dict[str, str], linked: ServerAddress, probation: str
) -> AsyncIterator[tuple[Gateway, list[logging.LogRecord]]]:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    logger = logging.getLogger("mesh.gateway")
    logger.addHandler(handler)
    try:
        gateway = await _gateway({**subgraph_urls, "probation": probation}, linked)
    finally:
        logger.removeHandler(handler)
    yield gateway, records
    await gateway.aclose()


async def _someone(linked: ServerAddress) -> str:
    index = await connect(linked, "index")
    try:
        return str(await index.fetchval("SELECT mesh_id FROM mesh_person ORDER BY mesh_id LIMIT 1"))
    finally:
        await index.close()


async def test_composition_names_each_unclassified_field(
    with_probation: tuple[Gateway, list[logging.LogRecord]],
) -> None:
    _, records = with_probation
    warned = {c for r in records if r.levelno == logging.WARNING for c in _named_in(r)}
    assert warned == FIELDS, [r.getMessage() for r in records]
    assert len(records) == len(FIELDS)
    assert all("probation" in r.getMessage() for r in records)


async def test_unclassified_fields_are_denied_to_everyone_and_never_fetched(
    with_probation: tuple[Gateway, list[logging.LogRecord]],
    probation: str,
    linked: ServerAddress,
) -> None:
    gateway, _ = with_probation
    person = await _someone(linked)
    for name, caller in CALLERS.items():
        before = _data_requests(probation)
        answer = await gateway.execute(QUERY, {"id": person}, caller=caller)
        governance = answer.body["extensions"]["governance"]
        withheld = {
            e["extensions"]["coordinate"]: e["extensions"]["reason"]
            for e in answer.body.get("errors", [])
            if e["extensions"]["code"] == "FORBIDDEN_BY_POLICY"
        }
        assert set(withheld) == FIELDS, (name, answer.body)
        assert all("unclassified" in reason for reason in withheld.values()), name
        assert governance["agreements"] == [], name
        assert _data_requests(probation) == before, f"{name}: probation was asked for data"
        assert gateway.governance is not None
        record = await gateway.governance.audit.record(governance["auditRecord"])
        assert record is not None
        assert set(record.entry.denied) >= FIELDS, name


async def test_a_field_is_shared_only_by_an_agreement_that_names_it_and_audited_when_served(
    subgraph_urls: dict[str, str], linked: ServerAddress, probation: str
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        agreements = Path(directory)
        for path in AGREEMENTS_DIR.glob("*.yaml"):
            (agreements / path.name).write_text(path.read_text(encoding="utf-8"))
        (agreements / "probation-appointments.yaml").write_text(yaml.safe_dump(NAMED))
        gateway = await _gateway({**subgraph_urls, "probation": probation}, linked, agreements)
    try:
        person = await _someone(linked)
        before = _data_requests(probation)
        answer = await gateway.execute(QUERY, {"id": person}, caller=LEAD)
        data = answer.body["data"]["person"]
        assert data["nextAppointment"] == "2026-12-01T10:00:00Z", answer.body
        assert data["riskOfSeriousHarm"] is None
        assert _data_requests(probation) == before + 1
        governance = answer.body["extensions"]["governance"]
        assert "probation-appointments@1.0" in governance["agreements"]
        assert gateway.governance is not None
        record = await gateway.governance.audit.record(governance["auditRecord"])
        assert record is not None
        served = set(record.entry.served)
        assert {"Query.person", "Person.id", "Person.nextAppointment"} <= served
        assert "Person.riskOfSeriousHarm" in record.entry.denied
        refused = await gateway.execute(QUERY, {"id": person}, caller=CALLERS["IG lead of a "
                                        "made-up organisation"])  # fmt: skip
        assert refused.body["data"]["person"]["nextAppointment"] is None
    finally:
        await gateway.aclose()


def _problems(output: str) -> set[str]:
    return {c for c in FIELDS if c in output}


def test_policy_check_runs_against_the_live_supergraph(
    subgraph_urls: dict[str, str], probation: str
) -> None:
    runner = CliRunner()
    env = {"COLUMNS": "250"}
    arguments = [f"--subgraph={n}={u}" for n, u in subgraph_urls.items()]
    clean = runner.invoke(app, ["policy", "check", *arguments], env=env)
    assert clean.exit_code == 0, clean.output
    assert "the running subgraphs" in clean.output
    foreign = runner.invoke(
        app, ["policy", "check", *arguments, f"--subgraph=probation={probation}"], env=env
    )
    assert foreign.exit_code == 1, foreign.output
    assert "unclassified_field" in foreign.output and _problems(foreign.output) == FIELDS


@requires_node
async def test_policy_check_reads_a_federation_supergraph_file(
    subgraph_urls: dict[str, str], probation: str, tmp_path: Path
) -> None:
    """A supergraph written by Apollo's own composition (interop/compose.mjs)."""
    sdls = {n: await fetch_sdl(n, u) for n, u in {**subgraph_urls, "probation": probation}.items()}
    sdls["mesh"] = centre_subgraph().sdl()
    paths = []
    for name, sdl in sdls.items():
        path = tmp_path / f"{name}.graphql"
        path.write_text(sdl, encoding="utf-8")
        paths.append(str(path))
    out = tmp_path / "supergraph.graphql"
    composed = _run_compose(["--supergraph", str(out), *paths])
    assert composed.returncode == 0, composed.stdout[-2000:] + composed.stderr[-2000:]
    assert json.loads(composed.stdout)["ok"]
    result = CliRunner().invoke(
        app, ["policy", "check", "--supergraph", str(out)], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 1, result.output
    assert _problems(result.output) == FIELDS
    lines = [line for line in result.output.splitlines() if "unclassified_field" in line]
    assert len(lines) == len(FIELDS), result.output
    assert os.path.getsize(out) > 1000
