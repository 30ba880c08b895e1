"""``unmask analyze``: from exports (or an existing case) to the coordination network and its evidence files.

A run is a sequence of stages, each reading and writing tables of ``CASE/workspace.duckdb``:

1. ``ingest``  -- load the input files (skipped for files already in the case, or when no inputs are given);
2. ``traces``  -- behavioural traces: ``trace_actions``, ``trace_pairs``, ``trace_evidence``;
3. ``network`` -- significance, backbone, communities, scores: ``pair_significance``, ``network_edges``,
   ``account_scores``, ``clusters``;
4. ``personas`` -- profile photos when avatar files are present (``faces``, ``face_clusters``), and every
   persona signal (``persona_signals``, ``creation_bursts``);
5. ``narratives`` -- language, multilingual narrative clusters, known claims and targets (``narratives``,
   ``claim_matches``, ``targets``, ...; narratives.csv, targets.csv), when the ``narratives`` extra is installed;
6. ``resemblance`` -- each cluster against the reference fingerprints of known takedowns (``resemblance``);
7. ``export``  -- accounts.csv, clusters.csv (with the persona, face, narrative and resemblance columns), edges.csv,
   evidence.parquet, resemblance.csv;
8. ``report``  -- report.html, network.gexf and network.graphml for Gephi, and CASE/exports/ (reviewed tables,
   STIX 2.1 bundle, Markdown summary);
9. ``run.json`` -- every parameter, the software versions, the input files with their sha256, and the outputs.

The same workspace and options give byte-identical CSV, Parquet and graph files; only the timings in
``run.json`` change between runs.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any, Optional

import duckdb
import typer

from .db import scalar
from .ingest import FormatError, ingest
from .compat import MODES as COMPAT_MODES
from .compat import CompatResult
from .engines import ENGINES, Engine, DuckDBEngine, open_engine
from .network import NetworkParams, NetworkResult, resolve_method, run_compat_network, run_network
from .network.export import export_network
from .narratives import NarrativeOptions, run_narratives
from .narratives import available as narratives_available
from .personas import FacesUnavailable, analyze_faces, persona_signals
from .report import write_report
from .resemblance import compare_clusters
from .traces import TRACES, TraceParams
from .traces.run import TraceStats
from .traces.tables import clear_trace
from .workspace import WORKSPACE_FILE, Workspace

STAGES = ("ingest", "traces", "network", "personas", "narratives", "resemblance", "export", "report")
PACKAGES = ("duckdb", "networkx", "numpy", "pyarrow", "igraph", "leidenalg")


@dataclass
class AnalysisResult:
    """What one ``analyze`` run produced."""

    case: Path
    accounts: int
    flagged: int
    clusters: int
    edges: int
    files: dict[str, Path] = field(default_factory=dict)
    run: dict[str, Any] = field(default_factory=dict)


def analyze(
    inputs: list[Path] | list[str],
    out: Path | str,
    *,
    fmt: str | None = None,
    traces: list[str] | None = None,
    trace_params: TraceParams | None = None,
    network_params: NetworkParams | None = None,
    compat: str | None = None,
    min_weight: int | None = None,
    memory_limit: str | None = "4GB",
    on_stage: Callable[[str], None] | None = None,
    engine: str = "duckdb",
    spark_master: str | None = None,
    narratives: bool = True,
) -> AnalysisResult:
    """Ingest ``inputs`` into case folder ``out`` (if any), run every trace, build the network and write its files.

    ``traces`` picks trace names (default: all registered).  ``compat`` (``coortweet`` or ``qut``) builds the
    network with that tool's rules on the reposts instead, with ``trace_params.window_seconds`` as its window and
    ``min_weight`` as its edge filter.  ``on_stage`` is called with each stage's name as it starts, for progress
    display.  ``memory_limit`` caps DuckDB's memory (it spills to disk beyond it); the ingest step uses its own.
    ``engine`` runs the traces on ``duckdb`` or ``spark`` (at ``spark_master``; see :mod:`unmask.engines`), with
    the same results.  ``narratives=False`` skips the narratives stage (the slowest: it embeds every distinct
    text).  Raises ``FileNotFoundError`` when there are no inputs and no workspace.
    """
    case = Path(out)
    trace_params = trace_params or TraceParams()
    network_params = network_params or NetworkParams()
    seconds: dict[str, float] = {}

    def stage(name: str) -> float:
        if on_stage:
            on_stage(name)
        return time.perf_counter()

    started = stage("ingest")
    if not inputs and not (case / WORKSPACE_FILE).exists():
        raise FileNotFoundError(f"{case}: no {WORKSPACE_FILE} here and no inputs to ingest")
    if inputs:
        ingest(list(inputs), case, fmt=fmt)
    seconds["ingest"] = time.perf_counter() - started
    with Workspace(case, memory_limit=memory_limit) as ws:
        ws.con.execute("SET enable_progress_bar = false")  # the command shows its own progress
        if compat is None:
            started = stage("traces")
            with open_engine(engine, case, spark_master) as trace_engine:
                trace_stats = run_selected_traces(ws.con, trace_params, traces, trace_engine)
            seconds["traces"] = time.perf_counter() - started

            started = stage("network")
            network = run_network(ws.con, network_params)
            compat_result = None
        else:
            trace_stats = {}
            started = stage("network")
            network, compat_result = run_compat_network(
                ws.con, compat, trace_params.window_seconds, min_weight, network_params
            )
        seconds["network"] = time.perf_counter() - started

        files: dict[str, Path] = {}
        started = stage("personas")
        skipped = run_personas(ws.con)
        seconds["personas"] = time.perf_counter() - started

        if not narratives:
            skipped["narratives"] = "turned off (--no-narratives)"
        elif narratives_available():
            started = stage("narratives")
            files |= run_narratives(ws.con, case, NarrativeOptions()).files
            seconds["narratives"] = time.perf_counter() - started
        else:
            skipped["narratives"] = "the narratives extra is not installed (pip install 'unmask[narratives]')"

        started = stage("resemblance")
        files["resemblance"] = compare_clusters(ws.con, None, case).csv
        seconds["resemblance"] = time.perf_counter() - started

        started = stage("export")
        files |= export_network(ws.con, network, case)
        seconds["export"] = time.perf_counter() - started

        accounts = scalar(ws.con, "SELECT count(*) FROM account_scores")
        started = stage("report")
        report_files = write_report(ws.con, case, run=run_record(
            ws.con, trace_params, network_params, network, trace_stats, compat_result, files, seconds))
        files |= {name: report_files[name] for name in ("report", "gexf", "graphml") if name in report_files}
        seconds["report"] = time.perf_counter() - started
        run = run_record(ws.con, trace_params, network_params, network, trace_stats, compat_result, files, seconds)
        run["skipped"] = skipped
    files["run"] = case / "run.json"
    files["run"].write_text(json.dumps(run, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return AnalysisResult(case, accounts, network.flagged, network.clusters, network.edges, files, run)


def run_personas(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Profile photos (when avatar files are present and the ``faces`` extra is installed), then every persona
    signal; returns the steps skipped with the reason, for ``run.json``."""
    skipped = {}
    if scalar(con, "SELECT count(*) FROM media WHERE kind = 'avatar' AND local_path IS NOT NULL"):
        try:
            analyze_faces(con)
        except FacesUnavailable as exc:
            skipped["faces"] = str(exc)
    else:
        skipped["faces"] = "no avatar files in the case"
    persona_signals(con)
    return skipped


