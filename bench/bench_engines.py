"""DuckDB and Spark (local mode) side by side: `unmask analyze`'s coordination analysis with each engine.

    .venv/bin/python bench/bench_engines.py --sizes 100000 1000000 --spark-master 'local[2]'

For each size the simulated world of :mod:`bench_scaling` is ingested once; then the traces (on the engine), the
network (significance, partners, fusion, communities, scores) and the evidence files run on a copy of the case
with the DuckDB engine and on another with the Spark engine, each in a child process measured like every other
benchmark (wall seconds, peak RSS of the child and its descendants: the Spark JVM included).  The traces are what
the engine changes; their seconds are reported apart (Spark's include starting its session).  The two runs'
``edges.csv``, ``accounts.csv`` and ``clusters.csv`` are compared byte for byte.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_scaling import MEMORY_LIMIT, WORK, job_ingest, label, measure, run_job, world

COMPARED = ("edges.csv", "accounts.csv", "clusters.csv")


def job_analyze(case: str, engine: str, spark_master: str | None) -> dict[str, Any]:
    """`unmask analyze`'s coordination analysis on an ingested case with one engine: the traces, then the network
    (significance, partners, fusion, communities, scores) and the evidence files."""
    from unmask.analyze import run_selected_traces
    from unmask.engines import open_engine
    from unmask.network import NetworkParams, run_network
    from unmask.network.export import export_network
    from unmask.traces import TraceParams
    from unmask.workspace import Workspace

    with Workspace(case, memory_limit=MEMORY_LIMIT) as ws:
        started = time.perf_counter()
        with open_engine(engine, case, spark_master) as trace_engine:
            run_selected_traces(ws.con, TraceParams(), None, trace_engine)
        traces = time.perf_counter() - started
        network = run_network(ws.con, NetworkParams())
        export_network(ws.con, network, Path(case))
        return {"flagged": network.flagged, "seconds_by_stage": {"traces": traces}}


JOBS: dict[str, Callable[..., dict[str, Any]]] = {"analyze": job_analyze, "ingest": job_ingest}


def compare_engines(posts: int, spark_master: str) -> dict[str, Any]:
    """Both engines on the world of ``posts`` posts: seconds, peak MB, flagged accounts, identical outputs."""
    base = WORK / f"engines_{label(posts)}"
    shutil.rmtree(base, ignore_errors=True)
    ingested = measure(Path(__file__), "ingest", source=str(world(posts)), case=str(base / "ingested"))
    runs = {}
    for engine in ("duckdb", "spark"):
        case = base / engine
        shutil.copytree(base / "ingested", case)
        runs[engine] = measure(Path(__file__), "analyze", case=str(case), engine=engine,
                               spark_master=spark_master if engine == "spark" else None)
    identical = all((base / "duckdb" / name).read_bytes() == (base / "spark" / name).read_bytes() for name in COMPARED)
    shutil.rmtree(base, ignore_errors=True)
    return {"dataset": label(posts), "posts": ingested["rows"], "master": spark_master, "identical": identical,
            **{engine: {key: run[key] for key in ("seconds", "peak_mb", "load", "flagged", "seconds_by_stage")}
               for engine, run in runs.items()}}


def main() -> None:
    """Parse arguments and run (or, with ``--job``, run one job in this child process)."""
    if len(sys.argv) > 2 and sys.argv[1] == "--job":
        run_job(JOBS, sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--json", type=Path, help="write the comparisons as JSON")
    args = parser.parse_args()
    results = [compare_engines(posts, args.spark_master) for posts in args.sizes]
    for r in results:
        ratio = r["spark"]["seconds"] / r["duckdb"]["seconds"]
        print(f"{r['dataset']}: duckdb {r['duckdb']['seconds']:.1f} s {r['duckdb']['peak_mb']:,.0f} MB, "
              f"spark {r['spark']['seconds']:.1f} s {r['spark']['peak_mb']:,.0f} MB ({ratio:.2f}x), "
              f"outputs identical: {r['identical']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
