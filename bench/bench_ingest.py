"""Ingest speed and memory: the IRA release as Parquet, and a Twitter IO-archive tweets CSV of 1 GB or more.

    .venv/bin/python bench/bench_ingest.py --out bench/results/ingest.md

Each measurement runs ``unmask.ingest.ingest`` in a fresh child process on a fresh case folder under
``bench/work/ingest/`` and reports the wall time, rows read / stored / quarantined, MB/s and the child's peak
resident set size (``getrusage(RUSAGE_SELF).ru_maxrss``, read in the child when it ends).

* IRA: ``../shared/data/ira/ira_tweets.parquet`` (2,463,944 tweets).  Target: at most 60 s and 2 GB.
* IO archive: a CSV in the 31-column layout of Twitter's releases, generated once into ``bench/work/ingest/``
  (kept for re-runs) from the real IO-archive tweets in ``../shared/data/state-trolls`` (``bot_or_not = 1``):
  their texts, handles and profiles repeated with perturbations (unique tweet ids, 40,000 hashed user ids,
  times a second apart, a suffix on every third text, one tweet in five an old-style retweet, newlines in some
  texts and bios, list literals for hashtags, urls and mentions).  Target: at least 50 MB/s in bounded memory.
  ``--crlf-mb`` also times a smaller copy with Windows line ends.

``--cold`` times every file twice: first with its pages dropped from the operating system's page cache (cold, as
after a reboot or a fresh download; only that file's pages are dropped), then again at once (warm).
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

WORK = Path(__file__).resolve().parent / "work" / "ingest"
SHARED = Path(os.environ.get("UNMASK_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
IO_COLUMNS = (
    "tweetid", "userid", "user_display_name", "user_screen_name", "user_reported_location",
    "user_profile_description", "user_profile_url", "follower_count", "following_count", "account_creation_date",
    "account_language", "tweet_language", "tweet_text", "tweet_time", "tweet_client_name", "in_reply_to_userid",
    "in_reply_to_tweetid", "quoted_tweet_tweetid", "is_retweet", "retweet_userid", "retweet_tweetid", "latitude",
    "longitude", "quote_count", "reply_count", "like_count", "retweet_count", "hashtags", "urls", "user_mentions",
    "poll_choices",
)
ACCOUNTS = 40_000
CLIENTS = ("Twitter Web Client", "Twitter for iPhone", "Twitter for Android", "TweetDeck", "twitterfeed")


def main() -> None:
    """Parse arguments, run the measurements, print and optionally write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--io-size-mb", type=int, default=1100, help="size of the generated IO-archive CSV")
    parser.add_argument("--crlf-mb", type=int, default=0, help="also time a CSV of this size with CRLF line ends")
    parser.add_argument("--skip-ira", action="store_true")
    parser.add_argument("--skip-io", action="store_true")
    parser.add_argument("--cold", action="store_true", help="time each file cold (out of the page cache), then warm")
    parser.add_argument("--out", type=Path, help="Markdown report to write (default: print only)")
    parser.add_argument("--child", nargs=2, metavar=("FILE", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]))
        return
    inputs = []
    if not args.skip_ira:
        inputs.append(("IRA Parquet", SHARED / "ira" / "ira_tweets.parquet", "ira"))
    if not args.skip_io:
        io_csv = io_archive_csv(WORK / f"io_tweets_{args.io_size_mb}mb.csv", args.io_size_mb, "\n")
        inputs.append((f"IO-archive CSV, {args.io_size_mb} MB, LF", io_csv, "io"))
    if args.crlf_mb:
        crlf = io_archive_csv(WORK / f"io_tweets_{args.crlf_mb}mb_crlf.csv", args.crlf_mb, "\r\n")
        inputs.append((f"IO-archive CSV, {args.crlf_mb} MB, CRLF", crlf, "io-crlf"))
    rows = []
    for label, path, name in inputs:
        if args.cold:
            drop_from_page_cache(path)
            rows.append((f"{label}, cold", measure(path, name)))
            rows.append((f"{label}, warm", measure(path, name)))
        else:
            rows.append((label, measure(path, name)))
    report = render(rows, " ".join([".venv/bin/python bench/bench_ingest.py", *sys.argv[1:]]))
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")


def child(path: Path, case: Path) -> None:
    """Ingest one file and print the measurements as JSON (runs in the child process)."""
    import resource

    from unmask.ingest import ingest

    started = time.perf_counter()
    [result] = ingest([path], case)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "format": result.format, "read": result.rows_read, "stored": result.rows_stored,
        "quarantined": result.rows_quarantined, "seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
    }))


