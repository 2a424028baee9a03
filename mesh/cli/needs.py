"""``mesh needs``: the agencies' needs-indicator catalogues and their evaluation."""

from __future__ import annotations

import asyncio
import time

import typer
from rich.console import Console
from rich.table import Table

from store.settings import MeshSettings

needs_app = typer.Typer(help="Needs indicators (Supporting Families).", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


@needs_app.command("check")
def check_command() -> None:
    """Load and validate every agency's catalogue (exit 1 naming the file and key at fault)."""
    from subgraphs.kit.needs.catalogue import CatalogueError, all_catalogues

    try:
        catalogues = all_catalogues()
    except CatalogueError as error:
        err_console.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    table = Table(title="Needs indicator catalogues")
    for column in ("agency", "catalogue", "indicator", "outcome", "condition"):
        table.add_column(column)
    for agency, catalogue in catalogues.items():
        for indicator in catalogue.indicators:
            condition = indicator.condition
            text = (
                "present"
                if condition.operator == "present"
                else f"{condition.operator} {condition.threshold:g}"
            )
            if indicator.within_days:
                text += f" within {indicator.within_days} days"
            if indicator.local_authorities:
                text += " (" + ", ".join(indicator.local_authorities) + " differ)"
            table.add_row(agency, catalogue.ref, indicator.code, indicator.outcome.value, text)
    console.print(table)


@needs_app.command("refresh")
def refresh_command() -> None:
    """Re-evaluate every agency's needs indicators from its facts (also done by `mesh link`)."""
    from store import open_server
    from store.server import connect
    from subgraphs.kit.needs.catalogue import all_catalogues
    from subgraphs.kit.needs.evaluate import refresh

    address = open_server(MeshSettings()).address

    async def run() -> list[tuple[str, int, float]]:
        done = []
        for agency, catalogue in all_catalogues().items():
            started = time.perf_counter()
            conn = await connect(address, agency)
            try:
                count = await refresh(conn, catalogue)
            finally:
                await conn.close()
            done.append((agency, count, time.perf_counter() - started))
        return done

    table = Table(title="Needs indicators evaluated")
    for column in ("agency", "indicators", "seconds"):
        table.add_column(column, justify="right" if column != "agency" else "left")
    for agency, count, seconds in asyncio.run(run()):
        table.add_row(agency, f"{count:,}", f"{seconds:.1f}")
    console.print(table)
