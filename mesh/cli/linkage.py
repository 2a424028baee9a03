"""``mesh link``: pseudonymous linkage across the agencies, and its evaluation."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from linkage.evaluate import LinkageScores
from linkage.exchange import LinkReport
from store.settings import MeshSettings

console = Console()
err_console = Console(stderr=True)


def link_command(
    evaluate: Annotated[
        bool, typer.Option("--evaluate", help="Score the result against the ground truth.")
    ] = False,
) -> None:
    """Link agency records into mesh persons and households (keyed hashes only), then
    write each agency's crosswalk."""
    from linkage.evaluate import evaluate as score
    from linkage.exchange import LinkInProgress, link_all
    from linkage.key import LinkageKeyError, load_linkage_key
    from store import StoreUnreachable, open_server
    from store.migrate import MigrationError, migrate_all

    settings = MeshSettings()
    try:
        address = open_server(settings).address
        asyncio.run(migrate_all(address))
        key = load_linkage_key(settings.data_dir)
        with console.status("linking…") as status:

            def progress(step: str, count: int) -> None:
                status.update(f"linking: {step} ({count:,})")

            report = asyncio.run(link_all(address, key, progress))
    except (StoreUnreachable, MigrationError, LinkageKeyError, LinkInProgress) as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from None
    console.print(link_table(report))
    if evaluate:
        scores = asyncio.run(score(address))
        console.print(scores_table(scores))


def link_table(r: LinkReport) -> Table:
    table = Table(
        title=(
            f"Linked {r.total_records:,} records into {r.persons:,} mesh persons and "
            f"{r.households:,} households in {r.total_seconds:.1f} s"
        )
    )
    table.add_column("agency")
    table.add_column("records", justify="right")
    for agency, count in r.records.items():
        table.add_row(agency, f"{count:,}")
    table.add_section()
    for phase, seconds in r.seconds.items():
        table.add_row(f"[dim]{phase}[/]", f"{seconds:.1f} s")
    table.add_row("[dim]mesh ids kept from the last run[/]", f"{r.kept_person_ids:,}")
    table.add_row("[dim]blocks skipped (too common)[/]", f"{r.blocks_skipped:,}")
    return table


def scores_table(s: LinkageScores) -> Table:
    table = Table(title=f"Linkage against the ground truth ({s.seconds:.1f} s)")
    table.add_column("measure")
    table.add_column("persons", justify="right")
    table.add_column("households", justify="right")
    person, household = s.person_pairs, s.household_pairs
    table.add_row("pairwise precision", f"{person.precision:.4f}", f"{household.precision:.4f}")
    table.add_row("pairwise recall", f"{person.recall:.4f}", f"{household.recall:.4f}")
    table.add_row("pairwise F1", f"{person.f1:.4f}", f"{household.f1:.4f}")
    table.add_section()
    table.add_row("agency records scored", f"{s.records:,}", "")
    table.add_row("records without a mesh id", f"{s.unlinked_records:,}", "")
    table.add_row("mesh persons / true people", f"{s.persons:,} / {s.true_persons:,}", "")
    table.add_row("mesh persons merging 2+ people", f"{s.merged_persons:,}", "")
    table.add_row("true people split over 2+ ids", f"{s.split_persons:,}", "")
    return table
