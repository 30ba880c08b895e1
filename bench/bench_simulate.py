"""Speed and memory of the campaign simulator: wall time, posts per second, peak RSS, RSS day by day.

    .venv/bin/python bench/bench_simulate.py --scenario large --out bench/results/simulate.md

Runs ``unmask.simulate.simulate`` once in this process, samples the resident set size after every simulated day
(the streaming writer should keep it flat whatever the window's length), and writes a Markdown report with the
command that produced it.  The generated files go to ``bench/work/simulate/`` and are deleted afterwards unless
``--keep`` is given (the ``large`` world is about 4 GB of CSV).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import time
from pathlib import Path

import psutil

from unmask.simulate import FORMATS, SCENARIOS, simulate

WORK = Path(__file__).resolve().parent / "work" / "simulate"


def main() -> None:
    """Parse arguments, run one simulation, write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="large", choices=sorted(SCENARIOS))
    parser.add_argument("--format", default="io-archive", choices=FORMATS)
    parser.add_argument("--accounts", type=int)
    parser.add_argument("--days", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="Markdown report to write (default: print only)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files in bench/work/simulate")
    args = parser.parse_args()

    shutil.rmtree(WORK, ignore_errors=True)
    process = psutil.Process()
    rss: list[tuple[int, float]] = []
    started = time.perf_counter()

    def progress(step: str, done: int, total: int) -> None:
        if step == "simulating days":
            rss.append((done, process.memory_info().rss / 2**20))
            print(f"{time.perf_counter() - started:8.1f}s  day {done}/{total}  rss {rss[-1][1]:,.0f} MiB", flush=True)

    summary = simulate(WORK, args.scenario, args.accounts, args.days, args.seed, args.format, progress=progress)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = sum(p.stat().st_size for p in WORK.rglob("*") if p.is_file()) / 2**20
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)

    command = " ".join([".venv/bin/python", "bench/bench_simulate.py", *sys.argv[1:]])
    days = [rss[0], rss[len(rss) // 2], rss[-1]] if rss else []
    lines = [
        "# Simulator benchmark",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; CPU time {sum(os.times()[:2]):,.0f} s of {seconds:,.0f} s wall.",
        "",
        "| scenario | format | accounts | campaign accounts | days | posts | wall s | posts/s | peak RSS MiB "
        "| output MiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {summary.scenario} | {summary.format} | {summary.accounts:,} | {summary.campaign_accounts:,} "
        f"| {summary.days} "
        f"| {summary.posts:,} | {seconds:,.0f} | {summary.posts / seconds:,.0f} | {peak:,.0f} | {size:,.0f} |",
        "",
        "Resident set size after simulated day " + ", ".join(f"{d}: {m:,.0f} MiB" for d, m in days)
        + " (bounded: generation runs a day ahead of a streaming writer).",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
