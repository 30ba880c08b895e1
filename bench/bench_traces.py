"""Speed of the traces: per-trace time on growing synthetic worlds, and side by side with the QUT toolkit.

    .venv/bin/python bench/bench_traces.py --sizes 1000000 5000000 --qut-size 1000000 \
        --out bench/results/traces.md

Part 1 builds a synthetic workspace per size (``n`` retweets of ``n / 5`` objects by ``n / 25`` accounts, both
with capped heavy-tailed popularity and activity; a planted network of 300 accounts each retweeting 40 of 400
target posts within a minute of each other; ``n / 10`` authored posts with 3 % copypasta, links, hashtags,
mentions and replies) and times ``run_traces`` trace by trace.  The organic retweets give about 0.25 matched
pairs of retweets per retweet at a 60 s window, twice the density of CooRTweet's real ``russian_coord_tweets``
sample (0.12), and the same at every size.

Part 2 runs the same co-retweet and co-tweet jobs with unmask and with the QUT coordination-network-toolkit
(``pip install coordination_network_toolkit``; benchmark only, not a project dependency) on one data set, and
checks that the two agree on the co-retweet network (``unmask.compat`` mode ``qut``).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from unmask import schema
from unmask.compat import run_compat
from unmask.traces import TRACES, TraceParams, run_traces

WORK = Path(__file__).resolve().parent / "work" / "traces"
DAY = 86_400
START = np.datetime64("2021-06-01T00:00:00", "us")
PLANTED_ACCOUNTS = 300


def heavy_tailed_choice(rng: np.random.Generator, n_items: int, size: int, tail: float, cap: float) -> np.ndarray:
    """Draw ``size`` of ``n_items`` items with Pareto(``tail``) weights capped at ``cap`` times the least one.

    The cap keeps the busiest item's share of draws bounded as the world grows, so a bigger world is more of the
    same world (more objects, more accounts) rather than one ever more viral post.
    """
    weights = np.minimum(rng.pareto(tail, n_items) + 1.0, cap)
    return rng.choice(n_items, size=size, p=weights / weights.sum())


def retweets(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """``n`` retweets: who (``u*`` organic, ``bot*`` planted), of what, when (seconds since START)."""
    n_accounts, n_objects = max(2_000, n // 25), max(2_000, n // 5)
    born = rng.uniform(0, 30 * DAY, n_objects)
    targets = rng.choice(n_objects, 400, replace=False)
    planted = [(a, o) for a in range(PLANTED_ACCOUNTS) for o in rng.choice(targets, 40, replace=False)]
    p_acc = np.array([f"bot{a}" for a, _ in planted])
    p_obj = np.array([o for _, o in planted])
    p_time = born[p_obj] + 30 + rng.uniform(0, 60, len(planted))  # within a minute of the trigger
    m = n - len(planted)
    obj = heavy_tailed_choice(rng, n_objects, m, 1.3, 1_000)
    delay = rng.lognormal(np.log(3 * 3_600), 2.0, m)  # median three hours, a tail of weeks
    return {
        "account": np.concatenate([p_acc, np.char.add("u", heavy_tailed_choice(rng, n_accounts, m, 1.2, 500).astype(str))]),
        "object": np.concatenate([p_obj, obj]),
        "seconds": np.floor(np.concatenate([p_time, born[obj] + delay])),
    }


def authored(rng: np.random.Generator, n: int, n_accounts: int) -> dict[str, list]:
    """``n`` authored posts: random sentences, 3 % copypasta with random suffixes, links, tags, mentions, replies;
    3,000 of them are the planted network's copypasta (10 texts, each posted within 10 minutes)."""
    vocab = np.array([f"w{i}" for i in range(5_000)])
    words = vocab[heavy_tailed_choice(rng, len(vocab), n * 14, 1.0, 1_000)].reshape(n, 14)
    templates = [" ".join(rng.choice(vocab, 16)) for _ in range(100)]
    texts = [" ".join(row) for row in words]
    for i in np.flatnonzero(rng.random(n) < 0.03):
        texts[i] = f"{templates[rng.integers(100)]} {rng.integers(16**6):06x}"
    accounts = np.char.add("u", heavy_tailed_choice(rng, n_accounts, n, 1.2, 500).astype(str))
    seconds = np.floor(rng.uniform(0, 31 * DAY, n))
    for k, i in enumerate(rng.choice(n, min(n, 3_000), replace=False)):  # the planted network's copypasta
        texts[i] = f"{templates[k % 10]} {rng.integers(16**6):06x}"
        accounts[i] = f"bot{k % PLANTED_ACCOUNTS}"
        seconds[i] = (k % 10) * DAY + rng.integers(600)
    hosts = [f"site{i}.com" for i in range(2_000)]
    url_ids = heavy_tailed_choice(rng, 20_000, n, 1.2, 500)
    has = {key: rng.random(n) < share for key, share in (("url", 0.3), ("tags", 0.3), ("mention", 0.2), ("reply", 0.2))}
    return {
        "account": accounts.tolist(),
        "seconds": seconds.tolist(),
        "text": texts,
        "urls": [[f"https://www.{hosts[u % 2000]}/a/{u}?utm_source=x{i % 7}"] if has["url"][i] else []
                 for i, u in enumerate(url_ids)],
        "domains": [[hosts[u % 2000]] if has["url"][i] else [] for i, u in enumerate(url_ids)],
        "hashtags": [[f"t{a}", f"t{b}"] if has["tags"][i] else []
                     for i, (a, b) in enumerate(heavy_tailed_choice(rng, 500, 2 * n, 1.2, 100).reshape(n, 2))],
        "mentions": [[f"m{m}"] if has["mention"][i] else []
                     for i, m in enumerate(heavy_tailed_choice(rng, 5_000, n, 1.2, 500))],
        "reply_to": [f"r{r}" if has["reply"][i] else None
                     for i, r in enumerate(heavy_tailed_choice(rng, 50_000, n, 1.2, 500))],
    }


