"""``mesh link``: pseudonymous linkage across the agencies, its evaluation and explanations."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from linkage.evaluate import LinkageScores
from linkage.exchange import LinkReport
from linkage.index_side.explain import Explanation
from linkage.methods import Method
from linkage.review import ReviewPair
from store.settings import MeshSettings

console = Console()
err_console = Console(stderr=True)

link_app = typer.Typer(
    help="Link agency records into mesh persons and households (keyed hashes only).",
    invoke_without_command=True,
)


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


@link_app.callback()
def link_command(
    ctx: typer.Context,
    evaluate: Annotated[
        bool, typer.Option("--evaluate", help="Score the result against the ground truth.")
    ] = False,
    method: Annotated[
        Method, typer.Option("--method", help="splink (Fellegi-Sunter) or rules (linkage v1).")
    ] = Method.SPLINK,
    retrain: Annotated[
        bool, typer.Option("--retrain", help="Train a new model even if one is saved.")
    ] = False,
    delta: Annotated[
        bool, typer.Option("--delta", help="Send only records changed since the last run.")
    ] = False,
    review: Annotated[
        int,
        typer.Option(
            "--review", min=0, max=200, help="Borderline pairs to show (with --evaluate)."
        ),
    ] = 12,
) -> None:
    """Link agency records into mesh persons and households, then write each agency's
    crosswalk; nothing changes unless every part succeeds."""
    if ctx.invoked_subcommand is not None:
        return
    from linkage.delta import link_delta
    from linkage.evaluate import evaluate as score
    from linkage.exchange import LinkInProgress, LinkRefused, link_all
    from linkage.index_side.model import ModelError
    from linkage.key import LinkageKeyError, load_linkage_key
    from linkage.methods import clusterer_for
    from linkage.review import review_sample
    from store import StoreUnreachable, open_server
    from store.migrate import MigrationError, migrate_all

    settings = MeshSettings()
    try:
        address = open_server(settings).address
        asyncio.run(migrate_all(address))
        key = load_linkage_key(settings.data_dir)
        clusterer = clusterer_for(method, settings, key, retrain=retrain)
        with console.status("linking…") as status:

            def progress(step: str, count: int) -> None:
                status.update(f"linking: {step} ({count:,})")

            run = link_delta if delta else link_all
            report = asyncio.run(run(address, key, progress, clusterer))
    except (
        StoreUnreachable, MigrationError, LinkageKeyError, LinkInProgress, LinkRefused, ModelError
    ) as exc:  # fmt: skip
        raise _fail(str(exc)) from None
    console.print(link_table(report))
    if evaluate:
        scores = asyncio.run(score(address))
        console.print(scores_table(scores))
        pairs = asyncio.run(review_sample(address, key, review)) if review else []
        if pairs:
            console.print(review_table(pairs))


@link_app.command("explain")
def explain_command(
    left: Annotated[str, typer.Argument(help="A record as AGENCY:LOCAL_ID, e.g. police:GMP-N1.")],
    right: Annotated[str, typer.Argument(help="The other record, as AGENCY:LOCAL_ID.")],
) -> None:
    """Print the match weight of two agency records and each comparison's contribution.

    Each agency turns its own local id into its record reference; the index scores the two
    stored token sets with the saved model."""
    from linkage.index_side.model import ModelError
    from linkage.key import LinkageKeyError, load_linkage_key
    from linkage.review import RecordNotLinked, explain_records
    from store import StoreUnreachable, open_server

    settings = MeshSettings()
    try:
        address = open_server(settings).address
        key = load_linkage_key(settings.data_dir)
        result = asyncio.run(
            explain_records(address, key, settings.linkage_model_path, left, right)
        )
    except (StoreUnreachable, LinkageKeyError, ModelError, RecordNotLinked, ValueError) as exc:
        raise _fail(str(exc)) from None
    explanation, same_person = result
    console.print(explanation_table(left, right, explanation, same_person))


def link_table(r: LinkReport) -> Table:
    what = "Re-linked" if r.delta else "Linked"
    table = Table(
        title=(
            f"{what} {r.total_records:,} records into {r.persons:,} mesh persons and "
            f"{r.households:,} households in {r.total_seconds:.1f} s ({r.method})"
        )
    )
    table.add_column("agency")
    table.add_column("records", justify="right")
    for agency, count in r.records.items():
        gone = r.withdrawn.get(agency)
        table.add_row(agency, f"{count:,}" + (f" (-{gone:,})" if gone else ""))
    table.add_section()
    for phase, seconds in r.seconds.items():
        table.add_row(f"[dim]{phase}[/]", f"{seconds:.1f} s")
    for step, seconds in r.side_seconds.items():
        table.add_row(f"[dim]  of which {step}[/]", f"{seconds:.1f} s")
    table.add_row("[dim]mesh ids kept from the last run[/]", f"{r.kept_person_ids:,}")
    if r.delta:
        table.add_row("[dim]mesh persons re-linked[/]", f"{r.changed_persons:,}")
    for name, count in {**r.stats.links, **r.stats.ambiguous_blocks}.items():
        table.add_row(f"[dim]{name}[/]", f"{count:,}")
    return table


def scores_table(s: LinkageScores) -> Table:
    table = Table(title=f"Linkage against the ground truth ({s.seconds:.1f} s)")
    table.add_column("measure")
    table.add_column("persons", justify="right")
    table.add_column("households", justify="right")
    person, household = s.person_pairs, s.household_pairs
    table.add_row("pairwise precision", f"{person.precision:.5f}", f"{household.precision:.5f}")
    table.add_row("pairwise recall", f"{person.recall:.5f}", f"{household.recall:.5f}")
    table.add_row("pairwise F1", f"{person.f1:.5f}", f"{household.f1:.5f}")
    pc, hc = s.person_clusters, s.household_clusters
    table.add_row("clusters exactly right", f"{pc.exact_share:.4f}", f"{hc.exact_share:.4f}")
    table.add_row("mesh clusters / true", f"{pc.predicted:,} / {pc.true:,}",
                  f"{hc.predicted:,} / {hc.true:,}")  # fmt: skip
    table.add_row("mesh clusters merging 2+ true", f"{pc.merged:,}", f"{hc.merged:,}")
    table.add_row("true clusters split over 2+", f"{pc.split:,}", f"{hc.split:,}")
    table.add_section()
    table.add_row("agency records scored", f"{s.records:,}", "")
    table.add_row("records without a mesh id", f"{s.unlinked_records:,}", "")
    table.add_row("records without a household", "", f"{s.unhoused_records:,}")
    return table


def review_table(pairs: list[ReviewPair]) -> Table:
    table = Table(
        title="Clerical review: pairs nearest the threshold (resolved by each agency; "
        "the index holds only references and weights)"
    )
    for column in ("weight", "linked", "truth", "record", "other record"):
        table.add_column(column, justify="right" if column == "weight" else "left")
    for p in pairs:
        verdict = "same" if p.same_person else "different" if p.same_person is False else "?"
        table.add_row(
            f"{p.match_weight:+.1f}", "yes" if p.linked else "no", verdict, p.left, p.right
        )
    return table


def explanation_table(left: str, right: str, e: Explanation, same_person: bool | None) -> Table:
    verdict = "links" if e.links else "does not link"
    now = {True: "; one mesh person now", False: "; two mesh persons now", None: ""}[same_person]
    table = Table(
        title=f"{left} ↔ {right}: match weight {e.match_weight:+.2f} "
        f"(probability {e.match_probability:.6f}), {verdict} at {e.threshold:+.1f}{now}"
    )
    table.add_column("comparison")
    table.add_column("level")
    table.add_column("weight", justify="right")
    table.add_row("prior", "two random records match", f"{e.prior:+.2f}")
    for c in e.contributions:
        table.add_row(c.comparison, c.level, f"{c.weight:+.2f}")
    table.add_section()
    table.add_row("match weight", "", f"{e.match_weight:+.2f}")
    return table
