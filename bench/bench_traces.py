"""Speed of the traces: per-trace time on growing synthetic worlds, and side by side with the QUT toolkit.

    .venv/bin/python bench/bench_traces.py --sizes 1000000 5000000 --qut-size 1000000 \
        --out bench/results/traces.md

Part 1 builds a synthetic workspace per size (``n`` retweets of ``n / 5`` objects by ``n / 25`` accounts, both
with capped heavy-tailed popularity and activity; a planted network of 300 accounts each retweeting 40 of 200
target posts within a minute of each other; ``n / 10`` authored posts with 3 % copypasta, links, hashtags,
mentions and replies; avatars and post images with perceptual hashes) and times ``run_traces`` trace by trace.
The organic retweets give about 0.25 matched pairs of retweets per retweet at a 60 s window, twice the density of CooRTweet's real ``russian_coord_tweets``
sample (0.12), and the same at every size.

Part 2 runs the same co-retweet and co-tweet jobs with unmask and with the QUT coordination-network-toolkit
(``pip install coordination_network_toolkit``; benchmark only, not a project dependency) on one data set, and
checks that the two agree on the co-retweet network (``unmask.compat`` mode ``qut``).

Every job runs in a fresh child process (``--job``) and is measured twice: wall seconds of the job itself, and
CPU seconds (user + system) of the job including the toolkit's worker processes and DuckDB's threads, minus
the child's start-up.  On a shared machine CPU seconds are the fair comparison; both are reported, with the
load average.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from unmask import schema
from unmask.compat import run_compat
from unmask.traces import TRACES, TraceParams, run_traces

WORK = Path(__file__).resolve().parent / "work" / "traces"
DAY = 86_400
START = np.datetime64("2021-06-01T00:00:00", "us")
PLANTED_ACCOUNTS = 300
MEMORY_LIMIT = "6GB"  # DuckDB's, in every unmask job (the machine is shared)


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
    targets = rng.choice(n_objects, 200, replace=False)
    planted = [(a, o) for a in range(PLANTED_ACCOUNTS) for o in rng.choice(targets, 40, replace=False)]
    p_acc = np.array([f"bot{a}" for a, _ in planted])
    p_obj = np.array([o for _, o in planted])
    p_time = born[p_obj] + 30 + rng.uniform(0, 60, len(planted))  # within a minute of the trigger
    m = n - len(planted)
    obj = heavy_tailed_choice(rng, n_objects, m, 1.3, 1_000)
    delay = rng.lognormal(np.log(3 * 3_600), 2.0, m)  # median three hours, a tail of weeks
    organic = np.char.add("u", heavy_tailed_choice(rng, n_accounts, m, 1.2, 500).astype(str))
    return {
        "account": np.concatenate([p_acc, organic]),
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


def posts_table(n_retweets: int, n_authored: int | None = None, seed: int = 42) -> pa.Table:
    """The synthetic world as rows of the canonical ``posts`` table: ``n_retweets`` retweets and ``n_authored``
    authored posts (a tenth as many as retweets unless given)."""
    rng = np.random.default_rng(seed)
    rt = retweets(rng, n_retweets)
    n_own = n_retweets // 10 if n_authored is None else n_authored
    own = authored(rng, n_own, max(2_000, n_retweets // 25))
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


def media_table(posts: pa.Table, seed: int = 42) -> pa.Table:
    """Perceptual hashes: every account's avatar (15 % the default one, the planted accounts three stolen faces)
    and an image in 10 % of the authored posts (from a pool of 50,000 pictures)."""
    rng = np.random.default_rng(seed)
    accounts = np.unique(posts.column("account_id").to_numpy(zero_copy_only=False).astype(str))
    avatar = np.char.mod("%016x", rng.integers(0, 2**62, len(accounts)))
    avatar[rng.random(len(accounts)) < 0.15] = "0" * 16
    bots = np.char.startswith(accounts, "bot")
    avatar[bots] = np.array([f"{k:016x}" for k in range(1, 4)])[np.arange(bots.sum()) % 3]
    authored = np.flatnonzero(pc.not_equal(posts.column("kind"), "repost").to_numpy(zero_copy_only=False))
    with_image = authored[rng.random(len(authored)) < 0.1]
    pool = np.char.mod("%016x", rng.integers(0, 2**62, 50_000))
    images = pool[heavy_tailed_choice(rng, len(pool), len(with_image), 1.2, 200)]
    n_avatars = len(accounts)
    return pa.table({
        "platform": ["twitter"] * (n_avatars + len(with_image)),
        "media_id": [f"a{i}" for i in range(n_avatars)] + [f"m{i}" for i in range(len(with_image))],
        "account_id": accounts.tolist() + posts.column("account_id").take(with_image).to_pylist(),
        "post_id": [None] * n_avatars + posts.column("post_id").take(with_image).to_pylist(),
        "kind": ["avatar"] * n_avatars + ["image"] * len(with_image),
        "phash": avatar.tolist() + images.tolist(),
    })


def build_workspace(path: Path, posts: pa.Table, media: pa.Table) -> duckdb.DuckDBPyConnection:
    """A fresh workspace file holding ``posts`` and ``media``."""
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    for table in schema.CANONICAL:
        con.execute(schema.create_sql(table))
    for table, rows in (("posts", posts), ("media", media)):
        con.register("synthetic_rows", rows)
        names = ", ".join(rows.column_names)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM synthetic_rows")
        con.unregister("synthetic_rows")
    return con


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


# ---- jobs: each runs in a child process, prints {"wall": ..., "startup_cpu": ..., "result": ...} ----

def job_unmask_load(parquet: str, workspace: str) -> dict:
    """Arrow → DuckDB: the canonical ``posts`` and ``media`` tables of a fresh workspace."""
    build_workspace(Path(workspace), pq.read_table(parquet), pq.read_table(media_path(parquet))).close()
    return {}


def media_path(parquet: str | Path) -> Path:
    """Where the media rows of a world's posts file are."""
    return Path(str(parquet).replace(".parquet", "_media.parquet"))


