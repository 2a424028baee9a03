"""The ``mesh`` command line."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer
from rich.console import Console

from devtools import console_views
from mesh.cli import governance as cli_governance
from mesh.cli import linkage as cli_linkage
from mesh.cli.agency import agency_app
from mesh.cli.needs import needs_app
from mesh.federation.compose.cli import compose_command
from store import StoreUnreachable, open_server
from store.settings import MeshSettings

app = typer.Typer(
    help="Civic Mesh: a GraphQL data mesh for public services.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="The PostgreSQL stores.", no_args_is_help=True)
app.add_typer(db_app, name="db")
subgraph_app = typer.Typer(help="Agency subgraphs and the index.", no_args_is_help=True)
app.add_typer(subgraph_app, name="subgraph")
schema_app = typer.Typer(help="The client contract in schema/.", no_args_is_help=True)
app.add_typer(schema_app, name="schema")
app.command("token")(cli_governance.token_command)
app.command("link")(cli_linkage.link_command)
app.add_typer(cli_governance.audit_app, name="audit")
app.add_typer(cli_governance.policy_app, name="policy")
app.add_typer(needs_app, name="needs")
gateway_app = typer.Typer(help="The gateway that serves the composed graph.", no_args_is_help=True)
app.add_typer(gateway_app, name="gateway")
app.add_typer(agency_app, name="agency")
app.command("compose")(compose_command)

console = Console()
err_console = Console(stderr=True)

DEMO_PEOPLE = 20_000


def _fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


@db_app.command("start")
def db_start() -> None:
    """Start (or reuse) the store and print its address."""
    settings = MeshSettings()
    try:
        handle = open_server(settings)
    except StoreUnreachable as exc:
        raise _fail(str(exc)) from None
    state = "started" if handle.started_here else "already running"
    kind = "embedded" if handle.embedded else "external"
    console.print(f"PostgreSQL ({kind}) {state}: {handle.address.without_password()}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded store (an external MESH_PG_DSN server is left alone)."""
    settings = MeshSettings()
    if settings.pg_dsn:
        console.print("MESH_PG_DSN is set: that server is not ours to stop.")
        return
    pgdata = settings.embedded_pgdata.resolve()
    if not (pgdata / "postmaster.pid").exists():
        console.print(f"embedded PostgreSQL is not running ({pgdata})")
        return
    open_server(settings).stop()
    console.print(f"embedded PostgreSQL stopped ({pgdata})")


@db_app.command("migrate")
def db_migrate() -> None:
    """Create missing databases and apply every store's pending migrations."""
    from store.migrate import MigrationError, migrate_all

    settings = MeshSettings()
    try:
        handle = open_server(settings)
        reports = asyncio.run(migrate_all(handle.address))
    except (StoreUnreachable, MigrationError) as exc:
        raise _fail(str(exc)) from None
    console.print(console_views.migration_table(reports))


@db_app.command("status")
def db_status() -> None:
    """Show the server, each store's migrations and row counts."""
    from devtools.seed import stored_rows
    from store import STORES

    settings = MeshSettings()
    try:
        handle = open_server(settings)

        async def counts() -> dict[str, dict[str, int]]:
            return {s.name: await stored_rows(handle.address, s.name) for s in STORES}

        per_store = asyncio.run(counts())
    except StoreUnreachable as exc:
        raise _fail(str(exc)) from None
    console.print(f"server: {handle.address.without_password()}")
    console.print(console_views.row_count_table(per_store))


@app.command("seed")
def seed_command(
    people: Annotated[
        int, typer.Option("--people", min=1, max=10_000_000, help="How many residents.")
    ] = DEMO_PEOPLE,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Generator seed.")] = 1,
    reset: Annotated[bool, typer.Option("--reset", help="Replace data already loaded.")] = False,
) -> None:
    """Generate a synthetic Greater Manchester and load it into the agency stores."""
    from devtools.seed import AlreadySeeded
    from store.migrate import MigrationError

    settings = MeshSettings()
    try:
        handle = open_server(settings)
        report = console_views.seed_with_progress(console, handle.address, people, seed, reset)
    except AlreadySeeded as exc:
        raise _fail(str(exc), code=3) from None
    except (StoreUnreachable, MigrationError) as exc:
        raise _fail(str(exc)) from None
    console.print(console_views.seed_summary(report))


@app.command("demo")
def demo_command(
    people: Annotated[int, typer.Option("--people", min=1, max=10_000_000)] = DEMO_PEOPLE,
    port: Annotated[int, typer.Option("--port", min=1024, max=65000)] = 4000,
) -> None:
    """Bring the whole mesh up: store, seed, link, subgraphs, gateway (Ctrl-C stops all)."""
    from devtools.demo import run_demo
    from store.migrate import MigrationError

    try:
        code = run_demo(console, people=people, gateway_port=port)
    except (StoreUnreachable, MigrationError) as exc:
        raise _fail(str(exc)) from None
    raise typer.Exit(code)


def _subgraph_name(name: str) -> str:
    from subgraphs.registry import known_subgraphs

    if name not in known_subgraphs():
        raise typer.BadParameter(
            f"unknown subgraph {name!r}; known: {', '.join(known_subgraphs())}"
        )
    return name


@subgraph_app.command("list")
def subgraph_list() -> None:
    """The subgraphs this mesh can serve."""
    from subgraphs.registry import known_subgraphs

    for name in known_subgraphs():
        console.print(name)