def measure(path: Path, name: str) -> dict:
    """Run the child on a fresh case folder; returns its measurements plus the file size."""
    case = WORK / f"case-{name}"
    shutil.rmtree(case, ignore_errors=True)
    load = os.getloadavg()[0]
    done = subprocess.run([sys.executable, __file__, "--child", str(path), str(case)], check=True,
                          capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    shutil.rmtree(case, ignore_errors=True)
    size_mb = path.stat().st_size / 2**20
    return {**result, "size_mb": size_mb, "mb_per_s": size_mb / result["seconds"], "load": load}


def drop_from_page_cache(path: Path) -> None:
    """Ask the operating system to drop ``path``'s pages from its page cache (the next read comes from disk)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def io_archive_csv(path: Path, size_mb: int, newline: str) -> Path:
    """Generate (once) an IO-archive tweets CSV of at least ``size_mb`` MB from the real IO tweets."""
    if path.exists() and path.stat().st_size >= size_mb * 2**20:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    seeds = real_io_tweets()
    users = [base64.b64encode(hashlib.sha256(f"user{a}".encode()).digest()).decode() for a in range(ACCOUNTS)]
    start = datetime(2016, 1, 1)
    target = size_mb * 2**20
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator=newline)
        writer.writerow(IO_COLUMNS)
        i = 0
        while out.tell() < target:
            block = [io_row(i + k, seeds, users, start) for k in range(50_000)]
            writer.writerows(block)
            i += len(block)
    return path


def real_io_tweets() -> list[dict]:
    """The IO-archive tweets (``bot_or_not = 1``) of the state-trolls set, with their lists pre-extracted."""
    keys = {"tweet_text": "text", "user_screen_name": "handle", "user_profile_description": "bio",
            "user_reported_location": "location", "account_creation_date": "created", "follower_count": "followers",
            "following_count": "following"}
    seeds = []
    for name in ("russian_unseen.csv", "vz_unseen.csv"):
        with open(SHARED / "state-trolls" / name, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("bot_or_not") == "1" and row.get("tweet_text"):
                    seeds.append({short: row.get(column) for column, short in keys.items()})
    for seed in seeds:
        seed["hashtags"] = str(re.findall(r"#(\w+)", seed["text"]))
        seed["urls"] = str(re.findall(r"https?://\S+", seed["text"]))
        seed["mentions"] = str(re.findall(r"@(\w+)", seed["text"]))
    return seeds


def io_row(i: int, seeds: list[dict], users: list[str], start: datetime) -> list[str]:
    """One perturbed tweet row: a real tweet's text and profile under a synthetic id, account and time."""
    seed = seeds[i % len(seeds)]
    account = (i * 7_919) % ACCOUNTS
    retweet = i % 5 == 0
    text = seed["text"] + (f" {i:x}" if i % 3 == 0 else "") + ("\nmore" if i % 50 == 0 else "")
    if retweet:
        text = f"RT @{seeds[(i // 5) % len(seeds)]['handle']}: {text}"
    when = start + timedelta(seconds=i)
    return [
        str(1_100_000_000_000_000_000 + i), users[account], f"{seed['handle']} {account}", f"{seed['handle']}{account}",
        seed["location"] or "", (seed["bio"] or "") + ("\nDM for collab" if account % 9 == 0 else ""), "",
        seed["followers"] or "0", seed["following"] or "0", seed["created"] or "2014-01-01", "en", "en", text,
        when.strftime("%Y-%m-%d %H:%M"), CLIENTS[account % len(CLIENTS)], "", "", "", "true" if retweet else "false",
        users[(account + 1) % ACCOUNTS] if retweet else "", str(1_000_000_000_000_000_000 + i // 5) if retweet else "",
        "absent", "absent", "0", str(i % 3), str(i % 17), str(i % 11), seed["hashtags"], seed["urls"],
        seed["mentions"], "",
    ]


def render(rows: list[tuple[str, dict]], command: str) -> str:
    """The Markdown report."""
    lines = [
        "# Ingest: speed and memory",
        "",
        f"`{command}`",
        "",
        f"Machine: {platform.platform()}, Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"{os.cpu_count()} cores; run {datetime.now():%Y-%m-%d %H:%M}.  Each file is ingested by a fresh child "
        "process into a fresh case folder; peak RSS is the child's `ru_maxrss`, CPU its user + system seconds "
        "(all threads).  `load` is the 1-minute load average when the run started: other work on the machine "
        "stretches the wall time, not the CPU time.",
        "",
        "Targets: IRA Parquet in at most 60 s with a peak RSS of at most 2 GB; IO-archive CSV at 50 MB/s or more "
        "in bounded memory.",
        "",
        "| input | MB | format | rows read | stored | quarantined | seconds | CPU s | MB/s | peak RSS (MB) | load |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows:
        lines.append(
            f"| {name} | {r['size_mb']:,.0f} | {r['format']} | {r['read']:,} | {r['stored']:,} | {r['quarantined']:,} "
            f"| {r['seconds']:.1f} | {r['cpu']:.1f} | {r['mb_per_s']:.1f} | {r['peak_mb']:,.0f} | {r['load']:.1f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
