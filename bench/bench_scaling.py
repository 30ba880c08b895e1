"""How cost grows with size: every stage of the analysis, each in its own process, on growing simulated worlds.

    .venv/bin/python bench/bench_scaling.py --sizes 10000 100000 1000000 --out bench/results

For each size, a ``demo`` world of about that many posts is simulated once (30 days, ``n / 60`` accounts: the
demo posts about 2 times per account and day; kept in ``bench/work/scaling/`` for re-runs; the rows give the posts
each world really has) and analysed stage by stage:
``ingest``, every trace, ``significance`` (the pair tests), ``communities`` (partners, fusion, communities,
scores and the exported files), then ``narratives`` and ``report``; ``--ira`` adds the IRA parquet
(``../shared/data/ira/ira_tweets.parquet``).  The stages up to ``communities`` are exactly `unmask analyze`, so
their sum is its end-to-end time and their largest peak its memory.  ``faces`` runs once on the real and fake
faces of ``../shared/data/faces``.  ``--spill`` compares every trace in one process with DuckDB capped at a small
memory limit (spilling to disk) and unlimited, at the largest size.

Every measurement is a child process: its wall seconds are the stage's own (imports excluded), its peak RSS is
the largest sum of resident memory over the child and all its descendants, sampled every 0.2 s (and never below
the kernel's ``ru_maxrss`` of the child).  The growth exponent of each stage is the least-squares slope of
log(seconds) on log(posts).
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
PIPELINE = ("ingest", "trace", "significance", "communities")  # the stages of `unmask analyze`


@dataclass
class Row:
    """One measured stage on one data set."""

    dataset: str
    posts: int
    stage: str
    seconds: float
    peak_mb: float
    rows: int
    load: float
    note: str = ""

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
            peak = max(peak, _tree_rss(tree))
            time.sleep(0.2)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            raise RuntimeError(f"{job} {args} failed ({child.returncode}):\n{err.read()[-4000:]}")
        report = json.loads(out.read().strip().splitlines()[-1])
    return {**report, "peak_mb": max(peak / 2**20, maxrss_kb / 1024), "load": load}


def _tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (0 for those that just ended)."""
    total = 0
    try:
        family = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in family:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


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
    """`unmask ingest` of the world (or the IRA parquet) into a fresh case."""
    from unmask.ingest import ingest

    results = ingest([Path(source)], Path(case))
    return {"rows": sum(r.rows_stored for r in results)}


def job_trace(case: str, trace: str, memory_limit: str | None) -> dict[str, Any]:
    """One trace, or every trace (``trace = "all"``), on the DuckDB engine."""
    from unmask.traces import run_traces
    from unmask.workspace import Workspace

    with Workspace(case, memory_limit=memory_limit) as ws:
        stats = run_traces(ws.con, names=None if trace == "all" else [trace])
        return {"rows": _posts(ws.con), "pairs": sum(s.pairs for s in stats.values())}


def job_significance(case: str, memory_limit: str) -> dict[str, Any]:
    """The pair tests of every trace (``pair_significance``)."""
    from unmask.network import NetworkParams, score_pairs
    from unmask.workspace import Workspace

    with Workspace(case, memory_limit=memory_limit) as ws:
        tests = score_pairs(ws.con, NetworkParams())
        return {"rows": _posts(ws.con), "pairs": sum(t.tested for t in tests)}


def job_communities(case: str, memory_limit: str) -> dict[str, Any]:
    """Partners, fusion, communities and scores, and the exported files: the rest of `unmask analyze`."""
    from unmask.network import NetworkParams, fuse, score_partners
    from unmask.network import group_and_score
    from unmask.network.export import export_network
    from unmask.network.scores import significance_evidence_sql
    from unmask.workspace import Workspace

    params = NetworkParams()
    with Workspace(case, memory_limit=memory_limit) as ws:
        score_partners(ws.con, params)
        fuse(ws.con, params)
        network = group_and_score(ws.con, params, significance_evidence_sql(params), params.partner_p)
        export_network(ws.con, network, Path(case))
        return {"rows": _posts(ws.con), "flagged": network.flagged, "clusters": network.clusters}


def job_narratives(case: str, memory_limit: str) -> dict[str, Any]:
    """`unmask narratives`: languages, embeddings within the budget, narratives, claims, targets."""
    try:
        from unmask.narratives import run_narratives
    except ImportError as exc:
        return {"skipped": f"narratives need {exc.name} (pip install 'unmask[narratives]')"}
    from unmask.workspace import Workspace

    with Workspace(case, memory_limit=memory_limit) as ws:
        summary = run_narratives(ws.con, Path(case))
        return {"rows": summary.posts, "embedded": summary.embedded_texts}


def job_report(case: str, memory_limit: str) -> dict[str, Any]:
    """`unmask report`: report.html and every export."""
    from unmask.report.write import write_report
    from unmask.workspace import Workspace

    with Workspace(case, memory_limit=memory_limit) as ws:
        files = write_report(ws.con, Path(case), run={})
        return {"rows": _posts(ws.con), "files": len(files)}


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
    "simulate": job_simulate, "ingest": job_ingest, "trace": job_trace, "significance": job_significance,
    "communities": job_communities, "narratives": job_narratives, "report": job_report, "faces": job_faces,
}


# ---- the parent: data sets, stages, growth ----

def world(posts: int) -> Path:
    """The simulated world of about ``posts`` posts, generated once (and its generation measured then)."""
    folder = WORK / f"world_{posts}"
    if not (folder / "ground_truth.csv").exists():
        measure(Path(__file__), "simulate", out=str(folder), posts=posts)
    return folder