@subgraph_app.command("sdl")
def subgraph_sdl(
    name: Annotated[str, typer.Argument(callback=_subgraph_name, help="Subgraph name.")],
) -> None:
    """Print a subgraph's federation SDL (what `_service { sdl }` answers)."""
    from subgraphs.kit.serve import load_definition

    typer.echo(load_definition(name).schema().as_str())


@subgraph_app.command("serve")
def subgraph_serve(
    name: Annotated[str, typer.Argument(callback=_subgraph_name, help="Subgraph name.")],
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 4001,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
) -> None:
    """Serve one subgraph over its own database (MESH_SUBGRAPH_DSN, or the mesh's store)."""
    from subgraphs.kit.serve import serve
    from subgraphs.kit.settings import SubgraphSettings

    dsn = SubgraphSettings().dsn
    if dsn is None:
        try:
            dsn = open_server(MeshSettings()).address.dsn(name)
        except StoreUnreachable as exc:
            raise _fail(str(exc)) from None
    serve(name, dsn, host=host, port=port)


@gateway_app.command("serve")
def gateway_serve(
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 4000,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    subgraph: Annotated[
        list[str] | None,
        typer.Option("--subgraph", help="name=url; repeat. Default: the local ports."),
    ] = None,
    supergraph: Annotated[
        str | None,
        typer.Option(
            "--supergraph",
            help="Serve this supergraph SDL (a file or an http(s) URL, from rover, the Hive "
            "CLI, @apollo/composition or `mesh compose`) instead of composing the running "
            "subgraphs; reloaded when it changes.",
        ),
    ] = None,
    poll: Annotated[
        float, typer.Option("--poll", min=0.5, max=3600, help="Seconds between reload checks.")
    ] = 10.0,
    open_router: Annotated[
        bool,
        typer.Option(
            "--open",
            help="No sharing rules and no audit: a plain federation router (benchmarks, "
            "conformance suites). A supergraph without the mesh's subgraphs is served so "
            "anyway.",
        ),
    ] = False,
) -> None:
    """Serve the graph: compose the running subgraphs, or serve a given supergraph
    (GraphiQL at /graphiql/)."""
    from devtools.topology import local_subgraph_urls
    from mesh.gateway.discovery import CompositionFailed
    from mesh.gateway.serve import serve
    from mesh.gateway.settings import GatewaySettings

    settings = GatewaySettings()
    if open_router:
        settings.governance = False
    if subgraph:
        settings.subgraphs = dict(_name_url(item) for item in subgraph)
    elif not settings.subgraphs and supergraph is None:
        settings.subgraphs = local_subgraph_urls(port)
    try:
        serve(settings, host, port, supergraph=supergraph, poll_seconds=poll)
    except (ConnectionError, CompositionFailed) as exc:
        raise _fail(str(exc)) from None


@app.command("plan")
def plan_command(
    query: Annotated[str, typer.Argument(help="The operation, or @FILE to read it from a file.")],
    supergraph: Annotated[
        str | None,
        typer.Option(
            "--supergraph", help="Plan over this supergraph SDL file (default: the mesh's own)."
        ),
    ] = None,
    operation_name: Annotated[str | None, typer.Option("--operation")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The plan as JSON.")] = False,
) -> None:
    """Print the query plan for an operation: which subgraphs are asked, in what order."""
    from pathlib import Path

    from mesh.federation.plan import PlanningError, describe_plan, plan_operation, plan_to_json
    from mesh.federation.supergraph import SupergraphError, load_supergraph
    from mesh.schema_contract import CompositionFailed, composed_supergraph

    try:
        text = Path(query[1:]).read_text(encoding="utf-8") if query.startswith("@") else query
        if supergraph is not None:
            loaded = load_supergraph(Path(supergraph).read_text(encoding="utf-8"))
        else:
            loaded = composed_supergraph()[1]
        plan = plan_operation(loaded, text, operation_name)
    except (OSError, SupergraphError, CompositionFailed, PlanningError) as exc:
        raise _fail(str(exc), 2 if isinstance(exc, OSError) else 1) from None
    if as_json:
        import json

        typer.echo(json.dumps(plan_to_json(plan), indent=2))
    else:
        typer.echo(describe_plan(plan))


@schema_app.command("write")
def schema_write() -> None:
    """Compose every subgraph and write the client contract to schema/supergraph.graphql."""
    from mesh.schema_contract import CONTRACT_PATH, CompositionFailed, write_contract

    try:
        write_contract()
    except CompositionFailed as exc:
        raise _fail(str(exc)) from None
    console.print(f"wrote {CONTRACT_PATH}")


@schema_app.command("check")
def schema_check() -> None:
    """Fail when the committed contract differs from what the subgraphs compose to."""
    from mesh.schema_contract import CompositionFailed, contract_drift

    try:
        drift = contract_drift()
    except CompositionFailed as exc:
        raise _fail(str(exc)) from None
    if drift:
        typer.echo("\n".join(drift))
        raise _fail("the contract in schema/ is stale: run `mesh schema write`")
    console.print("schema/supergraph.graphql matches the composed subgraphs")


def _name_url(item: str) -> tuple[str, str]:
    name, sep, url = item.partition("=")
    if not sep or not name or not url.startswith(("http://", "https://")):
        raise typer.BadParameter(f"expected name=http://host:port/graphql, got {item!r}")
    return name, url


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())


if __name__ == "__main__":  # pragma: no cover - `python -m mesh.cli.app` (or `python -m mesh`)
    main()
