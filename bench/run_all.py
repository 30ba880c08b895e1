"""Every benchmark in one command (`make bench`), and one results table: ``bench/results/summary.md`` (+ ``.csv``).

    .venv/bin/python bench/run_all.py                 # quick: 10^4, 10^5, 10^6 posts
    .venv/bin/python bench/run_all.py --full          # 10^4 ... 10^8 posts, the IRA parquet, the peers at 10^6
    .venv/bin/python bench/run_all.py --sizes 1000000 10000000 --stage-max-posts 3000000 --skip-peers
    .venv/bin/python bench/run_all.py --sizes 10000000 --only-analyze --skip-spark --skip-peers --append
    .venv/bin/python bench/run_all.py --render        # the summary again from results/rows.jsonl, engines.json

Runs, each measurement in its own child process:

1. :mod:`bench_scaling` -- every stage of `unmask analyze` (ingest, each trace, network and export, significance,
   communities, personas, narratives, report; faces once) on simulated worlds of each size (and ``--ira``: the IRA
   parquet), the growth exponent of time vs posts per stage, and DuckDB capped at a small memory limit (spilling)
   vs unlimited;
2. :mod:`bench_engines` -- `unmask analyze` with the DuckDB engine and with Spark in local mode, side by side;
3. the other engineers' benchmarks, unchanged, their reports written to ``bench/results/run_all/``:
   ``bench_traces.py`` (per-trace speed, and the QUT coordination-network-toolkit side by side on the same data),
   ``bench_ingest.py`` (the IRA parquet and an IO-archive CSV) and ``bench_simulate.py``.

Every row is appended to ``bench/results/rows.jsonl`` as soon as it is measured, so a run cut short still leaves
its numbers (``--render`` writes the summary from them).  The machine's load average is recorded with every row:
on a shared machine it stretches wall times.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from bench_engines import compare_engines
from bench_scaling import ANALYZE, Row, StageLimits, growth, print_row, scaling

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
QUICK_SIZES = [10_000, 100_000, 1_000_000]
FULL_SIZES = [10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]
EXACT_TRACES = ("co_domain", "co_hashtag", "co_link", "co_mention", "co_post", "co_reply", "co_repost", "shared_image")
TARGET_SECONDS, TARGET_MB, SPARK_RATIO = 15 * 60, 8 * 1024, 3.0


def peer_benchmarks(full: bool) -> list[tuple[str, list[str]]]:
    """The other benchmarks and their arguments: quick settings, or their own defaults with ``full``."""
    out = RESULTS / "run_all"
    peers_size = "1000000" if full else "100000"
    return [
        ("traces and the QUT toolkit", ["bench_traces.py", "--sizes", peers_size, "--qut-size", peers_size,
                                        "--out", str(out / "traces.md")]),
        ("ingest", ["bench_ingest.py", *([] if full else ["--io-size-mb", "100"]), "--out", str(out / "ingest.md")]),
        ("simulator", ["bench_simulate.py", "--scenario", "large" if full else "demo", "--out", str(out / "simulate.md")]),
    ]


def run_peer(name: str, command: list[str]) -> dict[str, Any]:
    """Run another benchmark script as it is; its outcome, wall seconds and report file."""
    started, load = time.perf_counter(), os.getloadavg()[0]
    done = subprocess.run([sys.executable, str(BENCH / command[0]), *command[1:]], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    report = Path(command[command.index("--out") + 1])
    status = "ok" if done.returncode == 0 else f"failed: {done.stderr.strip().splitlines()[-1:]}"
    return {"name": name, "command": "python bench/" + " ".join(command), "seconds": seconds, "load": load,
            "status": status, "report": report.relative_to(BENCH.parent) if report.exists() else None}


def write_csv(rows: list[Row], path: Path) -> None:
    """The measurements as CSV, one row per (data set, stage)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["dataset", "posts", "stage", "seconds", "peak_mb", "rows", "rows_per_second", "load", "note",
                      "skipped"])
        for r in rows:
            rate = "" if math.isnan(r.rows_per_second) else round(r.rows_per_second)
            out.writerow([r.dataset, r.posts, r.stage, r.seconds, "" if r.peak_mb is None else r.peak_mb, r.rows, rate,
                          r.load, r.note, r.skipped])


