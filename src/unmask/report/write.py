"""``write_report``: the report and every export of a case, from its open workspace.

Writes ``CASE/report.html``, the network as ``CASE/network.gexf`` and ``CASE/network.graphml`` with every node
and edge attribute (for Gephi), and under ``CASE/exports/``: the reviewed tables as CSV and Parquet (accounts
with persona signals and verdicts, clusters with confidence, DISARM codes and verdicts, edges, the evidence pairs
shown, verdicts), a STIX 2.1 bundle and a Markdown summary.  Each file is written to a temporary name and renamed,
so a reader never sees half a file.  Every table and graph is streamed by DuckDB; Python holds only what the
report shows (bounded by :class:`.ReportOptions`), one row per cluster, and the analyst's verdicts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from .collect import collect
from .graph import write_graphs
from .html import render_report
from .markdown import render_markdown
from .model import ReportOptions
from .stix import bundle_json
from .tables_export import reviewed, write_tables

REPORT_FILE = "report.html"
EXPORTS_DIR = "exports"


def write_report(con: duckdb.DuckDBPyConnection, case_dir: Path | str, options: ReportOptions | None = None,
                 run: dict[str, Any] | None = None) -> dict[str, Path]:
    """Write report.html and the exports of the workspace open on ``con``; returns the files by name.

    ``run`` is the analysis record (``run.json``); by default it is read from the case folder.
    """
    case_dir = Path(case_dir)
    options = options or ReportOptions()
    report = collect(con, case_dir, options, run)
    exports = case_dir / EXPORTS_DIR
    exports.mkdir(parents=True, exist_ok=True)
    files = {"report": case_dir / REPORT_FILE, "summary": exports / "summary.md", "stix": exports / "stix-bundle.json"}
    _atomic(files["report"], lambda path: path.write_text(render_report(report), encoding="utf-8"))
    _atomic(files["summary"], lambda path: path.write_text(render_markdown(report), encoding="utf-8"))
    _atomic(files["stix"], lambda path: path.write_text(bundle_json(con, report), encoding="utf-8"))
    with reviewed(con, report.clusters, report.verdicts):
        files |= write_tables(con, exports, _atomic)
        files |= write_graphs(con, case_dir, _atomic)
    return files


def _atomic(path: Path, write: Callable[[Path], Any]) -> None:
    """Call ``write`` on a temporary sibling of ``path``, then rename it over ``path``."""
    temporary = path.with_name(f".{path.name}.partial")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
