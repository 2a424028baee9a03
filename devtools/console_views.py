"""What the command line shows: rich tables and progress bars, kept apart from the logic."""

from __future__ import annotations

import asyncio

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from devtools.seed import SEEDED_STORES, SeedReport, seed
from store.dsn import ServerAddress
from store.migrate import MigrationReport, migrate_all


def migration_table(reports: list[MigrationReport]) -> Table:
    table = Table(title="Migrations")
    table.add_column("store")
    table.add_column("applied now")
    table.add_column("already applied", justify="right")
    for r in reports:
        table.add_row(r.store, ", ".join(r.applied) or "-", str(r.already))
    return table


def migrate_quietly(address: ServerAddress) -> list[MigrationReport]:
    return asyncio.run(migrate_all(address))


def row_count_table(per_store: dict[str, dict[str, int]]) -> Table:
    table = Table(title="Rows per store")
    table.add_column("store")
    table.add_column("tables", justify="right")
    table.add_column("rows", justify="right")
    for store, counts in per_store.items():
        table.add_row(store, str(len(counts)), f"{sum(counts.values()):,}")
    return table


def seed_summary(report: SeedReport) -> Table:
    table = Table(
        title=(
            f"Seeded {report.people:,} people (seed {report.seed}) in {report.seconds:.1f} s "
            f"= {report.people_per_second:,.0f} people/s"
        )
    )
    table.add_column("store")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for (store, name), count in sorted(report.rows.items()):
        table.add_row(store, name, f"{count:,}")
    table.add_section()
    for store, total in report.rows_per_store().items():
        table.add_row(store, "[bold]all[/]", f"[bold]{total:,}[/]")
    if report.without_generator:
        table.caption = (
            f"No synthetic generator for {', '.join(report.without_generator)}: "
            "their stores are left empty (write devtools/synth/agencies/<name>.py to seed them)."
        )
    return table


def seed_with_progress(
    console: Console, address: ServerAddress, people: int, seed_value: int, reset: bool
) -> SeedReport:
    """Migrate, then seed with one progress bar per store (advancing by people covered)."""
    migrate_quietly(address)
    columns = (
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rows]:>12,} rows"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        tasks = {s.name: progress.add_task(s.name, total=people, rows=0) for s in SEEDED_STORES}
        loaded: dict[str, int] = dict.fromkeys(tasks, 0)

        def advance(store: str, rows: int, covered: int) -> None:
            loaded[store] += rows
            progress.update(tasks[store], advance=covered, rows=loaded[store])

        return asyncio.run(seed(address, people, seed_value, reset=reset, progress=advance))
