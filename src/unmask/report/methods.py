"""The methods section: every parameter of the run (``CASE/run.json``), the report's own thresholds, the rules
behind the DISARM codes and confidence words, the software versions and the input files with their sha256.

Run timings are left out: they change between identical runs and say nothing about the method.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import duckdb

from ..personas.schedule import MIN_POSTS
from .clusters import CONFIDENCE_BANDS
from .disarm import CATALOGUE, RULES
from .model import Methods, ReportOptions
from .tables import dict_rows, has_table

VENDOR = Path(__file__).parent / "vendor"
RUN_FILE = "run.json"
SKIPPED_RUN_KEYS = ("seconds", "inputs")


def read_run(case_dir: Path) -> dict[str, Any]:
    """``CASE/run.json`` as a dict; empty when it is missing or unreadable."""
    try:
        run = json.loads((case_dir / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return run if isinstance(run, dict) else {}


def methods(con: duckdb.DuckDBPyConnection, run: dict[str, Any], options: ReportOptions) -> Methods:
    """Collect the methods section from the run record, the options and the workspace's ingest log."""
    rules = [(tid, CATALOGUE[tid].name, RULES[tid]) for tid in CATALOGUE]
    floors = [f"{name} from {floor:g}" for name, floor in CONFIDENCE_BANDS]
    rules.append(("confidence", "cluster score in words", ", ".join(floors) + " (0.5 is the significance threshold)"))
    rules.append(("zone", "inferred time zone", f"the UTC offset from -12 to +14 hours in which the network's posts "
                  "best correlate with a Monday-Friday 9:00-18:00 office week with a lunch dip; needs "
                  f"{MIN_POSTS} posts"))
    inputs = dict_rows(
        con, "SELECT file, format, sha256, rows_read, rows_stored, rows_quarantined FROM ingest_log ORDER BY file"
    ) if has_table(con, "ingest_log") else []
    return Methods(
        run=flatten({k: v for k, v in run.items() if k not in SKIPPED_RUN_KEYS}),
        report=flatten(asdict(options)),
        rules=rules,
        software=software(run),
        inputs=inputs,
    )


def software(run: dict[str, Any]) -> list[tuple[str, str]]:
    """Versions of unmask, the packages the run recorded, and the browser libraries inlined in the report."""
    rows = [("unmask", _installed("unmask") or str(run.get("unmask", "")))]
    rows += sorted((name, str(v)) for name, v in (run.get("packages") or {}).items())
    rows += sorted(vendored().items())
    return rows


def vendored() -> dict[str, str]:
    """The npm packages vendored for the report and their pinned versions (from ``vendor/package.json``)."""
    pinned = json.loads((VENDOR / "package.json").read_text(encoding="utf-8"))["dependencies"]
    return {f"{name} (npm)": str(v) for name, v in pinned.items()}


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested dicts as ``(dotted.key, text)`` rows, in key order; lists of scalars joined by commas."""
    if isinstance(value, dict):
        rows: list[tuple[str, str]] = []
        for key, item in value.items():
            rows += flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return rows
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return [(prefix, ", ".join(_text(v) for v in value))]
    if isinstance(value, list):
        return [row for i, item in enumerate(value) for row in flatten(item, f"{prefix}[{i}]")]
    return [(prefix, _text(value))]


def _text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _installed(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""
