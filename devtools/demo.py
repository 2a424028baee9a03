"""``mesh demo``: the whole mesh on one machine, from an empty store to a running gateway.

Store (embedded unless ``MESH_PG_DSN``) → migrations → a synthetic Greater Manchester when the
stores are empty → pseudonymous linkage when the index is empty → the eight subgraphs, each a
process over its own database → the gateway. Then it prints where to look and supervises until
Ctrl-C, which stops every process; the embedded PostgreSQL is stopped only if this run started
it.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.syntax import Syntax
from rich.text import Text

from authz.context_token import ensure_gateway_keys
from devtools.console_views import migrate_quietly, seed_summary, seed_with_progress
from devtools.supervisor import ReadinessTimeout, Service, ServiceFailed, StopRequested, Supervisor
from devtools.topology import HOST, local_subgraph_urls, ports_in_use, subgraph_port
from linkage.key import LinkageKeyError, load_linkage_key
from store import ServerAddress, open_server
from store.server import connect
from store.settings import MeshSettings
from subgraphs.registry import INDEX, known_subgraphs

SUBGRAPHS_READY_SECONDS = 60.0
# The gateway retries composition for about 30 s while subgraphs come up, then checks the index.
GATEWAY_READY_SECONDS = 90.0

# The household whose members the most agencies know (then the largest): the example query
# then shows one answer drawn from several agencies' own stores.
_EXAMPLE_HOUSEHOLD = """
SELECT p.household_id
FROM mesh_person p LEFT JOIN linked_record r ON r.mesh_id = p.mesh_id AND r.entity = 'Person'
WHERE p.household_id IS NOT NULL
GROUP BY p.household_id
ORDER BY count(DISTINCT r.agency) DESC, count(DISTINCT p.mesh_id) DESC, p.household_id
LIMIT 1
"""
_HOUSEHOLD_ID = re.compile(r"^mh_[0-9a-f]{20}$")

EXAMPLE_QUERY = """\
query Household($id: ID!) {
  household(id: $id) {
    id
    size
    housing { tenure weeklyRent postcode }
    members {
      id
      links { agency records }
      health { givenName familyName dateOfBirth }
      welfare { universalCreditClaims { monthlyAward } }
    }
  }
}"""


DEMO_ORG = "manchester-city-council"
DEMO_ROLE = "safeguarding_lead"
DEMO_HEADERS = {"X-Purpose-Of-Use": "SAFEGUARDING", "X-Case-Reference": "MASH-2026-0042"}


TOKEN_FILE = "demo-token.txt"
PRESET_FILE = "graphiql-preset.json"
# The gateway reads its GraphiQL preset from the file this names (mesh/gateway/graphiql.py).
GRAPHIQL_PRESET_ENV = "MESH_GRAPHIQL_PRESET"


def demo_token(data_dir: Path) -> Path:
    """A development token for a MASH safeguarding lead (8 hours), written to a file so that
    shell commands can read it whole: ``$(cat .mesh/demo-token.txt)``."""
    from authz.dev_keys import ensure_dev_keys, mint_token

    token = mint_token(
        ensure_dev_keys(data_dir),
        DEMO_ORG,
        [DEMO_ROLE],
        subject="demo-lead",
        name="Demo Safeguarding Lead",
        ttl=8 * 3600,
    )
    path = data_dir / TOKEN_FILE
    path.write_text(token + "\n", encoding="utf-8")
    return path


def auth_instructions(token_file: Path) -> str:
    """How a caller authenticates to the gateway (shown in the demo's panel)."""
    return (
        f"Every request carries a bearer token and a purpose of use. The token of a "
        f"{DEMO_ROLE} at {DEMO_ORG} is in {token_file}; the GraphiQL headers to paste "
        "are printed below. Other roles: `mesh token --org ORG --role ROLE`; what a role "
        "may see: `mesh policy explain --org ORG --role ROLE --purpose PURPOSE`."
    )


def graphiql_preset(data_dir: Path, household: str | None, token_file: Path) -> Path:
    """What the gateway's GraphiQL opens with: the demo principal's headers (the token is read
    from ``token_file`` at each page load) and the example household in the variables."""
    preset = {
        "query": EXAMPLE_QUERY,
        "variables": {"id": household} if household else {"id": "mh_…"},
        "headers": dict(DEMO_HEADERS),
        "tokenFile": str(token_file),
    }  # the gateway's preset file (mesh/gateway/graphiql.py, GraphiQLPreset)
    path = data_dir / PRESET_FILE
    path.write_text(json.dumps(preset, indent=2) + "\n", encoding="utf-8")
    return path


def graphiql_headers(token_file: Path) -> str:
    token = token_file.read_text(encoding="utf-8").strip()
    return json.dumps({"Authorization": f"Bearer {token}", **DEMO_HEADERS}, indent=2)


def run_demo(console: Console, *, people: int, gateway_port: int, seed: int = 1) -> int:
    """Bring the mesh up and supervise it until Ctrl-C; returns the process exit code."""
    busy = ports_in_use(
        [gateway_port, *(subgraph_port(n, gateway_port) for n in known_subgraphs())]
    )
    if busy:
        listing = ", ".join(map(str, busy))
        console.print(
            f"[bold red]error:[/] port {listing} already in use; "
            "`mesh demo --port P` moves the gateway to P and the subgraphs to P+1…",
            highlight=False,
        )
        return 1
    settings = MeshSettings()
    handle = open_server(settings)
    state = "started" if handle.started_here else "already running"
    kind = "embedded" if handle.embedded else "external"
    console.print(
        f"PostgreSQL ({kind}) {state}: {handle.address.without_password()}", soft_wrap=True
    )
    try:
        try:
            _prepare_data(console, handle.address, settings, people, seed)
        except LinkageKeyError as exc:
            console.print(f"[bold red]error:[/] {exc}", highlight=False)
            return 1
        household = asyncio.run(_example_household(handle.address))
        data_dir = settings.data_dir.resolve()
        _, gateway_jwks = ensure_gateway_keys(data_dir)
        token = demo_token(data_dir)
        preset = graphiql_preset(data_dir, household, token)
        return asyncio.run(
            _serve(
                console,
                handle.address,
                gateway_port,
                household,
                data_dir,
                (gateway_jwks, preset),
                token,
            )
        )
    finally:
        if handle.started_here:
            handle.stop()
            console.print("embedded PostgreSQL stopped (this run started it)")


def _prepare_data(
    console: Console, address: ServerAddress, settings: MeshSettings, people: int, seed: int
) -> None:
    from devtools.seed import seeded_stores

    migrate_quietly(address)
    existing = asyncio.run(seeded_stores(address))
    if existing:
        rows = sum(existing.values())
        console.print(
            f"reusing the data already loaded ({rows:,} rows in {len(existing)} stores); "
            "`mesh seed --reset` replaces it",
            soft_wrap=True,
        )
    else:
        report = seed_with_progress(console, address, people, seed, False)
        console.print(seed_summary(report))
    indexed = asyncio.run(_indexed_people(address))
    if indexed:
        console.print(f"reusing the linkage index ({indexed:,} mesh persons)")
    else:
        _link(console, address, settings, load_linkage_key(settings.data_dir))


def _link(console: Console, address: ServerAddress, settings: MeshSettings, key: bytes) -> None:
    from linkage.exchange import link_all
    from linkage.methods import Method, clusterer_for

    handled: dict[str, int] = {}
    with console.status("linking agency records…") as status:

        def progress(step: str, records: int) -> None:
            handled[step] = handled.get(step, 0) + records
            status.update(f"linking: {step} {handled[step]:,} records")

        # The demo links a population it has just seeded: its model is trained on it (a model
        # saved by an older version is refused, and would not fit this population anyway).
        clusterer = clusterer_for(Method.SPLINK, settings, key, retrain=True)
        report = asyncio.run(link_all(address, key, progress, clusterer))
    console.print(
        f"linked {report.total_records:,} agency records into {report.persons:,} mesh persons "
        f"and {report.households:,} households in {report.total_seconds:.1f} s",
        soft_wrap=True,
    )


async def _indexed_people(address: ServerAddress) -> int:
    conn = await connect(address, INDEX)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM mesh_person"))
    finally:
        await conn.close()


async def _example_household(address: ServerAddress) -> str | None:
    conn = await connect(address, INDEX)
    try:
        found = await conn.fetchval(_EXAMPLE_HOUSEHOLD)
    finally:
        await conn.close()
    return str(found) if found is not None else None


def _mesh_command() -> list[str]:
    """How to run the ``mesh`` CLI with this interpreter: its console script, or ``-m``."""
    script = Path(sys.executable).with_name("mesh")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mesh"]


def _services(
    address: ServerAddress, gateway_port: int, data_dir: Path, gateway_files: tuple[Path, Path]
) -> tuple[list[Service], Service]:
    """The subgraph processes and the gateway's; ``gateway_files`` are the gateway's public
    JWKS (which subgraphs verify the context with) and the GraphiQL preset."""
    gateway_jwks, preset = gateway_files
    mesh = _mesh_command()
    # Every service sees the same data directory: the gateway signs with its key there,
    # and each subgraph verifies the gateway's context with the public half.
    unbuffered = {
        "PYTHONUNBUFFERED": "1",
        "MESH_DATA_DIR": str(data_dir),
        "MESH_SUBGRAPH_GATEWAY_JWKS": str(gateway_jwks),
    }
    subgraphs = [
        Service(
            name,
            [
                *mesh,
                "subgraph",
                "serve",
                name,
                "--host",
                HOST,
                "--port",
                str(subgraph_port(name, gateway_port)),
            ],
            env={**unbuffered, "MESH_SUBGRAPH_DSN": address.dsn(name)},
        )
        for name in known_subgraphs()
    ]
    routes: list[str] = []
    for name, url in local_subgraph_urls(gateway_port).items():
        routes += ["--subgraph", f"{name}={url}"]
    gateway = Service(
        "gateway",
        [*mesh, "gateway", "serve", "--host", HOST, "--port", str(gateway_port), *routes],
        env={**unbuffered, GRAPHIQL_PRESET_ENV: str(preset)},
    )
    return subgraphs, gateway


async def _serve(
    console: Console,
    address: ServerAddress,
    gateway_port: int,
    household: str | None,
    data_dir: Path,
    gateway_files: tuple[Path, Path],
    token: Path,
) -> int:
    subgraphs, gateway = _services(address, gateway_port, data_dir, gateway_files)
    supervisor = Supervisor(console)
    with supervisor.stop_on_signals():
        try:
            for service in subgraphs:
                await supervisor.start(service)
            last = subgraph_port(subgraphs[-1].name, gateway_port)
            console.print(
                f"starting {len(subgraphs)} subgraphs on ports {gateway_port + 1}-{last}, "
                f"then the gateway on {gateway_port}"
            )
            ready = {
                name: url.removesuffix("/graphql") + "/readyz"
                for name, url in local_subgraph_urls(gateway_port).items()
            }
            await supervisor.wait_all_ready(ready, timeout=SUBGRAPHS_READY_SECONDS)
            await supervisor.start(gateway)
            await supervisor.wait_ready(
                "gateway", f"http://{HOST}:{gateway_port}/readyz", timeout=GATEWAY_READY_SECONDS
            )
            print_running(console, gateway_port, household, token, data_dir)
            code = await supervisor.run()
        except StopRequested:
            code = 1 if supervisor.failed else 0
        except (ReadinessTimeout, ServiceFailed) as exc:
            console.print(f"[bold red]error:[/] {exc}", highlight=False)
            code = 1
        finally:
            await supervisor.stop()
    console.print(f"stopped {len(supervisor.services)} services")
    return code


def curl_command(gateway_port: int, household: str, token_file: Path) -> str:
    """The example query as a shell command, one short line per part so that it survives any
    terminal width and copies whole (also written to .mesh/demo-query.sh)."""
    url = f"http://{HOST}:{gateway_port}/graphql"
    body = json.dumps({"query": EXAMPLE_QUERY, "variables": {"id": household}})
    headers = [f'-H "Authorization: Bearer $(cat {token_file})"']
    headers += [f"-H '{k}: {v}'" for k, v in DEMO_HEADERS.items()]
    headers.append("-H 'Content-Type: application/json'")
    lines = [f"curl -s {url}", *headers, "--data @- <<'QUERY'"]
    return " \\\n  ".join(lines) + f"\n{body}\nQUERY"


def write_demo_query(data_dir: Path, command: str) -> Path:
    path = data_dir / "demo-query.sh"
    path.write_text("#!/bin/sh\n# The demo's example household query.\n" + command + "\n")
    path.chmod(0o755)
    return path


def print_running(
    console: Console, gateway_port: int, household: str | None, token: Path, data_dir: Path
) -> None:
    """The panel, then what must copy whole: the shell command and the GraphiQL headers,
    printed without any line break the terminal width would add (also when piped)."""
    console.print(running_panel(gateway_port, household, token))
    if household is not None and _HOUSEHOLD_ID.match(household):
        command = curl_command(gateway_port, household, token)
        script = write_demo_query(data_dir, command)
        console.print(f"The same from a shell (also in {script}):", style="bold")
        console.print(command, soft_wrap=True, highlight=False, markup=False)
    console.print("GraphiQL headers:", style="bold")
    console.print(graphiql_headers(token), soft_wrap=True, highlight=False, markup=False)


def running_panel(gateway_port: int, household: str | None, token_file: Path) -> Panel:
    """Where to look once the mesh is up: GraphiQL, a real household, authentication. The
    shell command is printed after the panel, never wrapped (see :func:`curl_command`)."""
    page = f"http://{HOST}:{gateway_port}/graphiql/"
    parts: list[Text | Syntax] = [
        Text.assemble(
            ("GraphiQL  ", "bold"), (page, "link " + page), " (open it in a browser: ready to run)"
        ),
        Text(""),
    ]
    if household is not None and _HOUSEHOLD_ID.match(household):
        parts += [
            Text("A household known to several agencies, in one query:", style="bold"),
            Syntax(EXAMPLE_QUERY, "graphql", theme="ansi_dark", background_color="default"),
            Text(f'variables: {{"id": "{household}"}}'),
        ]
    else:
        parts.append(Text("The index holds no household yet: run `mesh link`, then ask again."))
    parts += [Text(""), Text(auth_instructions(token_file)), Text("Ctrl-C stops everything.")]
    return Panel(
        Group(*parts), title="Civic Mesh is running", box=box.HORIZONTALS, title_align="left"
    )