def job_unmask_traces(workspace: str, *names: str) -> dict:
    """Run traces one by one, each with a checkpoint; per trace wall and CPU seconds and pairs (and the planted
    network's recovery)."""
    con = duckdb.connect(workspace, config={"memory_limit": MEMORY_LIMIT})
    out = {}
    for name in names or list(TRACES):
        wall, cpu = time.perf_counter(), time.process_time()
        stats = run_traces(con, TraceParams(), [name])[name]
        con.execute("CHECKPOINT")  # each trace pays for writing its own rows, not a later trace
        out[name] = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "pairs": stats.pairs}
    out["_planted"] = con.execute(
        "SELECT COUNT(*) FILTER (account_a LIKE 'bot%' AND account_b LIKE 'bot%'), "
        "COUNT(*) FILTER (NOT (account_a LIKE 'bot%' AND account_b LIKE 'bot%')) "
        "FROM trace_pairs WHERE trace = 'co_repost' AND shared_objects >= 5"
    ).fetchone()
    con.close()
    return out


def job_unmask_compat_qut(workspace: str, trace: str, window: str) -> dict:
    """The toolkit's network on ``trace``'s actions (``co_repost``: co-retweet, ``co_post``: co-tweet), its rules
    reproduced by ``unmask.compat``."""
    con = duckdb.connect(workspace, config={"memory_limit": MEMORY_LIMIT})
    edges = run_compat(con, "qut", float(window), trace=trace).edges
    con.close()
    return {"edges": edges}


def job_qut(step: str, database: str, csv_path: str) -> dict:
    """One step of the toolkit: ``load`` (CSV → SQLite), ``co_retweet`` (60 s) or ``co_tweet`` (3600 s)."""
    from coordination_network_toolkit import compute_networks, preprocess

    stdout, sys.stdout = sys.stdout, open(os.devnull, "w")  # the toolkit prints progress lines
    try:
        if step == "load":
            preprocess.preprocess_csv_files(database, [csv_path])
        elif step == "co_retweet":
            compute_networks.compute_co_retweet_parallel(database, 60, n_threads=2)
        else:
            compute_networks.compute_co_tweet_network(database, 3600, n_threads=2)
    finally:
        sys.stdout.close()
        sys.stdout = stdout
    if step == "load":
        return {}
    lite = sqlite3.connect(database)
    edges = lite.execute(f"SELECT COUNT(*) FROM {step}_network WHERE user_1 != user_2").fetchone()[0]
    lite.close()
    return {"edges": edges}


