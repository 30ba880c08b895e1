"""``unmask simulate``: write a synthetic world with planted campaigns and its ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from .engine import FORMATS, simulate
from .scenarios import SCENARIOS


def parse_avatars(value: str | None) -> tuple[Path, Path] | None:
    """``FAKE_DIR:REAL_DIR`` as two paths; both must be folders."""
    if value is None:
        return None
    fake, sep, real = value.partition(":")
    if not sep or not fake or not real:
        raise typer.BadParameter("give two folders as FAKE_DIR:REAL_DIR")
    dirs = (Path(fake), Path(real))
    for folder in dirs:
        if not folder.is_dir():
            raise typer.BadParameter(f"{folder}: not a folder")
    return dirs


def simulate_command(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the export, ground_truth.csv and scenario.json")],
    scenario: Annotated[str, typer.Option("--scenario", help=f"One of: {', '.join(SCENARIOS)}")] = "demo",
    accounts: Annotated[Optional[int], typer.Option("--accounts", help="Scale the scenario to N accounts")] = None,
    days: Annotated[Optional[int], typer.Option("--days", help="Length of the window in days")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes")] = 0,
    fmt: Annotated[str, typer.Option("--format", help=f"Export format: {' | '.join(FORMATS)}")] = "io-archive",
    avatars: Annotated[Optional[str], typer.Option("--avatars", help="FAKE_DIR:REAL_DIR: write avatars")] = None,
) -> None:
    """Simulate a platform with organic accounts and planted influence campaigns, with exact ground truth."""
    console = Console(stderr=True)
    folders = parse_avatars(avatars)
    tasks: dict[str, TaskID] = {}
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), console=console) as bar:

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done, total=total)

        try:
            summary = simulate(out, scenario, accounts, days, seed, fmt, folders, progress=progress)
        except (KeyError, ValueError) as exc:
            console.print(f"[red]error:[/red] {exc.args[0] if exc.args else exc}")
            raise typer.Exit(2) from exc
    table = Table(title=f"simulated {summary.scenario} (seed {summary.seed}, {summary.format})")
    table.add_column("what")
    table.add_column("value", justify="right")
    for what, value in (("days", f"{summary.days}"), ("accounts", f"{summary.accounts:,}"),
                        ("campaign accounts", f"{summary.campaign_accounts:,}"), ("posts", f"{summary.posts:,}"),
                        ("seconds", f"{summary.seconds:.1f}")):
        table.add_row(what, value)
    for path in [*summary.files, summary.ground_truth, summary.avatars]:
        if path is not None:
            table.add_row("file", str(path))
    console.print(table)
