"""The ``unmask`` command.  Each stage contributes its command function; this module only wires them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .analyze import analyze_command
from .ingest import READERS, FileResult, FormatError, ingest
from .ingest.sources import Source
from .narratives.cli import narratives_command
from .personas.cli import faces_command
from .report.cli import report_command, serve_command
from .resemblance.cli import compare_command, fingerprint_command
from .simulate.cli import simulate_command
from .workspace import Workspace

app = typer.Typer(help="Uncover coordinated networks of fake profiles, and show the evidence.", no_args_is_help=True)
console = Console(stderr=True)


def progress() -> Progress:
    """A Rich progress display for steps that take more than a second."""
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), console=console, transient=False,
    )


def run_ingest(inputs: list[Path], case: Path, fmt: str | None, mapping: Path | None) -> list[FileResult]:
    """Ingest with a progress bar per file and a summary table; exits with status 2 on a format error."""
    sources_total = None
    with progress() as bar:
        task = bar.add_task("ingest", total=sources_total)

        def on_file(source: Source, result: FileResult | None) -> None:
            if result is None:
                bar.update(task, description=f"ingest {Path(source.name).name}")
            else:
                bar.advance(task)

        try:
            results = ingest(inputs, case, fmt=fmt, mapping=mapping, on_file=on_file)
        except (FormatError, FileNotFoundError) as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        bar.update(task, total=len(results), completed=len(results), description="ingest")
    print_ingest_summary(results)
    return results


def print_ingest_summary(results: list[FileResult]) -> None:
    """Print read / stored / quarantined per file, with totals that reconcile."""
    table = Table(title="ingest")
    for column in ("file", "format", "read", "stored", "quarantined", "seconds"):
        table.add_column(column, justify="right" if column not in ("file", "format") else "left")
    for r in results:
        if r.skipped:
            table.add_row(r.file, r.format, "-", "-", "-", r.skipped)
        else:
            table.add_row(r.file, r.format, f"{r.rows_read:,}", f"{r.rows_stored:,}", f"{r.rows_quarantined:,}",
                          f"{r.seconds:.1f}")
    table.add_row("total", "", f"{sum(r.rows_read for r in results):,}", f"{sum(r.rows_stored for r in results):,}",
                  f"{sum(r.rows_quarantined for r in results):,}", "")
    console.print(table)


def ingest_command(
    inputs: Annotated[list[Path], typer.Argument(help="Files, folders or .zip/.gz/.zst archives")],
    case: Annotated[Path, typer.Option("--case", help="Case folder holding workspace.duckdb")],
    fmt: Annotated[Optional[str], typer.Option("--format", help="Force a format (see `unmask formats`)")] = None,
    mapping: Annotated[Optional[Path], typer.Option("--map", help="TOML mapping for a generic CSV/Parquet/JSONL")] = None,
) -> None:
    """Load exports into CASE/workspace.duckdb as canonical accounts, posts and media."""
    run_ingest(inputs, case, fmt, mapping)


def formats_command() -> None:
    """List the formats unmask reads, with the fields each needs."""
    table = Table(title="formats")
    for column in ("format", "platform", "what", "needs"):
        table.add_column(column)
    for name, reader in sorted(READERS.items()):
        table.add_row(name, reader.platform, reader.description, ", ".join(reader.required))
    Console().print(table)


def info_command(case: Annotated[Path, typer.Argument(help="Case folder")]) -> None:
    """Summarise a case workspace: tables, files ingested, platforms, period."""
    try:
        ws = Workspace(case, read_only=True)
    except FileNotFoundError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    with ws:
        out = Console()
        counts = Table(title=f"{case} (unmask {__version__})")
        counts.add_column("table")
        counts.add_column("rows", justify="right")
        for table, rows in ws.counts().items():
            counts.add_row(table, f"{rows:,}")
        out.print(counts)
        platforms = ws.con.execute(
            "SELECT platform, count(*), min(created_at), max(created_at), count(DISTINCT account_id) "
            "FROM posts GROUP BY platform ORDER BY platform"
        ).fetchall()
        period = Table(title="posts by platform")
        for column in ("platform", "posts", "first", "last", "accounts posting"):
            period.add_column(column)
        for platform, posts, first, last, accounts in platforms:
            period.add_row(platform, f"{posts:,}", str(first), str(last), f"{accounts:,}")
        out.print(period)
        files = ws.con.execute(
            "SELECT file, format, rows_read, rows_stored, rows_quarantined FROM ingest_log ORDER BY ingested_at, file"
        ).fetchall()
        log = Table(title="files ingested")
        for column in ("file", "format", "read", "stored", "quarantined"):
            log.add_column(column)
        for row in files:
            log.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row))
        out.print(log)


def version_command() -> None:
    """Print the version."""
    print(__version__)


COMMANDS = (
    ("analyze", analyze_command),
    ("ingest", ingest_command),
    ("simulate", simulate_command),
    ("faces", faces_command),
    ("narratives", narratives_command),
    ("report", report_command),
    ("serve", serve_command),
    ("fingerprint", fingerprint_command),
    ("compare", compare_command),
    ("formats", formats_command),
    ("info", info_command),
    ("version", version_command),
)
"""Every command, in the order ``unmask --help`` lists them: the main job first."""

for _name, _command in COMMANDS:
    app.command(_name)(_command)
