"""Governance commands: development tokens, the audit chain, and the IG lead's policy tools."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

if TYPE_CHECKING:
    from authz.audit_chain import VerifyReport
    from authz.explain import Parties
    from authz.policy import SharingRules

import typer
from rich.console import Console

from store.settings import MeshSettings

console = Console()
err_console = Console(stderr=True)

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
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
    from store import StoreUnreachable, open_server

    async def verify() -> VerifyReport:
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
    if report.ok:
        console.print(
            f"audit chain intact: {report.checked:,} records, head "
            f"#{report.head_seq} {report.head_hash}"
        )
        return
    raise _fail(
        f"audit chain broken at record #{report.broken_seq}: {report.kind} — {report.detail}"
    )


@audit_app.command("reconcile")
def audit_reconcile(
    hours: Annotated[
        float, typer.Option("--hours", min=0.01, max=24 * 366, help="How far back to look.")
    ] = 24.0,
    grace: Annotated[
        float,
        typer.Option("--grace", min=0, max=3600, help="Seconds of requests still in flight."),
    ] = 60.0,
) -> None:
    """Check every agency's own access log against the central chain: each request an agency
    served must be recorded centrally, by the same caller, naming whom it asked about."""
    from datetime import UTC, datetime, timedelta

    from rich.table import Table

    from authz.audit import AuditLog, AuditUnavailable
    from authz.reconcile import ReconcileReport, reconcile
    from store import STORES, StoreUnreachable, open_server

    async def run() -> ReconcileReport:
        address = open_server(MeshSettings()).address
        logs = {s.name: address.dsn(s.name) for s in STORES if s.kind in ("agency", "index")}
        log = await AuditLog.open(address.dsn("governance"))
        now = datetime.now(UTC)
        try:
            return await reconcile(
                log,
                logs,
                since=now - timedelta(hours=hours),
                until=now - timedelta(seconds=grace),
            )
        finally:
            await log.close()

    try:
        report = asyncio.run(run())
    except (StoreUnreachable, AuditUnavailable) as exc:
        raise _fail(str(exc)) from None
    checked = sum(report.checked.values())
    if report.ok:
        console.print(f"{checked:,} agency log rows reconciled with the central chain")
        return
    table = Table(title=f"{len(report.discrepancies)} discrepancies in {checked:,} rows")
    for column in ("kind", "agency", "request", "context", "detail"):
        table.add_column(column)
    for d in report.discrepancies:
        table.add_row(d.kind, d.store, d.request_id, d.context_id, d.detail)
    console.print(table)
    raise typer.Exit(1)


policy_app = typer.Typer(help="Data-sharing agreements, for IG leads.", no_args_is_help=True)


def _rules_and_contract() -> tuple[SharingRules, str]:
    from authz.agreements import AgreementError
    from authz.policy import SharingRules
    from mesh.schema_contract import CONTRACT_PATH

    try:
        rules = SharingRules.load()
    except AgreementError as exc:
        raise _fail(f"the agreements do not load: {exc}") from None
    return rules, CONTRACT_PATH.read_text(encoding="utf-8")


def _parties() -> Parties:
    """The mesh's agencies and index, from the deployment's registry."""
    from authz.explain import Parties
    from subgraphs.registry import AGENCIES, INDEX

    return Parties(AGENCIES, INDEX)


@policy_app.command("explain")
def policy_explain(
    org: Annotated[str, typer.Option("--org", help="Organisation code, e.g. QOP.")],
    role: Annotated[str, typer.Option("--role", help="One role, e.g. gp.")],
    purpose: Annotated[str, typer.Option("--purpose", help="DIRECT_CARE, SAFEGUARDING, …")],
    no_case: Annotated[
        bool, typer.Option("--no-case", help="As if no case reference were given.")
    ] = False,
) -> None:
    """Every field of the contract: allowed, masked or denied, and the agreement that decides."""
    from authz.explain import explain, rows_table
    from authz.model import PurposeOfUse

    try:
        wanted = PurposeOfUse(purpose.strip().upper())
    except ValueError:
        choices = ", ".join(p.value for p in PurposeOfUse)
        raise _fail(f"unknown purpose {purpose!r}; use one of {choices}", 2) from None
    rules, contract = _rules_and_contract()
    rows = explain(
        rules, contract, org, role, wanted, case_reference=not no_case, parties=_parties()
    )
    console.print(rows_table(rows, f"{role} at {org} for {wanted.value}"))


def _checked_contract(
    supergraph: Path | None, live: bool, subgraph: list[str] | None
) -> tuple[str, dict[str, tuple[str, ...]] | None, Parties, str]:
    """(contract SDL, coordinate -> parties or None, the parties, where it came from)."""
    from authz.explain import Parties
    from mesh.enforce.supergraph_contract import SupergraphUnreadable, read_supergraph
    from mesh.schema_contract import CONTRACT_PATH
    from subgraphs.registry import INDEX

    if supergraph is not None:
        try:
            text, source = supergraph.read_text(encoding="utf-8"), str(supergraph)
        except OSError as exc:
            raise _fail(f"cannot read the supergraph {supergraph}: {exc}") from None
    elif live or subgraph:
        from devtools.topology import local_subgraph_urls
        from mesh.gateway.discovery import CompositionFailed, live_supergraph
        from mesh.gateway.settings import GatewaySettings

        urls = dict(_name_url(item) for item in subgraph or ()) or (
            GatewaySettings().subgraphs or local_subgraph_urls()
        )
        try:
            text, source = asyncio.run(live_supergraph(urls)), "the running subgraphs"
        except (ConnectionError, CompositionFailed) as exc:
            raise _fail(str(exc)) from None
    else:
        contract = CONTRACT_PATH.read_text(encoding="utf-8")
        return contract, None, _parties(), str(CONTRACT_PATH)
    try:
        read = read_supergraph(text)
    except SupergraphUnreadable as exc:
        raise _fail(f"cannot read the supergraph ({source}): {exc}") from None
    centre = {"mesh": INDEX}  # the centre's own fields are the index's
    agencies = {
        c: tuple(centre.get(a, a) for a in owners) for c, owners in read.field_agencies.items()
    }
    names = tuple(n for n in read.subgraphs if n not in (INDEX, "mesh"))
    return read.contract_sdl, agencies, Parties(names, INDEX), source


def _name_url(item: str) -> tuple[str, str]:
    name, sep, url = item.partition("=")
    if not sep or not name or not url.startswith(("http://", "https://")):
        raise typer.BadParameter(f"expected name=http://host:port/graphql, got {item!r}")
    return name, url


@policy_app.command("check")
def policy_check(
    supergraph: Annotated[
        Path | None,
        typer.Option("--supergraph", help="Check this Federation supergraph SDL file."),
    ] = None,
    live: Annotated[
        bool, typer.Option("--live", help="Check what the running subgraphs compose to.")
    ] = False,
    subgraph: Annotated[
        list[str] | None,
        typer.Option("--subgraph", help="name=url of a running subgraph (implies --live)."),
    ] = None,
) -> None:
    """Fail when a field is unclassified or has no agreement, a name is unknown, the law is not
    met for a field's category, or a review is due. By default the committed contract; with
    --supergraph or --live the supergraph a deployment really runs."""
    from datetime import date

    from authz.agreements import AgreementError
    from authz.explain import check, problems_table
    from authz.policy import SharingRules

    try:
        rules = SharingRules.load()
    except AgreementError as exc:
        raise _fail(f"the agreements do not load: {exc}") from None
    contract, agencies, parties, source = _checked_contract(supergraph, live, subgraph)
    problems = check(rules, contract, date.today(), agencies, parties=parties)
    if problems:
        console.print(problems_table(problems))
        console.print(f"checked against {source}")
        raise typer.Exit(1)
    console.print(f"{len(rules.agreements)} agreements checked: no problems ({source})")


@policy_app.command("transparency")
def policy_transparency(
    out: Annotated[
        str | None, typer.Option("--out", help="Write the page here instead of printing it.")
    ] = None,
) -> None:
    """A plain-words page for residents on who shares what, why, and until when."""
    from pathlib import Path

    from authz.explain import transparency_page

    rules, _ = _rules_and_contract()
    page = transparency_page(rules, parties=_parties())
    if out:
        Path(out).write_text(page, encoding="utf-8")
        console.print(f"wrote {out}")
    else:
        typer.echo(page)
