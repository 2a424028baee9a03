"""``mesh compose``: subgraph SDL (files, running subgraphs or a supergraph.yaml) → supergraph SDL.

Wire it into a Typer app with ``app.command("compose")(compose_command)``. Exit status: 0
composed, 1 composition errors (each printed with its code, coordinate and subgraphs), 2 the
subgraphs could not be read or fetched.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mesh.federation.compose.compose import CompositionResult, compose
from mesh.federation.compose.errors import CompositionError, CompositionHint
from mesh.federation.compose.sources import (
    DEFAULT_TIMEOUT_SECONDS,
    SourceError,
    sources_from_arguments,
    sources_from_config,
)

EXIT_ERRORS = 1
EXIT_INPUT = 2


def format_error(error: CompositionError) -> str:
    where = f" {error.coordinate}" if error.coordinate else ""
    subgraphs = f" (subgraphs: {', '.join(error.subgraphs)})" if error.subgraphs else ""
    body = "\n".join(f"  {line}" for line in error.message.splitlines())
    return f"error[{error.code}]{where}{subgraphs}\n{body}"


def format_hint(hint: CompositionHint) -> str:
    where = f" {hint.coordinate}" if hint.coordinate else ""
    return f"hint[{hint.code}]{where}: {hint.message}"


def _routing_urls(values: list[str]) -> dict[str, str]:
    urls: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or not name or not url:
            raise typer.BadParameter(
                f'expected NAME=URL, got "{value}"', param_hint="--routing-url"
            )
        urls[name] = url
    return urls


def compose_command(
    subgraphs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Subgraphs: FILE (named after the file), NAME=FILE, or NAME=URL to fetch "
            "{ _service { sdl } } from a running subgraph.",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="A rover-style supergraph.yaml.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the supergraph SDL here (default: stdout)."),
    ] = None,
    routing_url: Annotated[
        list[str] | None,
        typer.Option("--routing-url", help="NAME=URL: the URL routers call for that subgraph."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds allowed for each SDL fetch.")
    ] = DEFAULT_TIMEOUT_SECONDS,
    satisfiability: Annotated[
        bool,
        typer.Option(
            "--satisfiability/--no-satisfiability",
            help="Check that every field a client can query is reachable.",
        ),
    ] = True,
    hints: Annotated[bool, typer.Option("--hints/--no-hints", help="Print hints.")] = True,
) -> None:
    """Compose subgraphs into a supergraph SDL (Apollo Federation 1 and 2)."""
    if not subgraphs and config is None:
        raise typer.BadParameter("give subgraphs or --config")
    try:
        sources = sources_from_arguments(
            subgraphs or [], routing_urls=_routing_urls(routing_url or []), timeout=timeout
        )
        if config is not None:
            sources += sources_from_config(config, timeout=timeout)
    except SourceError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    result = compose(sources, check_satisfiability=satisfiability)
    raise typer.Exit(report(result, output=output, hints=hints))


def report(result: CompositionResult, *, output: Path | None, hints: bool) -> int:
    """Print hints and errors to stderr, the supergraph to ``output``; the exit status."""
    if hints:
        for hint in result.hints:
            typer.echo(format_hint(hint), err=True)
    if not result.ok:
        for error in result.errors:
            typer.echo(format_error(error), err=True)
        count = len(result.errors)
        typer.echo(f"composition failed: {count} error{'s' if count != 1 else ''}", err=True)
        return EXIT_ERRORS
    sdl = (result.supergraph_sdl or "") + "\n"
    if output is None:
        sys.stdout.write(sdl)
    else:
        try:
            output.write_text(sdl, encoding="utf-8")
        except OSError as exc:
            typer.echo(f"error: cannot write {output}: {exc}", err=True)
            return EXIT_INPUT
        typer.echo(f"supergraph written to {output}", err=True)
    return 0
