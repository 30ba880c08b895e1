"""`unmask analyze` on the IRA tweets: run time, peak memory, coverage and cluster purity.

    python eval/ira.py [--data ../shared/data/ira/ira_tweets.parquet] [--work DIR] [--reuse]

Every account of the release is an Internet Research Agency account, so there are no negatives: the measures are
the share of accounts with at least 20 posts that land in a coordinated cluster, and how pure the clusters are
against Linvill & Warren's ``account_category`` (the majority category's share of each cluster's members, summed
over clusters).  The run is timed as a fresh ``unmask analyze`` process (wall time, and CPU time, which does not
depend on what else runs on the machine); its peak RSS is the largest resident memory of the process and its
children (``bench_scaling.tree_memory``: pages shared with forked workers counted once), sampled every 0.2 s or
less often (``bench_scaling.sample_peak``).
``--reuse`` skips the run and scores an earlier case.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psutil

from metrics import purity

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_scaling import sample_peak  # noqa: E402 - the benchmarks' measure of a process tree's memory

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "ira" / "ira_tweets.parquet"


def run_analyze(data: Path, case: Path) -> tuple[float, float, float]:
    """Run ``unmask analyze`` on ``data`` into a fresh ``case``; returns (wall s, CPU s, peak RSS in GB)."""
    shutil.rmtree(case, ignore_errors=True)
    command = [str(Path(sys.executable).with_name("unmask")), "analyze", str(data), "--out", str(case)]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = sample_peak(process, peak)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"unmask analyze failed with status {process.returncode}")
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return wall, cpu, peak / 1e9


def score(data: Path, case: Path) -> dict[str, float]:
    """Coverage of accounts with >= 20 posts, and purity of clusters against ``account_category``."""
    with duckdb.connect(str(case / "workspace.duckdb"), read_only=True) as con:
        con.execute(
            f"""
            CREATE TEMP TABLE labels AS
            SELECT lower(author_id) AS account_id, any_value(account_category) AS category, count(*) AS posts
            FROM read_parquet('{data}') GROUP BY 1
            """
        )
        accounts, active, covered, flagged = con.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE l.posts >= 20),
                   count(*) FILTER (WHERE l.posts >= 20 AND s.cluster_id IS NOT NULL), count(*) FILTER (WHERE s.flagged)
            FROM account_scores s JOIN labels l USING (account_id)
            """
        ).fetchone()
        members = con.execute(
            "SELECT s.cluster_id, l.category FROM account_scores s JOIN labels l USING (account_id) "
            "WHERE s.cluster_id IS NOT NULL ORDER BY s.account_id"
        ).fetchall()
        clusters = con.execute("SELECT count(*), max(size) FROM clusters").fetchone()
        categories = con.execute(
            """
            SELECT l.category, count(*), count(*) FILTER (WHERE s.cluster_id IS NOT NULL)
            FROM account_scores s JOIN labels l USING (account_id) WHERE l.posts >= 20 GROUP BY 1 ORDER BY 2 DESC
            """
        ).fetchall()
    return {
        "accounts": accounts,
        "active": active,
        "covered": covered,
        "flagged": flagged,
        "clusters": clusters[0],
        "largest": clusters[1] or 0,
        "purity": purity([m[0] for m in members], [m[1] for m in members]),
        "categories": categories,
    }


def main() -> None:
    """Run (or reuse) the IRA case and print the measures as markdown."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "unmask-eval-ira")
    parser.add_argument("--reuse", action="store_true", help="score the case of an earlier run")
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data} not found (the IRA release lives in ../shared/data/ira/)")
    case = args.work / "case"
    if not args.reuse:
        wall, cpu, peak = run_analyze(args.data, case)
        print(f"- `unmask analyze`: wall time {wall:.0f} s, CPU time {cpu:.0f} s, peak RSS {peak:.2f} GB")
    result = score(args.data, case)
    print(f"- accounts: {result['accounts']:,}; with >= 20 posts: {result['active']:,}; flagged: {result['flagged']:,}")
    print(f"- accounts with >= 20 posts in a coordinated cluster: {result['covered']:,} "
          f"({result['covered'] / max(result['active'], 1):.1%})")
    print(f"- clusters: {result['clusters']:,} (largest {result['largest']:,}); "
          f"purity against account_category: {result['purity']:.3f}")
    print("- coverage by category (accounts with >= 20 posts): " + ", ".join(
        f"{category} {covered}/{total}" for category, total, covered in result["categories"]))


if __name__ == "__main__":
    main()