def posts_table(n_retweets: int, seed: int = 42) -> pa.Table:
    """The synthetic world as rows of the canonical ``posts`` table."""
    rng = np.random.default_rng(seed)
    rt = retweets(rng, n_retweets)
    own = authored(rng, n_retweets // 10, max(2_000, n_retweets // 25))
    n_own = len(own["text"])
    seconds = np.concatenate([rt["seconds"], np.array(own["seconds"])]).astype("int64")
    kinds = ["repost"] * n_retweets + ["reply" if r else "post" for r in own["reply_to"]]
    empty: list[list[str]] = [[] for _ in range(n_retweets)]
    columns = {
        "platform": ["twitter"] * (n_retweets + n_own),
        "post_id": [f"p{i}" for i in range(n_retweets + n_own)],
        "account_id": rt["account"].tolist() + own["account"],
        "created_at": pa.array(START + seconds.astype("timedelta64[s]"), type=pa.timestamp("us")),
        "kind": kinds,
        "text": [None] * n_retweets + own["text"],
        "reposted_post_id": [f"o{o}" for o in rt["object"]] + [None] * n_own,
        "reply_to_post_id": [None] * n_retweets + own["reply_to"],
        "urls": empty + own["urls"],
        "domains": empty + own["domains"],
        "hashtags": empty + own["hashtags"],
        "mentions": empty + own["mentions"],
    }
    return pa.table(columns)


def build_workspace(path: Path, posts: pa.Table) -> duckdb.DuckDBPyConnection:
    """A fresh workspace file holding ``posts``."""
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    for table in schema.CANONICAL:
        con.execute(schema.create_sql(table))
    con.register("synthetic_posts", posts)
    names = ", ".join(posts.column_names)
    con.execute(f"INSERT INTO posts ({names}) SELECT {names} FROM synthetic_posts")
    con.unregister("synthetic_posts")
    return con


def part_traces(sizes: list[int]) -> list[str]:
    """Per-trace seconds for each size, as markdown lines."""
    results: dict[int, dict[str, tuple[float, int]]] = {}
    recovery: dict[int, tuple[int, int]] = {}
    for n in sizes:
        posts = posts_table(n)
        con = build_workspace(WORK / f"world_{n}.duckdb", posts)
        print(f"[traces] {n:,} retweets + {posts.num_rows - n:,} posts loaded", flush=True)
        stats = run_traces(con)
        results[n] = {name: (s.seconds, s.pairs) for name, s in stats.items()}
        planted, chance = con.execute(
            "SELECT COUNT(*) FILTER (account_a LIKE 'bot%' AND account_b LIKE 'bot%'), "
            "COUNT(*) FILTER (NOT (account_a LIKE 'bot%' AND account_b LIKE 'bot%')) "
            "FROM trace_pairs WHERE trace = 'co_repost' AND shared_objects >= 5"
        ).fetchone()
        print(f"[traces] {n:,}: {sum(s for s, _ in results[n].values()):.1f} s; co_repost pairs with >= 5 shared "
              f"objects: planted {planted:,} of {PLANTED_ACCOUNTS * (PLANTED_ACCOUNTS - 1) // 2:,}, others {chance:,}")
        recovery[n] = (planted, chance)
        con.close()
    header = "| trace | " + " | ".join(f"{n / 1e6:g} M: s (pairs)" for n in sizes) + " |"
    lines = [header, "|---|" + "---|" * len(sizes)]
    for name in TRACES:
        cells = [f"{results[n][name][0]:.2f} ({results[n][name][1]:,})" for n in sizes]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    totals = [f"**{sum(s for s, _ in results[n].values()):.1f}**" for n in sizes]
    lines.append("| all traces | " + " | ".join(totals) + " |")
    lines += ["", "`co_repost` pairs sharing >= 5 reposted posts (raw counts, before any significance test): "
              + "; ".join(f"{n / 1e6:g} M: planted {p:,} of {PLANTED_ACCOUNTS * (PLANTED_ACCOUNTS - 1) // 2:,}, "
                          f"others {c:,}" for n, (p, c) in recovery.items()) + "."]
    return lines


def write_qut_csv(posts: pa.Table, path: Path) -> None:
    """The same posts in the QUT toolkit's 8-column CSV (``urls`` space-separated)."""
    data = posts.to_pydict()
    epoch = START.astype("datetime64[s]").astype("int64")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp", "urls"])
        for i, pid in enumerate(data["post_id"]):
            seconds = int(np.datetime64(data["created_at"][i], "s").astype("int64") - epoch)
            out.writerow([pid, data["account_id"][i], data["account_id"][i], data["reposted_post_id"][i] or "",
                          data["reply_to_post_id"][i] or "", data["text"][i] or "", seconds,
                          " ".join(data["urls"][i])])


def timed(label: str, func, *args, **kwargs) -> float:
    started = time.perf_counter()
    func(*args, **kwargs)
    seconds = time.perf_counter() - started
    print(f"[qut] {label}: {seconds:.2f} s", flush=True)
    return seconds


def part_side_by_side(n: int) -> list[str]:
    """The co-retweet and co-tweet jobs with unmask and with the QUT toolkit, as markdown lines."""
    from coordination_network_toolkit import compute_networks, preprocess

    posts = posts_table(n)
    csv_path, db_path = WORK / f"qut_{n}.csv", WORK / f"qut_{n}.db"
    write_qut_csv(posts, csv_path)
    if db_path.exists():
        db_path.unlink()
    quiet = open(os.devnull, "w")
    stdout, sys.stdout = sys.stdout, quiet  # the toolkit prints progress lines
    try:
        qut = {
            "load": timed("preprocess_csv_files", preprocess.preprocess_csv_files, str(db_path), [str(csv_path)]),
            "co_retweet": timed("co_retweet", compute_networks.compute_co_retweet_parallel, str(db_path), 60,
                                n_threads=2),
            "co_tweet": timed("co_tweet", compute_networks.compute_co_tweet_network, str(db_path), 3600,
                              n_threads=2),
        }
    finally:
        sys.stdout = stdout
        quiet.close()
    lite = sqlite3.connect(db_path)
    qut_edges = lite.execute("SELECT COUNT(*) FROM co_retweet_network WHERE user_1 != user_2").fetchone()[0]
    lite.close()
    for label, seconds in qut.items():
        print(f"[qut] toolkit {label}: {seconds:.2f} s")

    started = time.perf_counter()
    con = build_workspace(WORK / f"side_{n}.duckdb", posts)
    ours = {"load": time.perf_counter() - started}
    params = TraceParams(window_seconds=60, text_window_seconds=3600)
    ours["co_retweet"] = run_traces(con, params, ["co_repost"])["co_repost"].seconds
    ours["co_tweet"] = run_traces(con, params, ["co_post"])["co_post"].seconds
    started = time.perf_counter()
    compat = run_compat(con, "qut", 60)
    compat_seconds = time.perf_counter() - started
    con.close()
    print(f"[qut] unmask {ours}; compat qut {compat_seconds:.2f} s, edges {compat.edges} vs toolkit {qut_edges}")

    lines = [
        f"Same data: {n:,} retweets + {posts.num_rows - n:,} authored posts; co-retweet window 60 s, "
        "co-tweet window 3600 s; the toolkit with `n_threads=2`.",
        "",
        "| job | QUT toolkit 1.5.2 (s) | unmask (s) | speed-up |",
        "|---|---|---|---|",
    ]
    for job, label in (("co_retweet", "co-retweet (`co_repost` trace, with evidence)"),
                       ("co_tweet", "co-tweet (`co_post` trace, normalised text)")):
        lines.append(f"| {label} | {qut[job]:.2f} | {ours[job]:.2f} | **{qut[job] / ours[job]:.1f}×** |")
    lines.append(f"| co-retweet, toolkit rules (`run_compat(con, 'qut', 60)`) | {qut['co_retweet']:.2f} | "
                 f"{compat_seconds:.2f} | **{qut['co_retweet'] / compat_seconds:.1f}×** |")
    lines.append(f"| loading the input (toolkit: CSV → SQLite; unmask: Arrow → DuckDB) | {qut['load']:.2f} | "
                 f"{ours['load']:.2f} | {qut['load'] / ours['load']:.1f}× |")
    lines += ["", f"Directed co-retweet edges (no loops): toolkit {qut_edges:,}, unmask compat `qut` "
                  f"{compat.edges:,} ({'identical count' if qut_edges == compat.edges else 'MISMATCH'})."]
    return lines


def main() -> None:
    """Run both parts and write the markdown report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--qut-size", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    command = "python bench/bench_traces.py " + " ".join(sys.argv[1:])
    lines = [
        "# Traces: speed",
        "",
        f"Command: `{command}`  ",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"numpy {np.__version__}; default `TraceParams()`.",
        "",
        "## Per trace, growing synthetic worlds",
        "",
        *part_traces(args.sizes),
        "",
        "## Side by side with the QUT coordination-network-toolkit",
        "",
        *part_side_by_side(args.qut_size),
        "",
    ]
    shutil.rmtree(WORK, ignore_errors=True)
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
