"""docs/adding-an-agency.md, proven: in a copy of the source tree, `mesh agency new` scaffolds a
probation service; its store is migrated and given records, `mesh link` links them, and the
gateway serves `Person.probationService` — with nothing else in the tree edited by hand but the
agreement an IG lead completes."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from authz.dev_keys import ensure_dev_keys, mint_token
from devtools.scaffold import ScaffoldError, add_registry_line, check_name
from store import ServerAddress
from store.server import connect
from subgraphs.registry import known_subgraphs
from tests.conftest import drop_databases
from tests.mesh_services import ROOT, free_ports, running_subgraphs

PREFIX = "tagency_"
PACKAGES = ("mesh", "authz", "subgraphs", "store", "linkage", "devtools", "telemetry", "schema")


def _mesh(tree: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "mesh", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"mesh {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("repo")
    ignore = shutil.ignore_patterns("__pycache__", "node_modules")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package, ignore=ignore)
    return copy


@pytest.fixture(scope="module")
def env(tree: Path, pg_address: ServerAddress) -> Iterator[dict[str, str]]:
    data = tree / "data"
    data.mkdir()
    yield {
        **os.environ,
        "PYTHONPATH": str(tree),
        "MESH_PG_DSN": pg_address.server_dsn,
        "MESH_DB_PREFIX": PREFIX,
        "MESH_DATA_DIR": str(data),
        "MESH_SUBGRAPH_GATEWAY_JWKS": str(data / "gateway-jwks.json"),
    }
    asyncio.run(drop_databases(pg_address, PREFIX))


def test_names_are_checked_and_the_registry_gains_one_line() -> None:
    with pytest.raises(ScaffoldError, match="lower-case words"):
        check_name("Probation-Service", ())
    with pytest.raises(ScaffoldError, match="reserved"):
        check_name("index", ())
    with pytest.raises(ScaffoldError, match="already"):
        check_name("health", ("health",))
    source = 'AGENCIES: tuple[str, ...] = (\n    "health",\n    "welfare",\n)\n'
    assert add_registry_line(source, "probation") == (
        'AGENCIES: tuple[str, ...] = (\n    "health",\n    "welfare",\n    "probation",\n)\n'
    )


async def _give_records(address: ServerAddress, people: int) -> set[str]:
    """The probation service's own records: some of health's patients, as it would hold them."""
    health = await connect(address, "health")
    try:
        rows = await health.fetch(
            "SELECT patient_id, nhs_number, given_name, family_name, date_of_birth, sex, "
            "address_line, postcode, uprn FROM patient ORDER BY patient_id LIMIT $1",
            people,
        )
    finally:
        await health.close()
    probation = await connect(address, "probation_service")
    try:
        await probation.executemany(
            "INSERT INTO person VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            [(f"PR{r['patient_id']}", *list(r.values())[1:]) for r in rows],
        )
    finally:
        await probation.close()
    return {str(r["given_name"]) for r in rows}


def _activate_agreement(tree: Path) -> None:
    path = tree / "authz" / "agreements" / "probation-service-direct-care.yaml"
    text = path.read_text(encoding="utf-8")
    assert "status: draft" in text
    path.write_text(text.replace("status: draft", "status: active"), encoding="utf-8")


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"gateway exited: {stderr}")
        try:
            if httpx.get(url, timeout=0.5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(url)


def test_a_scaffolded_agency_is_served_end_to_end(tree: Path, env: dict[str, str]) -> None:
    (gateway_port,) = free_ports(1)
    made = _mesh(tree, env, "agency", "new", "probation_service")
    assert "subgraphs/probation_service/subgraph.py" in made.stdout
    assert '"probation_service",' in (tree / "subgraphs" / "registry.py").read_text()
    _mesh(tree, env, "db", "migrate")
    seeded = _mesh(tree, env, "seed", "--people", "300", "--reset")
    assert "No synthetic generator for probation_service" in seeded.stdout
    address = ServerAddress(env["MESH_PG_DSN"], PREFIX)
    names = asyncio.run(_give_records(address, 25))
    _mesh(tree, env, "link")
    _activate_agreement(tree)

    names_in_copy = (*known_subgraphs(), "probation_service")
    with running_subgraphs(PREFIX, None, names_in_copy, root=tree, env=env) as urls:
        gateway_env = {
            **env,
            "MESH_GATEWAY_SUBGRAPHS": json.dumps(urls),
            "MESH_GATEWAY_AUDIT_DSN": address.dsn("governance"),
        }
        gateway = subprocess.Popen(
            [sys.executable, "-m", "mesh", "gateway", "serve", "--port", str(gateway_port)],
            cwd=tree,
            env=gateway_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            _wait(f"http://127.0.0.1:{gateway_port}/readyz", gateway)
            mesh_ids = asyncio.run(_crosswalk(address))
            token = mint_token(ensure_dev_keys(Path(env["MESH_DATA_DIR"])), "rw6", ["gp"])
            answer = httpx.post(
                f"http://127.0.0.1:{gateway_port}/graphql",
                json={
                    "query": "query ($id: ID!) { person(id: $id) { probationService "
                    "{ givenName familyName } } }",
                    "variables": {"id": mesh_ids[0]},
                },
                headers={"authorization": f"Bearer {token}", "x-purpose-of-use": "DIRECT_CARE"},
                timeout=30,
            ).json()
        finally:
            gateway.terminate()
            gateway.wait(timeout=10)
    record = answer["data"]["person"]["probationService"]
    assert record is not None and record["givenName"] in names, answer
    governance = answer["extensions"]["governance"]
    assert governance["agreements"] == ["probation-service-direct-care@0.1"]


async def _crosswalk(address: ServerAddress) -> list[str]:
    conn = await connect(address, "probation_service")
    try:
        rows = await conn.fetch(
            "SELECT mesh_id FROM mesh_crosswalk WHERE entity = 'Person' ORDER BY mesh_id"
        )
    finally:
        await conn.close()
    assert rows, "mesh link gave the new agency no mesh ids"
    return [str(r["mesh_id"]) for r in rows]