def render(rows: list[Row], exponents: dict[str, float], engines: list[dict], peers: list[dict],
           command: str, started: datetime) -> str:
    """The Markdown summary: machine, targets, every measurement, growth, engines, the other benchmarks."""
    lines = [
        "# unmask benchmarks: summary", "",
        f"Command: `{command}`  ",
        f"Run {started:%Y-%m-%d %H:%M} to {datetime.now():%H:%M} UTC on {platform.platform()}, {os.cpu_count()} cores "
        f"(shared with other work: the load average at each measurement is in its row), Python "
        f"{platform.python_version()}, DuckDB {duckdb.__version__}.  Wall seconds are each stage's own, in its own "
        "process; peak RSS is the largest resident memory of that process and its descendants (Spark's JVM too; "
        "pages a forked worker shares with its parent counted once).",
        "", "## Targets", "", *targets(rows, exponents, engines), "",
        "## Every stage, every size", "",
        "| data set | posts | stage | seconds | peak RSS MB | rows/s | load | note |",
        "|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        peak = "—" if r.peak_mb is None else f"{r.peak_mb:,.0f}"
        rate = "—" if math.isnan(r.rows_per_second) or r.skipped else f"{r.rows_per_second:,.0f}"
        note = f"skipped: {r.skipped}" if r.skipped else r.note
        seconds = "—" if r.skipped else f"{r.seconds:,.1f}"
        lines.append(f"| {r.dataset} | {r.posts:,} | {r.stage} | {seconds} | {peak} | {rate} | {r.load:.1f} | {note} |")
    lines += ["", "Each row with a peak is a process of its own; the per-trace rows are parts of `traces (all)`. "
              "rows/s is the data set's posts per second of the stage.", ""]
    if exponents:
        lines += ["## How cost grows with size", "",
                  "Least-squares exponent `k` of `seconds ~ posts^k` over the simulated sizes from 5 x 10^4 posts on "
                  "(1 = linear; start-up costs still weigh at the small end, so `k` below 1 happens).", "",
                  "| stage | k |", "|---|---:|"]
        lines += [f"| {stage} | {k:.2f} |" for stage, k in exponents.items()]
        lines.append("")
    if engines:
        lines += ["## DuckDB and Spark (local mode) on the same ingested world", "",
                  "| data set | posts | Spark master | DuckDB: analysis s / traces s / peak MB | "
                  "Spark: analysis s / traces s / peak MB | Spark / DuckDB: analysis / traces | outputs identical | load |",
                  "|---|---:|---|---:|---:|---:|---|---:|"]
        for e in engines:
            d, k = e["duckdb"], e["spark"]
            lines.append(
                f"| {e['dataset']} | {e['posts']:,} | `{e['master']}` | {d['seconds']:,.1f} / "
                f"{d['seconds_by_stage']['traces']:,.1f} / {d['peak_mb']:,.0f} | {k['seconds']:,.1f} / "
                f"{k['seconds_by_stage']['traces']:,.1f} / {k['peak_mb']:,.0f} | {k['seconds'] / d['seconds']:.2f}× / "
                f"{k['seconds_by_stage']['traces'] / d['seconds_by_stage']['traces']:.2f}× | {e['identical']} | "
                f"{k['load']:.1f} |")
        lines += ["", "The coordination analysis of `unmask analyze` on an ingested case: traces (on the engine), "
                  "network and evidence files (on DuckDB either way).  Spark's traces include starting its JVM and "
                  "session.", ""]
    if peers:
        lines += ["## The other benchmarks, run as they are", "", "| benchmark | command | seconds | status | report |",
                  "|---|---|---:|---|---|"]
        lines += [f"| {p['name']} | `{p['command']}` | {p['seconds']:,.0f} | {p['status']} | {_link(p['report'])} |"
                  for p in peers]
        lines.append("")
    return "\n".join(lines)


def _link(report: Path | None) -> str:
    """A Markdown link from ``bench/results/`` to a report file of the repository, or ``-``."""
    return f"[{report}](../../{report})" if report else "-"


def targets(rows: list[Row], exponents: dict[str, float], engines: list[dict]) -> list[str]:
    """One line per target, met or not, with the measured numbers (or what is missing)."""
    totals = {r.dataset: r for r in rows if r.stage == ANALYZE and not r.skipped}
    lines = []
    failed = {r.dataset: r for r in rows if r.skipped.startswith("failed")}
    ten_m = totals.get("sim-1e7")
    if ten_m:
        lines.append(f"- 10^7 posts end to end in <= 15 min within 8 GB: {ten_m.seconds / 60:.1f} min, peak "
                     f"{ten_m.peak_mb:,.0f} MB ({'met' if ten_m.seconds <= TARGET_SECONDS and ten_m.peak_mb <= TARGET_MB else 'NOT met'})")
    elif "sim-1e7" in failed:
        lines.append(f"- 10^7 posts end to end: NOT met, stage `{failed['sim-1e7'].stage}` {failed['sim-1e7'].skipped}")
    else:
        lines.append("- 10^7 posts end to end: not run (use `--sizes ... 10000000` or `--full`)")
    hundred_m = totals.get("sim-1e8")
    if hundred_m:
        lines.append(f"- 10^8 posts, DuckDB under a 16 GB limit: {hundred_m.seconds / 60:.1f} min, peak "
                     f"{hundred_m.peak_mb:,.0f} MB")
    elif ten_m and "sim-1e6" in totals:
        one_m = totals["sim-1e6"]
        k = math.log(ten_m.seconds / one_m.seconds) / math.log(ten_m.posts / one_m.posts)
        lines.append(f"- 10^8 posts: not run here; extrapolated from 10^7 with the growth from 10^6 to 10^7 "
                     f"(exponent {k:.2f}): about {ten_m.seconds * (1e8 / ten_m.posts) ** k / 60:.0f} min "
                     "(an estimate, not a measurement)")
    else:
        lines.append("- 10^8 posts: not run (`--full`)")
    for e in engines:
        ratio = e["spark"]["seconds"] / e["duckdb"]["seconds"]
        traces = e["spark"]["seconds_by_stage"]["traces"] / e["duckdb"]["seconds_by_stage"]["traces"]
        lines.append(f"- Spark local within 3x of DuckDB ({e['dataset']}): analysis {ratio:.2f}x "
                     f"({'met' if ratio <= SPARK_RATIO else 'NOT met'}), the traces stage alone {traces:.2f}x; "
                     f"outputs identical: {e['identical']}")
    return lines


def main() -> None:
    """Parse arguments, run every benchmark, write ``summary.md`` and ``summary.csv``."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", help=f"posts per simulated world (default {QUICK_SIZES})")
    parser.add_argument("--full", action="store_true", help=f"sizes {FULL_SIZES}, the IRA parquet, peers at 10^6")
    parser.add_argument("--ira", action="store_true", help="also the IRA parquet (on with --full)")
    parser.add_argument("--engine-sizes", type=int, nargs="+", default=[1_000_000], help="sizes for DuckDB vs Spark")
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--spill-size", type=int, help="world for DuckDB spilling vs unlimited (default 10^6)")
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--skip-peers", action="store_true", help="skip the other engineers' benchmarks")
    parser.add_argument("--stage-max-posts", type=int,
                        help="run significance, communities, personas and narratives alone only up to this size")
    parser.add_argument("--only-analyze", action="store_true",
                        help="per data set only the one-process `unmask analyze` (e.g. 10^7 after a quick run)")
    parser.add_argument("--append", action="store_true",
                        help="add to the rows and engine runs already in --out instead of starting afresh")
    parser.add_argument("--render", action="store_true",
                        help="only write the summary again from the rows.jsonl and engines.json of --out")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    started = datetime.now()
    args.out.mkdir(parents=True, exist_ok=True)
    rows_file, engines_file = args.out / "rows.jsonl", args.out / "engines.json"
    command = "python bench/run_all.py " + " ".join(sys.argv[1:])
    earlier = [Row(**json.loads(line)) for line in rows_file.read_text(encoding="utf-8").splitlines()] \
        if (args.render or args.append) and rows_file.exists() else []
    earlier_engines = json.loads(engines_file.read_text(encoding="utf-8")) \
        if (args.render or args.append) and engines_file.exists() else []
    if args.render:
        write_summary(earlier, growth(earlier), earlier_engines, [], command, started, args.out)
        return
    if not args.append:
        rows_file.write_text("", encoding="utf-8")

    def log(row: Row) -> None:
        print_row(row)
        with open(rows_file, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(row)) + "\n")

    sizes = args.sizes or (FULL_SIZES if args.full else QUICK_SIZES)
    spill_size = None if args.only_analyze else args.spill_size or min(max(sizes), 10**6)
    rows, _ = scaling(sizes, args.ira or args.full, not args.only_analyze, spill_size,
                      StageLimits(others_max_posts=args.stage_max_posts), log, args.only_analyze)
    rows = earlier + rows
    engines = earlier_engines + ([] if args.skip_spark else
                                 [compare_engines(n, args.spark_master) for n in args.engine_sizes])
    engines_file.write_text(json.dumps(engines, indent=1), encoding="utf-8")
    peers = [] if args.skip_peers else [run_peer(name, command) for name, command in peer_benchmarks(args.full)]
    write_summary(rows, growth(rows), engines, peers, command, started, args.out)


def write_summary(rows: list[Row], exponents: dict[str, float], engines: list[dict], peers: list[dict],
                  command: str, started: datetime, out: Path) -> None:
    """Write ``summary.md`` and ``summary.csv`` into ``out`` and print the summary."""
    write_csv(rows, out / "summary.csv")
    summary = render(rows, exponents, engines, peers, command, started)
    (out / "summary.md").write_text(summary, encoding="utf-8")
    print(summary)


if __name__ == "__main__":
    main()
