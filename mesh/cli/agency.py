"""``mesh agency new NAME``: scaffold an agency (devtools/scaffold.py)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

agency_app = typer.Typer(help="Agencies of the mesh.", no_args_is_help=True)
console = Console()


@agency_app.command("new")
def agency_new(
    name: Annotated[str, typer.Argument(help="The agency's name, e.g. probation_service.")],
    category: Annotated[
        str, typer.Option("--category", help="The @sensitive category of its Person section.")
    ] = "identity",
) -> None:
    """Scaffold an agency: its folder, first migration, types, registry line, draft agreement."""
    from devtools.scaffold import ROOT, ScaffoldError, scaffold_agency
    from subgraphs.registry import known_subgraphs

    try:
        written = scaffold_agency(name, category, known_subgraphs())
    except ScaffoldError as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    for path in written:
        console.print(f"wrote {path.relative_to(ROOT)}", highlight=False)
    console.print(
        "next: mesh db migrate; fill its store; mesh link; mesh subgraph serve "
        f"{name} --port P; mesh schema write; complete the draft agreement "
        "(docs/adding-an-agency.md)",
        highlight=False,
        soft_wrap=True,
    )
