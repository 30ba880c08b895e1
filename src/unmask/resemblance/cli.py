"""``unmask fingerprint`` (reference fingerprints from takedown data) and ``unmask compare`` (a case's clusters
against a reference library)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ..ingest import FormatError
from ..workspace import WORKSPACE_FILE, Workspace
from .build import build_fingerprints
from .calibrate import NULL_SAMPLES
from .clusters import compare_clusters
from .fingerprint import Fingerprint
from .library import reference_file_name, save_references

DISCLAIMER = ("Resemblance is not attribution: a cluster that resembles a known takedown shares measured habits "
              "with it, which unrelated operators can share too.")


def fingerprint_command(
    archives: Annotated[list[Path], typer.Argument(help="Takedown files, folders or archives (any format unmask reads)")],
    name: Annotated[str, typer.Option("--name", help="Name of the reference, e.g. 'Twitter IO China 2019-08'")],
    out: Annotated[Optional[Path], typer.Option("--out", help="A .json file, or a library folder (one file per "
                                                "reference + index.json); default NAME.json, or folder NAME with --group-by")] = None,
    group_by: Annotated[Optional[str], typer.Option("--group-by", help="One reference per value of this column "
                                                    "(of the accounts table or of the input files)")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="Force an input format (see `unmask formats`)")] = None,
    description: Annotated[str, typer.Option(help="Where the data comes from, in words")] = "",
) -> None:
    """Build reference fingerprints (no post text, ids or handles) from takedown data you hold."""
    console = Console(stderr=True)
    try:
        default = Path(reference_file_name(name))
        target = out or (default.with_suffix("") if group_by else default)
        if group_by and target.suffix == ".json":
            raise ValueError("--group-by makes one reference per label: give --out a folder")
        fingerprints = build_fingerprints(archives, name, group_by, fmt, description)
    except (FormatError, FileNotFoundError, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if target.suffix == ".json":
        fingerprints[0].save(target)
    else:
        save_references(fingerprints, target)
    _print_fingerprints(fingerprints, target)


def compare_command(
    case: Annotated[Path, typer.Argument(help="Case folder analysed with `unmask analyze`")],
    library: Annotated[Optional[Path], typer.Option("--library", help="Reference library folder (default: the "
                                                    "references shipped with unmask)")] = None,
    samples: Annotated[int, typer.Option(help="Random same-size sets of unflagged accounts per cluster size")] = NULL_SAMPLES,
    seed: Annotated[int, typer.Option(help="Seed of the random sets")] = 0,
    top: Annotated[int, typer.Option(help="References shown per cluster")] = 3,
) -> None:
    """Rank every reference for every cluster: similarity, how unusual it is, matching and differing features."""
    console = Console(stderr=True)
    try:
        if not (case / WORKSPACE_FILE).exists():
            raise FileNotFoundError(f"{case}: no {WORKSPACE_FILE} here (run `unmask analyze` first)")
        with Workspace(case) as ws:
            ws.con.execute("SET enable_progress_bar = false")
            result = compare_clusters(ws.con, library, case, samples, seed)
    except (FileNotFoundError, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    table = Table(title=f"{case}: {result.clusters} clusters vs {result.references} references")
    for column in ("cluster", "size", "reference", "similarity", "percentile", "matching", "differing"):
        table.add_column(column, justify="right" if column in ("cluster", "size", "similarity", "percentile") else "left")
    for row in result.rows.to_pylist():
        if row["rank"] <= top:
            table.add_row(str(row["cluster_id"]), str(row["size"]), row["reference"], _value(row["similarity"]),
                          _value(row["percentile"], "{:.0f}"), "\n".join(row["matching"][:1]),
                          "\n".join(row["differing"][:1]))
    Console().print(table)
    console.print(f"{DISCLAIMER}\nEvery row, with its statement and missing families: {result.csv}")


def _print_fingerprints(fingerprints: list[Fingerprint], target: Path) -> None:
    table = Table(title=f"fingerprints written to {target}")
    for column in ("name", "accounts", "posts", "period", "families"):
        table.add_column(column, justify="right" if column in ("accounts", "posts") else "left")
    for f in fingerprints:
        table.add_row(f.name, f"{f.accounts:,}", f"{f.posts:,}", " to ".join(f.period) if f.period else "",
                      ", ".join(f.to_dict()["families"]))
    Console().print(table)


def _value(value: float | None, pattern: str = "{:.2f}") -> str:
    return "" if value is None else pattern.format(value)
