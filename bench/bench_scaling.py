"""How cost grows with size: `unmask analyze` end to end and its stages, each measured in its own process.

    .venv/bin/python bench/bench_scaling.py --sizes 10000 100000 1000000 --spill --json scaling.json

For each size, a ``demo`` world of about that many posts is simulated once (30 days, ``n / 60`` accounts: the
demo posts about 2 times per account and day; kept in ``bench/work/scaling/`` for re-runs; the rows give the posts
each world really has); ``--ira`` adds the IRA parquet (``../shared/data/ira/ira_tweets.parquet``).  On each:

* ``ingest``, ``traces (all)`` (the seconds of each trace come from its statistics), ``network and export``
  (significance, partners, fusion, communities, scores, the evidence files): `unmask analyze`'s coordination
  analysis, whose sum is ``coordination analysis``; DuckDB's memory limit is `unmask analyze`'s default 4 GB (16 GB
  from 10^8 posts on);
* ``significance`` (the pair tests) and ``communities`` (community detection on the fused graph), re-run on the
  analysed case for their own time and memory;
* ``personas``, ``narratives`` and ``report``, the rest of `unmask analyze` (the report up to 3 M posts);
* ``unmask analyze (one process)``: the whole command from the export to report.html, as a user runs it (the
  end-to-end target's number; the row's note has each stage's seconds).

``faces`` runs once on the real and fake faces of ``../shared/data/faces``.  ``--spill`` compares every trace
in one process with DuckDB capped at 512 MB (spilling to disk) and unlimited, at the largest size (or
``--spill-size``).

A measurement's wall seconds are the job's own (imports excluded); its peak RSS is the largest resident memory
of the child and all its descendants (:func:`tree_memory`: pages shared with a forked worker counted once),
sampled every 0.2 s or less often (:func:`sample_peak`; never below the kernel's ``ru_maxrss`` of the child).  The growth exponent of each stage is the least-squares slope of log(seconds) on log(posts).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work" / "scaling"
SHARED = Path(os.environ.get("UNMASK_SHARED_DATA", BENCH.parents[1] / "shared" / "data"))
IRA = SHARED / "ira" / "ira_tweets.parquet"
DAYS = 30
POSTS_PER_ACCOUNT_DAY = 2.0  # 2.07 measured on the demo world of 22,831 accounts
MEMORY_LIMIT = "4GB"  # `unmask analyze`'s default
LARGE_MEMORY_LIMIT = "16GB"  # from 10^8 posts on
SPILL_LIMIT = "512MB"
MIN_FIT_POSTS = 50_000  # growth exponents are fitted from here on
ANALYZE = "unmask analyze (one process)"
REPORT_MAX_POSTS = 3_000_000  # `unmask analyze` reached 13.6 GB in its report stage on 1.4 M posts


@dataclass
class Row:
    """One measured stage on one data set."""

    dataset: str
    posts: int
    stage: str
    seconds: float
    peak_mb: float | None
    rows: int
    load: float
    note: str = ""
    skipped: str = ""

    @property
    def rows_per_second(self) -> float:
        """Rows of the stage's input handled per wall second."""
        return self.rows / self.seconds if self.seconds > 0 else float("nan")


# ---- measuring a child process ----

def measure(script: Path, job: str, **args: Any) -> dict[str, Any]:
    """Run ``job`` of ``script`` in a fresh child process; its JSON report plus ``peak_mb`` and ``load``.

    Raises ``RuntimeError`` with the child's error output when it fails.
    """
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([sys.executable, str(script), "--job", job, json.dumps(args)], stdout=out, stderr=err)
        peak, maxrss_kb, status = 0, 0, 0
        tree = psutil.Process(child.pid)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                maxrss_kb = usage.ru_maxrss
                break
            peak = sample_peak(tree, peak)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            raise RuntimeError(f"{job} {args} failed ({child.returncode}):\n{err.read()[-4000:]}")
        report = json.loads(out.read().strip().splitlines()[-1])
    return {**report, "peak_mb": max(peak / 2**20, maxrss_kb / 1024), "load": load}


