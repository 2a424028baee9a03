"""Governance commands: development tokens, the audit chain, and the IG lead's policy tools."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console

from mesh.settings import MeshSettings

console = Console()
err_console = Console(stderr=True)

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def token_command(
    org: Annotated[str, typer.Option("--org", help="Organisation, e.g. gm-icb, manchester-cc.")],
    role: Annotated[list[str], typer.Option("--role", help="A role; repeat for several.")],
    subject: Annotated[str, typer.Option("--subject", help="The user's id (sub).")] = "dev-user",
    name: Annotated[str | None, typer.Option("--name", help="Staff name (kept for IG).")] = None,
    ttl: Annotated[int, typer.Option("--ttl", min=60, max=86_400, help="Seconds.")] = 3600,
) -> None:
    """Mint a development bearer token signed by the local dev identity provider key."""
    from authz.dev_keys import ensure_dev_keys, mint_token

    if not org.strip() or not all(r.strip() for r in role):
        raise _fail("--org and every --role must be non-empty", 2)
    keys = ensure_dev_keys(MeshSettings().data_dir)
    typer.echo(mint_token(keys, org, role, subject=subject, name=name, ttl=ttl))


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit hash chain; fail if any record was edited, deleted or reordered."""
    from authz.audit import AuditLog, AuditUnavailable
    from mesh.store import StoreUnreachable, open_server

    async def verify() -> object:
        handle = open_server(MeshSettings())
        log = await AuditLog.open(handle.address.dsn("governance"))
        try:
            return await log.verify()
        finally:
            await log.close()

    try:
        report = asyncio.run(verify())
    except (StoreUnreachable, AuditUnavailable) as exc:
        raise _fail(str(exc)) from None
    if getattr(report, "ok", False):
        console.print(
            f"audit chain intact: {report.checked:,} records, head "  # type: ignore[attr-defined]
            f"#{report.head_seq} {report.head_hash}"  # type: ignore[attr-defined]
        )
        return
    raise _fail(
        f"audit chain broken at record #{report.broken_seq}: "  # type: ignore[attr-defined]
        f"{report.kind} — {report.detail}"  # type: ignore[attr-defined]
    )