JOBS = {"unmask-load": job_unmask_load, "unmask-traces": job_unmask_traces,
        "unmask-compat-qut": job_unmask_compat_qut, "qut": job_qut}


@dataclass
class Measured:
    """One job's wall seconds, CPU seconds (all its processes and threads, start-up excluded) and result."""

    wall: float
    cpu: float
    result: dict


def measure(job: str, *args: str) -> Measured:
    """Run ``job`` in a fresh child process and measure it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, __file__, "--job", job, *args], capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"job {job} failed:\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime) - report["startup_cpu"]
    print(f"[{job} {' '.join(Path(a).name for a in args)}] wall {report['wall']:.2f} s, cpu {cpu:.2f} s, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    return Measured(report["wall"], cpu, report["result"])


def run_job(job: str, args: list[str]) -> None:
    """Child side of :func:`measure`."""
    startup_cpu = time.process_time()
    started = time.perf_counter()
    result = JOBS[job](*args)
    print(json.dumps({"wall": time.perf_counter() - started, "startup_cpu": startup_cpu, "result": result}))


# ---- the two parts ----

def part_traces(sizes: list[int]) -> list[str]:
    """Per-trace wall and CPU seconds for each size, as markdown lines."""
    results = {}
    for n in sizes:
        parquet, workspace = WORK / f"world_{n}.parquet", WORK / f"world_{n}.duckdb"
        posts = posts_table(n)
        pq.write_table(posts, parquet)
        pq.write_table(media_table(posts), media_path(parquet))
        print(f"[traces] {n:,} retweets + {posts.num_rows - n:,} posts", flush=True)
        del posts
        measure("unmask-load", str(parquet), str(workspace))
        results[n] = measure("unmask-traces", str(workspace)).result
        workspace.unlink()
    header = "| trace | " + " | ".join(f"{n / 1e6:g} M: wall s / CPU s (pairs)" for n in sizes) + " |"
    lines = [header, "|---|" + "---|" * len(sizes)]
    for name in TRACES:
        cells = [f"{results[n][name]['wall']:.2f} / {results[n][name]['cpu']:.2f} ({results[n][name]['pairs']:,})"
                 for n in sizes]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    totals = []
    for n in sizes:
        wall = sum(results[n][name]["wall"] for name in TRACES)
        cpu = sum(results[n][name]["cpu"] for name in TRACES)
        totals.append(f"**{wall:.1f} / {cpu:.1f}**")
    lines.append("| all traces | " + " | ".join(totals) + " |")
    planted = PLANTED_ACCOUNTS * (PLANTED_ACCOUNTS - 1) // 2
    lines += ["", "`co_repost` pairs sharing >= 5 reposted posts (raw counts, before any significance test): "
              + "; ".join(f"{n / 1e6:g} M: planted {results[n]['_planted'][0]:,} of {planted:,}, "
                          f"others {results[n]['_planted'][1]:,}" for n in sizes) + "."]
    return lines


def part_side_by_side(n: int) -> list[str]:
    """The co-retweet and co-tweet jobs with unmask and with the QUT toolkit, as markdown lines."""
    posts = posts_table(n, n_authored=n)
    parquet, workspace = WORK / f"side_{n}.parquet", WORK / f"side_{n}.duckdb"
    csv_path, database = WORK / f"qut_{n}.csv", WORK / f"qut_{n}.db"
    pq.write_table(posts, parquet)
    pq.write_table(media_table(posts), media_path(parquet))
    write_qut_csv(posts, csv_path)
    n_posts = posts.num_rows - n
    del posts
    qut = {step: measure("qut", step, str(database), str(csv_path)) for step in ("load", "co_retweet", "co_tweet")}
    ours = {"load": measure("unmask-load", str(parquet), str(workspace))}
    traced = measure("unmask-traces", str(workspace), "co_repost", "co_post")
    for job, trace in (("co_retweet", "co_repost"), ("co_tweet", "co_post")):
        ours[job] = Measured(traced.result[trace]["wall"], traced.result[trace]["cpu"], {})
    compat = measure("unmask-compat-qut", str(workspace), "co_repost", "60")
    compat_tweet = measure("unmask-compat-qut", str(workspace), "co_post", "3600")
    agree = "identical" if compat.result["edges"] == qut["co_retweet"].result["edges"] else "MISMATCH"

    def row(label: str, theirs: Measured, mine: Measured) -> str:
        return (f"| {label} | {theirs.wall:.2f} / {theirs.cpu:.2f} | {mine.wall:.2f} / {mine.cpu:.2f} | "
                f"**{theirs.wall / mine.wall:.1f}×** / **{theirs.cpu / mine.cpu:.1f}×** |")

    return [
        f"Same data: {n:,} retweets + {n_posts:,} authored posts; co-retweet window 60 s, co-tweet window 3600 s; "
        "the toolkit with `n_threads=2`, DuckDB with its default 2 threads.",
        "",
        "| job | QUT toolkit 1.5.2: wall s / CPU s | unmask: wall s / CPU s | speed-up: wall / CPU |",
        "|---|---|---|---|",
        row("co-retweet (unmask: `co_repost` trace with pairs and evidence)", qut["co_retweet"], ours["co_retweet"]),
        row("co-retweet, the toolkit's own rules (`run_compat(con, 'qut', 60)`)", qut["co_retweet"], compat),
        row("co-tweet (unmask: `co_post` trace, normalised text)", qut["co_tweet"], ours["co_tweet"]),
        row("co-tweet, the toolkit's rules on `co_post`'s texts (`run_compat(con, 'qut', 3600, trace='co_post')`)",
            qut["co_tweet"], compat_tweet),
        row("loading the input (toolkit: CSV → SQLite; unmask: Arrow → DuckDB)", qut["load"], ours["load"]),
        "",
        f"Directed co-retweet edges without loops: toolkit {qut['co_retweet'].result['edges']:,}, unmask "
        f"`run_compat(con, 'qut', 60)` {compat.result['edges']:,} ({agree}).  Directed co-tweet edges: toolkit "
        f"{qut['co_tweet'].result['edges']:,}, unmask {compat_tweet.result['edges']:,} (the toolkit compares texts "
        "without mentions, case and extra whitespace; every copy in this world ends in a random suffix, which "
        "`co_post` strips and the toolkit keeps, so only unmask finds them).",
        "",
        "The second and fourth rows are the like-for-like jobs: the toolkit's network, by its rules.  The `co_repost` and "
        "`co_post` traces do more than the toolkit: they write every action to `trace_actions`, "
        "pair statistics (distinct objects, min and median Δt) and up to 10 evidence matches per pair, and "
        "writing those compressed tables is about 40 % of `co_repost`'s CPU time (profiled separately); `co_post` "
        "also normalises more (links, mentions, punctuation, random suffixes, kana/CJK-aware minimum length).",
    ]


def main() -> None:
    """Run both parts and write the markdown report (or, with ``--job``, one job in this child process)."""
    if len(sys.argv) > 2 and sys.argv[1] == "--job":
        run_job(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--qut-size", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    command = "python bench/bench_traces.py " + " ".join(sys.argv[1:])
    load_before = os.getloadavg()[0]
    traces = part_traces(args.sizes)
    side = part_side_by_side(args.qut_size)
    lines = [
        "# Traces: speed",
        "",
        f"Command: `{command}`  ",
        f"Machine: {os.cpu_count()} cores shared with other jobs (load average {load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end), Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"numpy {np.__version__}; default `TraceParams()`; DuckDB `memory_limit` {MEMORY_LIMIT}.",
        "",
        "## Per trace, growing synthetic worlds",
        "",
        *traces,
        "",
        "## Side by side with the QUT coordination-network-toolkit",
        "",
        *side,
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