def tree_memory(process: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (0 for those that just ended): the process's resident
    set, each forked worker's unique set, and each other program's (Spark's JVM) resident set.  A forked worker
    shares its parent's pages until it writes to them; adding its whole resident set would count those pages twice
    (the narrative stage's two language workers showed 3.2 GB each, of which 0.2 GB were their own).  A unique set
    is read by walking every page of the process (50 ms of CPU for a 4 GB JVM), so only forks pay for it."""
    try:
        descendants = process.children(recursive=True)
        total = process.memory_info().rss
        executable = process.exe()
    except psutil.NoSuchProcess:
        return 0
    for member in descendants:
        try:
            forked = member.exe() == executable
            total += member.memory_full_info().uss if forked else member.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def sample_peak(process: psutil.Process, peak: int) -> int:
    """The larger of ``peak`` and the process tree's memory now (:func:`tree_memory`), after a pause that keeps the
    sampling to a sixth of one core at most: 0.2 s, longer while forked workers make a sample slow."""
    started = time.perf_counter()
    peak = max(peak, tree_memory(process))
    time.sleep(max(0.2, 5 * (time.perf_counter() - started)))
    return peak


def run_job(jobs: dict[str, Callable[..., dict[str, Any]]], name: str, args: str) -> None:
    """Child side: run one job and print its report (with its own wall ``seconds``) as the last line."""
    started = time.perf_counter()
    report = jobs[name](**json.loads(args))
    print(json.dumps({"seconds": time.perf_counter() - started, **report}))


# ---- the jobs (run in the child) ----

def job_simulate(out: str, posts: int) -> dict[str, Any]:
    """A ``demo`` world of about ``posts`` posts over 30 days."""
    from unmask.simulate import simulate

    accounts = max(200, round(posts / (POSTS_PER_ACCOUNT_DAY * DAYS)))
    summary = simulate(Path(out), "demo", accounts=accounts, days=DAYS, seed=0)
    return {"rows": summary.posts}


def job_ingest(source: str, case: str) -> dict[str, Any]:
    """`unmask ingest` into a fresh case."""
    from unmask.ingest import ingest
    from unmask.workspace import Workspace

    ingest([Path(source)], Path(case))
    with Workspace(case) as ws:
        return {"rows": _posts(ws.con)}


def job_traces(case: str, memory_limit: str | None) -> dict[str, Any]:
    """Every trace on the DuckDB engine, with ``memory_limit`` (None: DuckDB's default, most of the RAM)."""
    from unmask.analyze import run_selected_traces
    from unmask.traces import TraceParams
    from unmask.workspace import Workspace

    with Workspace(case, memory_limit=memory_limit) as ws:
        stats = run_selected_traces(ws.con, TraceParams(), None)
        return {"rows": _posts(ws.con), "pairs": sum(s.pairs for s in stats.values()),
                "traces": {name: s.seconds for name, s in stats.items()}}


def job_network(case: str, memory_limit: str) -> dict[str, Any]:
    """`unmask analyze`'s network and export steps: significance, partners, fusion, communities, scores, and the
    evidence files (accounts.csv, clusters.csv, edges.csv, evidence.parquet, network.gexf / .graphml)."""
    from unmask.network import NetworkParams, run_network
    from unmask.network.export import export_network
    from unmask.workspace import Workspace

    with Workspace(case, memory_limit=memory_limit) as ws:
        network = run_network(ws.con, NetworkParams())
        export_network(ws.con, network, Path(case))
        return {"rows": _posts(ws.con), "flagged": network.flagged, "edges": network.edges}


def job_personas(case: str, memory_limit: str) -> dict[str, Any]:
    """`unmask analyze`'s personas step (account signals; faces need avatar files, which worlds lack)."""
    from unmask.analyze import run_personas
    from unmask.workspace import Workspace

    with Workspace(case, memory_limit=memory_limit) as ws:
        skipped = run_personas(ws.con)
        return {"rows": _posts(ws.con), "note": "; ".join(f"{k}: {v}" for k, v in skipped.items())}


def job_narratives(case: str, memory_limit: str) -> dict[str, Any]:
    """`unmask analyze`'s narratives step: languages, embeddings within the budget, narratives, claims, targets."""
    try:
        from unmask.narratives import NarrativeOptions, run_narratives
    except ImportError as exc:
        return {"skipped": f"narratives need {exc.name} (pip install 'unmask[narratives]')"}
    from unmask.workspace import Workspace

    with Workspace(case, memory_limit=memory_limit) as ws:
        summary = run_narratives(ws.con, Path(case), NarrativeOptions())
        return {"rows": _posts(ws.con), "note": f"{summary.embedded_texts:,} texts embedded"}


def job_report(case: str, memory_limit: str) -> dict[str, Any]:
    """`unmask report`: report.html and every export."""
    from unmask.report.write import write_report
    from unmask.workspace import Workspace

    with Workspace(case, memory_limit=memory_limit) as ws:
        files = write_report(ws.con, Path(case), run={})
        return {"rows": _posts(ws.con), "note": f"{len(files)} files"}


def job_analyze(source: str, case: str, memory_limit: str) -> dict[str, Any]:
    """`unmask analyze` from the export to report.html in one process, every stage, as a user runs it."""
    from unmask.analyze import analyze
    from unmask.workspace import Workspace

    result = analyze([Path(source)], Path(case), memory_limit=memory_limit)
    stages = ", ".join(f"{name} {seconds:.0f}" for name, seconds in result.run["seconds"].items())
    with Workspace(case) as ws:
        return {"rows": _posts(ws.con), "note": f"seconds by stage: {stages}"}


def job_significance(case: str, memory_limit: str) -> dict[str, Any]:
    """The pair tests of every trace (``pair_significance``)."""
    from unmask.network import NetworkParams, score_pairs
    from unmask.workspace import Workspace

    with Workspace(case, memory_limit=memory_limit) as ws:
        tests = score_pairs(ws.con, NetworkParams())
        return {"rows": _posts(ws.con), "pairs": sum(t.tested for t in tests)}


def job_communities(case: str, memory_limit: str) -> dict[str, Any]:
    """Community detection on the fused graph of ``network_edges``."""
    from unmask.network import NetworkParams, build_graph, detect_communities
    from unmask.workspace import Workspace

    with Workspace(case, memory_limit=memory_limit) as ws:
        graph = build_graph(ws.con)
        communities = detect_communities(graph, NetworkParams())
        return {"rows": _posts(ws.con), "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                "communities": len(set(communities.values()))}


def job_faces(folder: str) -> dict[str, Any]:
    """`unmask faces` on a folder of profile photos."""
    from unmask.personas import FacesUnavailable, analyze_faces

    images = sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    try:
        table = analyze_faces(images)
    except FacesUnavailable as exc:
        return {"skipped": str(exc)}
    return {"rows": table.num_rows}


def _posts(con: Any) -> int:
    return con.execute("SELECT count(*) FROM posts").fetchone()[0]


JOBS: dict[str, Callable[..., dict[str, Any]]] = {
    "simulate": job_simulate, "ingest": job_ingest, "traces": job_traces, "network": job_network,
    "significance": job_significance, "communities": job_communities, "personas": job_personas,
    "narratives": job_narratives, "report": job_report, "faces": job_faces, "analyze": job_analyze,
}


# ---- the parent: data sets, stages, growth ----

def world(posts: int) -> Path:
    """The simulated world of about ``posts`` posts, generated once."""
    folder = WORK / f"world_{posts}"
    if not (folder / "ground_truth.csv").exists():
        measure(Path(__file__), "simulate", out=str(folder), posts=posts)
    return folder


def run_dataset(name: str, source: Path, memory_limit: str, limits: StageLimits, log: Callable[[Row], None],
                only_analyze: bool = False) -> list[Row]:
    """Every stage on one data set, in `unmask analyze`'s order, each measured in a child process of its own
    (the stages past the coordination analysis only up to the sizes ``limits`` allow); ``only_analyze``: just
    the one-process `unmask analyze`."""
    case = WORK / f"case_{name}"
    _remove(case)
    rows: list[Row] = []

    def add(row: Row) -> None:
        rows.append(row)
        log(row)

    def stage(label: str, job: str, skip: str = "", **args: Any) -> dict[str, Any]:
        posts = rows[0].rows if rows else 0
        if skip:
            add(Row(name, posts, label, 0.0, None, 0, round(os.getloadavg()[0], 1), skipped=skip))
            return {}
        try:
            report = measure(Path(__file__), job, **args)
        except RuntimeError as exc:  # recorded, and the data set's later stages are left out
            add(Row(name, posts, label, 0.0, None, 0, round(os.getloadavg()[0], 1),
                    skipped=f"failed: {str(exc).strip().splitlines()[-1][:300]}"))
            raise StageFailed(label) from exc
        add(Row(name, posts or report.get("rows", 0), label, round(report.get("seconds", 0.0), 3),
                round(report["peak_mb"]), report.get("rows", 0), round(report["load"], 1), report.get("note", ""),
                report.get("skipped", "")))
        return report

    on_case = {"case": str(case), "memory_limit": memory_limit}
    try:
        if not only_analyze:
            stage("ingest", "ingest", source=str(source), case=str(case))
            traced = stage("traces (all)", "traces", **on_case)
            for trace, seconds in traced["traces"].items():
                add(Row(name, rows[0].rows, f"trace {trace}", seconds, None, rows[0].rows, rows[1].load,
                        "inside `traces (all)` (its peak)"))
            stage("network and export", "network", **on_case)
            add(analysis_total(rows))
            for job in ("significance", "communities", "personas", "narratives", "report"):
                stage(job, job, limits.why_not(job, rows[0].rows), **on_case)
            _remove(case)
        stage(ANALYZE, "analyze", limits.why_not("analyze", rows[0].rows if rows else 0), source=str(source),
              **on_case)
    except StageFailed:
        pass
    _remove(case)
    return rows


class StageFailed(Exception):
    """A stage's child process failed (its row says why); the data set's later stages need its output."""


@dataclass(frozen=True)
class StageLimits:
    """Up to which size the stages past the coordination analysis run (None: every size)."""

    report_max_posts: int | None = REPORT_MAX_POSTS
    others_max_posts: int | None = None

    def why_not(self, job: str, posts: int) -> str:
        """Why ``job`` is not run on ``posts`` posts, or "" when it is."""
        if job == "report" and self.report_max_posts is not None and posts > self.report_max_posts:
            return f"above {self.report_max_posts:,} posts (the report stage holds the whole network in memory)"
        if job != "report" and self.others_max_posts is not None and posts > self.others_max_posts:
            return f"above {self.others_max_posts:,} posts in this run (--stage-max-posts)"
        return ""


def analysis_total(rows: list[Row]) -> Row:
    """`unmask analyze`'s coordination analysis (ingest, traces, network and export): the sum of those stages'
    seconds and the largest of their peaks."""
    parts = [r for r in rows if r.stage in ("ingest", "traces (all)", "network and export")]
    first = parts[0]
    return Row(first.dataset, first.posts, "coordination analysis", round(sum(r.seconds for r in parts), 3),
               max(r.peak_mb or 0 for r in parts), first.posts, max(r.load for r in parts),
               "ingest + traces (all) + network and export")


def spill_rows(name: str, source: Path, log: Callable[[Row], None]) -> list[Row]:
    """Every trace in one process: DuckDB capped at :data:`SPILL_LIMIT` (spilling to disk) vs unlimited."""
    case = WORK / f"case_{name}_spill"
    _remove(case)
    measure(Path(__file__), "ingest", source=str(source), case=str(case))
    rows = []
    for limit in (SPILL_LIMIT, None):
        report = measure(Path(__file__), "traces", case=str(case), memory_limit=limit)
        rows.append(Row(name, report["rows"], f"all traces, memory_limit={limit or 'none'}",
                        round(report["seconds"], 3), round(report["peak_mb"]), report["rows"],
                        round(report["load"], 1)))
        log(rows[-1])
    _remove(case)
    return rows


def growth(rows: list[Row]) -> dict[str, float]:
    """The least-squares exponent ``k`` of ``seconds ~ posts^k`` per stage, over the simulated sizes from
    :data:`MIN_FIT_POSTS` posts on (below, fixed start-up costs dominate and flatten the curve)."""
    exponents = {}
    for stage in dict.fromkeys(r.stage for r in rows):
        points = [(math.log(r.posts), math.log(r.seconds)) for r in rows
                  if r.stage == stage and r.dataset.startswith("sim-") and r.seconds > 0 and not r.skipped
                  and r.posts >= MIN_FIT_POSTS]
        if len(points) >= 2:
            mx = sum(x for x, _ in points) / len(points)
            my = sum(y for _, y in points) / len(points)
            sxx = sum((x - mx) ** 2 for x, _ in points)
            exponents[stage] = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else float("nan")
    return exponents


def memory_limit_for(posts: int) -> str:
    """DuckDB's memory limit at a size: `unmask analyze`'s default, 16 GB from 10^8 posts on (it spills beyond)."""
    return LARGE_MEMORY_LIMIT if posts >= 10**8 else MEMORY_LIMIT


def label(posts: int) -> str:
    """The name of the simulated world of ``posts`` posts: ``sim-1e6``."""
    return f"sim-1e{round(math.log10(posts))}" if posts == 10 ** round(math.log10(posts)) else f"sim-{posts}"


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def print_row(row: Row) -> None:
    """One measured row on the terminal."""
    peak = "" if row.peak_mb is None else f"{row.peak_mb:7,.0f} MB"
    print(f"{row.dataset:>8} {row.stage:<38} {row.seconds:9.1f} s {peak:>10}  load {row.load} {row.skipped}", flush=True)


def scaling(sizes: list[int], ira: bool = False, faces: bool = True, spill_size: int | None = None,
            limits: StageLimits = StageLimits(), log: Callable[[Row], None] = print_row,
            only_analyze: bool = False) -> tuple[list[Row], dict[str, float]]:
    """Measure every size (and the IRA parquet, the faces, the spilling comparison at ``spill_size`` posts);
    returns the rows and the growth exponents.  ``only_analyze``: per data set only the one-process
    `unmask analyze` (the end-to-end number of a large world without re-running each stage alone)."""
    WORK.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    for posts in sizes:
        rows += run_dataset(label(posts), world(posts), memory_limit_for(posts), limits, log, only_analyze)
    if ira and IRA.exists():
        rows += run_dataset("IRA", IRA, MEMORY_LIMIT, limits, log, only_analyze)
    if faces and (SHARED / "faces").exists():
        report = measure(Path(__file__), "faces", folder=str(SHARED / "faces"))
        rows.append(Row("shared faces", 0, "faces", round(report["seconds"], 3), round(report["peak_mb"]),
                        report.get("rows", 0), round(report["load"], 1), "rows are images",
                        report.get("skipped", "")))
        log(rows[-1])
    if spill_size:
        rows += spill_rows(label(spill_size), world(spill_size), log)
    return rows, growth(rows)


def main() -> None:
    """Parse arguments and run (or, with ``--job``, run one job in this child process)."""
    if len(sys.argv) > 2 and sys.argv[1] == "--job":
        run_job(JOBS, sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--ira", action="store_true", help="also the IRA parquet (2.46 M tweets)")
    parser.add_argument("--no-faces", action="store_true")
    parser.add_argument("--spill", action="store_true", help="DuckDB spilling vs unlimited at the largest size")
    parser.add_argument("--spill-size", type=int, help="posts of the world for --spill (default: the largest)")
    parser.add_argument("--json", type=Path, help="write the rows and exponents as JSON")
    args = parser.parse_args()
    spill_size = (args.spill_size or max(args.sizes)) if args.spill or args.spill_size else None
    rows, exponents = scaling(args.sizes, args.ira, not args.no_faces, spill_size)
    if args.json:
        args.json.write_text(json.dumps({"rows": [asdict(r) for r in rows], "exponents": exponents}, indent=1))
    for stage, k in exponents.items():
        print(f"{stage:<28} seconds ~ posts^{k:.2f}")


if __name__ == "__main__":
    main()