def run_dataset(name: str, source: Path, stages: set[str], memory_limit: str, log: Callable[[str], None]) -> list[Row]:
    """Every chosen stage on one data set, in pipeline order, each measured in a child process with DuckDB's
    ``memory_limit``."""
    from unmask.traces import TRACES

    case = WORK / f"case_{name}"
    _remove(case)
    rows: list[Row] = []

    def stage(label: str, job: str, **args: Any) -> None:
        report = measure(Path(__file__), job, **args)
        posts = rows[0].rows if rows else report.get("rows", 0)
        rows.append(Row(name, posts, label, round(report.get("seconds", 0.0), 3), round(report["peak_mb"]),
                        report.get("rows", 0), round(report["load"], 1), report.get("skipped", "")))
        log(f"{name:>12} {label:<24} {rows[-1].seconds:9.1f} s {rows[-1].peak_mb:7,.0f} MB  load {rows[-1].load}")

    stage("ingest", "ingest", source=str(source), case=str(case))
    for trace in TRACES:
        stage(f"trace {trace}", "trace", case=str(case), trace=trace, memory_limit=memory_limit)
    for job in ("significance", "communities", *(optional for optional in ("narratives", "report") if optional in stages)):
        stage(job, job, case=str(case), memory_limit=memory_limit)
    return rows


def spill_rows(name: str, source: Path, log: Callable[[str], None]) -> list[Row]:
    """Every trace in one process: DuckDB capped at :data:`SPILL_LIMIT` (spilling to disk) vs unlimited."""
    case = WORK / f"case_{name}_spill"
    _remove(case)
    measure(Path(__file__), "ingest", source=str(source), case=str(case))
    rows = []
    for limit in (SPILL_LIMIT, None):
        report = measure(Path(__file__), "trace", case=str(case), trace="all", memory_limit=limit)
        rows.append(Row(name, report["rows"], f"all traces, memory_limit={limit or 'none'}",
                        round(report["seconds"], 3), round(report["peak_mb"]), report["rows"],
                        round(report["load"], 1)))
        log(f"{name:>12} {rows[-1].stage:<36} {rows[-1].seconds:9.1f} s {rows[-1].peak_mb:7,.0f} MB")
    _remove(case)
    return rows


def pipeline_totals(rows: list[Row]) -> list[Row]:
    """Per data set, `unmask analyze` end to end: the sum of its stages' seconds, and the largest stage's peak."""
    totals = []
    for dataset in dict.fromkeys(r.dataset for r in rows):
        mine = [r for r in rows if r.dataset == dataset and r.stage.split(" ")[0] in PIPELINE]
        if mine:
            totals.append(Row(dataset, mine[0].posts, "analyze end to end", round(sum(r.seconds for r in mine), 3),
                              max(r.peak_mb for r in mine), mine[0].posts, max(r.load for r in mine)))
    return totals


def growth(rows: list[Row]) -> dict[str, float]:
    """The least-squares exponent ``k`` of ``seconds ~ posts^k`` per stage, over the simulated sizes."""
    exponents = {}
    for stage in dict.fromkeys(r.stage for r in rows):
        points = [(math.log(r.posts), math.log(r.seconds)) for r in rows
                  if r.stage == stage and r.dataset.startswith("sim-") and r.seconds > 0 and not r.note]
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


def scaling(sizes: list[int], ira: bool, stages: set[str], spill: bool,
            log: Callable[[str], None] = print) -> tuple[list[Row], dict[str, float]]:
    """Measure every size (and the IRA parquet); returns the rows and the growth exponents."""
    WORK.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    for posts in sizes:
        rows += run_dataset(label(posts), world(posts), stages, memory_limit_for(posts), log)
        _remove(WORK / f"case_{label(posts)}")
    if ira and IRA.exists():
        rows += run_dataset("IRA", IRA, stages, MEMORY_LIMIT, log)
        _remove(WORK / "case_IRA")
    if "faces" in stages and (SHARED / "faces").exists():
        report = measure(Path(__file__), "faces", folder=str(SHARED / "faces"))
        rows.append(Row("shared faces", 0, "faces", round(report["seconds"], 3), round(report["peak_mb"]),
                        report.get("rows", 0), round(report["load"], 1), report.get("skipped", "rows are images")))
    if spill and sizes:
        rows += spill_rows(label(max(sizes)), world(max(sizes)), log)
    rows += pipeline_totals(rows)
    return rows, growth(rows)


def main() -> None:
    """Parse arguments and run (or, with ``--job``, run one job in this child process)."""
    if len(sys.argv) > 2 and sys.argv[1] == "--job":
        run_job(JOBS, sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--ira", action="store_true", help="also the IRA parquet (2.46 M tweets)")
    parser.add_argument("--stages", nargs="+", default=["narratives", "report", "faces"],
                        help="optional stages to run besides analyze's")
    parser.add_argument("--spill", action="store_true", help="DuckDB spilling vs unlimited at the largest size")
    parser.add_argument("--json", type=Path, help="write the rows and exponents as JSON")
    args = parser.parse_args()
    rows, exponents = scaling(args.sizes, args.ira, set(args.stages), args.spill)
    if args.json:
        args.json.write_text(json.dumps({"rows": [asdict(r) for r in rows], "exponents": exponents}, indent=1))
    for stage, k in exponents.items():
        print(f"{stage:<28} seconds ~ posts^{k:.2f}")


if __name__ == "__main__":
    main()