def run_selected_traces(
    con: duckdb.DuckDBPyConnection, params: TraceParams, names: list[str] | None, engine: Engine | None = None
) -> dict[str, TraceStats]:
    """Run the chosen traces (all when ``names`` is None) on ``engine`` (DuckDB by default) and drop rows left by
    traces not chosen this time."""
    stats = (engine or DuckDBEngine()).run_traces(con, params, names)
    for stale in sorted(set(TRACES) - set(stats)):
        clear_trace(con, stale)
    return stats


def run_record(
    con: duckdb.DuckDBPyConnection,
    trace_params: TraceParams,
    network_params: NetworkParams,
    network: NetworkResult,
    trace_stats: dict[str, TraceStats],
    compat: CompatResult | None,
    files: dict[str, Path],
    seconds: dict[str, float],
) -> dict[str, Any]:
    """The contents of ``run.json``: parameters, versions, inputs with sha256, results, outputs with sha256."""
    inputs = con.execute(
        "SELECT file, sha256, format, rows_read, rows_stored, rows_quarantined FROM ingest_log ORDER BY file"
    ).fetchall()
    tests = {t.trace: {"tested": t.tested, "significant": t.significant} for t in network.tests}
    return {
        "command": "analyze",
        "unmask": _version("unmask"),
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES if _version(name)},
        "parameters": {
            "traces": list(trace_stats),
            "trace_params": asdict(trace_params),
            "network_params": network_params.as_dict(),
            "community_method": network.method,
            "compat": asdict(compat) if compat else None,
        },
        "inputs": [
            dict(zip(("file", "sha256", "format", "rows_read", "rows_stored", "rows_quarantined"), row))
            for row in inputs
        ],
        "results": {
            "edges": network.edges,
            "clusters": network.clusters,
            "flagged_accounts": network.flagged,
            "traces": {name: {**asdict(stats), **tests.get(name, {"tested": 0, "significant": 0})}
                       for name, stats in trace_stats.items()},
        },
        "outputs": {path.name: _sha256(path) for path in files.values()},
        "seconds": {name: round(value, 3) for name, value in seconds.items()},
    }


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return ""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def analyze_command(
    out: Annotated[Path, typer.Option("--out", help="Case folder (created if needed)")],
    inputs: Annotated[Optional[list[Path]], typer.Argument(help="Files, folders or archives; none to re-analyse the case")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="Force an input format (see `unmask formats`)")] = None,
    trace: Annotated[Optional[list[str]], typer.Option("--trace", help="Run only this trace (repeatable)")] = None,
    window: Annotated[float, typer.Option(help="Co-action window in seconds (repost, link, hashtag, reply, mention; --compat)")] = 60.0,
    text_window: Annotated[float, typer.Option(help="Window in seconds of the identical and near-identical text traces")] = 3600.0,
    max_crowd: Annotated[int, typer.Option(help="Windowed traces: an action amid more than this many on its object pairs with nobody")] = 100,
    alpha: Annotated[float, typer.Option(help="Family-wise error rate: chance that any independent pair is kept")] = 0.01,
    min_shared: Annotated[int, typer.Option(help="Distinct shared objects a pair needs to be tested (>= 2)")] = 2,
    method: Annotated[str, typer.Option(help="Communities: auto, leiden (optional extra) or louvain")] = "auto",
    resolution: Annotated[float, typer.Option(help="Modularity resolution; higher splits clusters finer")] = 1.0,
    seed: Annotated[int, typer.Option(help="Seed of the community detection")] = 0,
    compat: Annotated[Optional[str], typer.Option(help="Build CooRTweet's or the QUT toolkit's network instead: coortweet or qut")] = None,
    min_weight: Annotated[Optional[int], typer.Option(help="Compatibility mode: keep edges of at least this weight")] = None,
    memory_limit: Annotated[str, typer.Option(help="DuckDB memory limit (it spills to disk beyond it)")] = "4GB",
    engine: Annotated[str, typer.Option(help="Where the traces run: duckdb, or spark (pip install 'unmask[spark]')")] = "duckdb",
    spark_master: Annotated[Optional[str], typer.Option(help="--engine spark: master URL (default local[*])")] = None,
    narratives: Annotated[bool, typer.Option(help="Run the narratives stage (the slowest: it embeds every distinct text)")] = True,
) -> None:
    """Find coordinated accounts: traces, significance against chance, communities, scores and evidence files."""
    from .cli import console, progress

    try:
        trace_params = TraceParams(window_seconds=window, text_window_seconds=text_window, max_crowd=max_crowd)
        network_params = NetworkParams(alpha=alpha, min_shared=min_shared, method=method, resolution=resolution,
                                       seed=seed)
        resolve_method(method)
        if engine not in ENGINES:
            raise ValueError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        if compat is not None and compat not in COMPAT_MODES:
            raise ValueError(f"--compat must be one of {', '.join(COMPAT_MODES)}, not {compat!r}")
    except (ValueError, RuntimeError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    with progress() as bar:
        task = bar.add_task("analyze", total=len(STAGES))

        def on_stage(name: str) -> None:
            if name != STAGES[0]:
                bar.advance(task)
            bar.update(task, description=name)

        try:
            result = analyze(inputs or [], out, fmt=fmt, traces=trace, trace_params=trace_params,
                             network_params=network_params, compat=compat, min_weight=min_weight,
                             memory_limit=memory_limit, on_stage=on_stage, engine=engine, spark_master=spark_master,
                             narratives=narratives)
        except (FileNotFoundError, FormatError, KeyError, RuntimeError) as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        bar.update(task, completed=len(STAGES), description="done")
    console.print(
        f"{result.flagged:,} of {result.accounts:,} accounts flagged in {result.clusters:,} clusters "
        f"({result.edges:,} significant pairs); files in {result.case}"
    )
