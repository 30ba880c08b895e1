"""Does a network resemble the reference of its own kind first?  Numbers recorded in eval/results/resemblance.md.

    .venv/bin/python eval/eval_resemblance.py [--work DIR] [--splits 5] [--sizes 10 20 50] [--samples 100]

1. **IRA, held out.**  For each ``account_category`` with at least 10 accounts and each random split, the
   category's accounts are cut in two halves: the reference is the fingerprint of one half, the test cluster a
   random sample of ``size`` accounts of the other half.  Each test cluster is ranked against the references of
   every category (each built only from its reference half): top-1 accuracy per size, the confusion between
   categories at the smallest size, and the top-1 accuracy each family would reach alone.
2. **Simulated campaigns.**  References from the campaigns of one seed's demo world (C1 Spamouflage-like, C2
   hashtag flood, C3 paraphrasing personas, through ``ground_truth.csv`` as ``--group-by campaign_id``); tested on
   another seed's world: its ground-truth campaigns, and the clusters ``unmask analyze`` finds in it, each labelled
   by its majority campaign, ranked with ``compare_clusters`` (percentile against random same-size sets of the
   case's unflagged accounts).
3. **Organic.**  Clusters ``unmask analyze`` finds in the organic-only world (and organic-majority clusters of
   the demo world); organic *interest groups* of the demo world (accounts whose most reposted account is the same:
   fans, readers -- the honest look-alikes of a network); and random sets of organic accounts; against the same
   references.
4. **The shipped library.**  The other seed's ground-truth campaigns against the references shipped with unmask.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import numpy as np

from unmask.analyze import analyze
from unmask.ingest import ingest
from unmask.resemblance import (
    build_fingerprints,
    compare,
    compare_clusters,
    default_library,
    fingerprint_sets,
    load_library,
    rank,
    save_references,
)
from unmask.resemblance.accounts import prepare_accounts
from unmask.resemblance.calibrate import null_similarities, percentile
from unmask.resemblance.labels import account_labels
from unmask.simulate import simulate
from unmask.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
IRA = REPO.parent / "shared" / "data" / "ira" / "ira_tweets.parquet"
MIN_CATEGORY = 10


def ira_held_out(work: Path, splits: int, sizes: list[int]) -> None:
    """Section 1: held-out IRA clusters against per-category references built from the other accounts."""
    case = work / "ira"
    if not (case / "workspace.duckdb").exists():
        ingest([IRA], case)
    with Workspace(case) as ws:
        ws.con.execute("SET enable_progress_bar = false")
        labels = account_labels(ws.con, [IRA], "account_category")
        prepare_accounts(ws.con)
        by_category: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key in sorted(labels):
            by_category[labels[key]].append(key)
        categories = sorted(c for c, keys in by_category.items() if len(keys) >= MIN_CATEGORY)
        left_out = sorted(set(by_category) - set(categories))
        print(f"## 1. IRA held out: {len(categories)} categories, {splits} splits "
              f"(left out, under {MIN_CATEGORY} accounts: {', '.join(left_out) or 'none'})\n")
        print("| cluster size | clusters | top-1 | mean similarity to own | mean best other | mean margin |")
        print("|---|---|---|---|---|---|")
        confusion: dict[str, Counter[str]] = defaultdict(Counter)
        family_hits: dict[str, list[bool]] = defaultdict(list)
        for size in sizes:
            hits, own, other = [], [], []
            for split in range(splits):
                references, tests = _split(by_category, categories, size, split)
                fingerprints = fingerprint_sets(ws.con, {**references, **tests})
                refs = [fingerprints[name] for name in references]
                for category in categories:
                    ranked = rank(fingerprints[f"test {category}"], refs)
                    hits.append(ranked[0].reference == f"ref {category}")
                    own.append(next(c.similarity for c in ranked if c.reference == f"ref {category}"))
                    other.append(max(c.similarity for c in ranked if c.reference != f"ref {category}"))
                    if size == min(sizes):
                        confusion[category][ranked[0].reference.removeprefix("ref ")] += 1
                        _family_top1(family_hits, ranked, category)
            margin = np.mean(np.array(own) - np.array(other))
            print(f"| {size} | {len(hits)} | {np.mean(hits):.3f} | {np.mean(own):.3f} | {np.mean(other):.3f} | "
                  f"{margin:+.3f} |", flush=True)
    print(f"\nConfusion at size {min(sizes)} (rows: true category, columns: top-1 reference, counts over splits):\n")
    print("| true \\ top-1 | " + " | ".join(categories) + " |")
    print("|---|" + "---|" * len(categories))
    for category in categories:
        print(f"| {category} | " + " | ".join(str(confusion[category][c]) for c in categories) + " |")
    print(f"\nTop-1 accuracy of each family alone (size {min(sizes)}):\n")
    for family, hits in sorted(family_hits.items(), key=lambda kv: -np.mean(kv[1])):
        print(f"- {family}: {np.mean(hits):.3f} ({len(hits)} clusters)")


def _split(by_category: dict[str, list[tuple[str, str]]], categories: list[str], size: int,
           split: int) -> tuple[dict[str, list], dict[str, list]]:
    rng = np.random.default_rng([split, size])
    references, tests = {}, {}
    for category in categories:
        keys = by_category[category]
        order = rng.permutation(len(keys))
        half = len(keys) // 2
        references[f"ref {category}"] = [keys[i] for i in order[:half]]
        rest = [keys[i] for i in order[half:]]
        tests[f"test {category}"] = [rest[i] for i in sorted(rng.choice(len(rest), min(size, len(rest)), replace=False))]
    return references, tests


def _family_top1(family_hits: dict[str, list[bool]], ranked: list, category: str) -> None:
    for family in ranked[0].families:
        scored = [(c.families.get(family, -1.0), c.reference) for c in ranked]
        best = max(scored, key=lambda s: (s[0], s[1] == f"ref {category}"))
        tied = [ref for value, ref in scored if value == best[0]]
        family_hits[family].append(tied == [f"ref {category}"])


def simulated(work: Path, seed_a: int, seed_b: int, samples: int) -> None:
    """Sections 2-4: simulated campaigns, organic clusters and sets, and the shipped library."""
    world_a, world_b, organic = work / f"demo-{seed_a}", work / f"demo-{seed_b}", work / f"organic-{seed_b}"
    for path, scenario, seed in ((world_a, "demo", seed_a), (world_b, "demo", seed_b), (organic, "organic-only", seed_b)):
        if not (path / "ground_truth.csv").exists():
            simulate(path, scenario, seed=seed)
    library = work / f"library-{seed_a}"
    save_references(build_fingerprints([world_a], f"sim seed {seed_a}", group_by="campaign_id"), library)
    references = load_library(library)
    print(f"\n## 2. Simulated campaigns: references from seed {seed_a}, tested on seed {seed_b}\n")
    truth = _truth(world_b / "ground_truth.csv")
    _ground_truth_sets(world_b, truth, references, samples)
    print()
    clusters_b = _analyzed_clusters(world_b, work / f"demo-{seed_b}-case", library, truth, samples)
    print(f"\n## 3. Organic accounts against the seed-{seed_a} references\n")
    _analyzed_clusters(organic, work / f"organic-{seed_b}-case", library, _truth(organic / "ground_truth.csv"),
                       samples)
    organic_rows = [row for row in clusters_b if row[1] == "organic"]
    print(f"\nOrganic-majority clusters of the seed-{seed_b} demo world: {len(organic_rows)}")
    for row in organic_rows:
        print(f"- cluster {row[0]} ({row[2]} accounts): top {row[3]} similarity {row[4]:.3f}, percentile {row[5]}")
    _organic(world_b, truth, references, samples)
    print(f"\n## 4. Seed-{seed_b} campaigns against the shipped library ({default_library().name}/)\n")
    _ground_truth_sets(world_b, truth, load_library(), samples)


def _truth(path: Path) -> dict[tuple[str, str], str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {(r["platform"], r["account_id"]): r["campaign_id"] or "organic" for r in csv.DictReader(handle)}


def _ground_truth_sets(world: Path, truth: dict[tuple[str, str], str], references: list, samples: int) -> None:
    """Each campaign of ``world`` as a whole, ranked against ``references``, calibrated on organic accounts."""
    case = world.parent / f"{world.name}-fingerprints"
    if not (case / "workspace.duckdb").exists():
        ingest(sorted(world.glob("*_csv_hashed.csv")), case)
    with Workspace(case) as ws:
        ws.con.execute("SET enable_progress_bar = false")
        prepare_accounts(ws.con)
        campaigns: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key, campaign in sorted(truth.items()):
            campaigns[campaign].append(key)
        posting = {tuple(r) for r in ws.con.execute("SELECT platform, account_id FROM rs_account WHERE posts > 0").fetchall()}
        pool = [key for key in campaigns.pop("organic") if key in posting]
        fingerprints = fingerprint_sets(ws.con, campaigns)
        null = null_similarities(ws.con, pool, [len(keys) for keys in campaigns.values()], references, samples)
    print("| campaign | accounts | top-1 reference | similarity | percentile | second | similarity |")
    print("|---|---|---|---|---|---|---|")
    for campaign in sorted(fingerprints):
        ranked = rank(fingerprints[campaign], references)
        first, second = ranked[0], ranked[1] if len(ranked) > 1 else None
        sample = null.get((len(campaigns[campaign]), first.reference), np.array([]))
        print(f"| {campaign} | {len(campaigns[campaign])} | {first.reference} | {first.similarity:.3f} | "
              f"{percentile(first.similarity, sample)} | {second.reference if second else ''} | "
              f"{f'{second.similarity:.3f}' if second else ''} |")


def _analyzed_clusters(world: Path, case: Path, library: Path, truth: dict[tuple[str, str], str],
                       samples: int) -> list[tuple]:
    """``unmask analyze`` on ``world``, then ``compare_clusters``; prints one row per cluster."""
    if not (case / "run.json").exists():
        started = time.perf_counter()
        analyze(sorted(world.glob("*_csv_hashed.csv")), case)
        print(f"(analyze: {time.perf_counter() - started:.0f} s)")
    with Workspace(case) as ws:
        ws.con.execute("SET enable_progress_bar = false")
        started = time.perf_counter()
        result = compare_clusters(ws.con, library, case, samples=samples)
        seconds = time.perf_counter() - started
        members = ws.con.execute("SELECT cluster_id, platform, account_id FROM account_scores "
                                 "WHERE cluster_id IS NOT NULL ORDER BY ALL").fetchall()
    majority: dict[int, Counter[str]] = defaultdict(Counter)
    for cluster_id, platform, account_id in members:
        majority[cluster_id][truth.get((platform, account_id), "organic")] += 1
    rows = []
    print(f"{result.clusters} clusters from `unmask analyze` on {world.name}, compare_clusters {seconds:.0f} s "
          f"({samples} random sets per size)\n")
    print("| cluster | accounts | majority (share) | top-1 reference | similarity | percentile | own reference rank |")
    print("|---|---|---|---|---|---|---|")
    table = result.rows.to_pylist()
    for cluster_id in sorted(majority):
        label, count = majority[cluster_id].most_common(1)[0]
        size = sum(majority[cluster_id].values())
        cluster_rows = [r for r in table if r["cluster_id"] == cluster_id]
        top = cluster_rows[0]
        own = next((r["rank"] for r in cluster_rows if r["reference"].endswith(f" {label}")), "-")
        print(f"| {cluster_id} | {size} | {label} ({count / size:.0%}) | {top['reference']} | {top['similarity']} | "
              f"{top['percentile']} | {own} |")
        rows.append((cluster_id, label, size, top["reference"], top["similarity"], top["percentile"]))
    return rows


def _organic(world: Path, truth: dict[tuple[str, str], str], references: list, samples: int) -> None:
    """Organic interest groups and random organic sets of ``world`` against ``references``.

    An interest group is every organic account whose most reposted account (at least 3 reposts) is the same one:
    a celebrity's fans, a news outlet's readers, the honest look-alikes of a coordinated network.
    """
    case = world.parent / f"{world.name}-fingerprints"
    with Workspace(case) as ws:
        ws.con.execute("SET enable_progress_bar = false")
        prepare_accounts(ws.con)
        posting = {tuple(r) for r in ws.con.execute("SELECT platform, account_id FROM rs_account WHERE posts > 0").fetchall()}
        organic = sorted(k for k, c in truth.items() if c == "organic" and k in posting)
        groups = _interest_groups(ws.con, set(organic))
        rng = np.random.default_rng(0)
        random = {f"{size}-{i}": [organic[j] for j in sorted(rng.choice(len(organic), size, replace=False))]
                  for size in (20, 50, 150) for i in range(samples)}
        fingerprints = fingerprint_sets(ws.con, {**groups, **random})
        null = null_similarities(ws.con, organic, [len(keys) for keys in groups.values()], references, samples)
    print(f"\nOrganic interest groups (accounts whose most reposted account is the same, groups of >= 10): "
          f"{len(groups)}\n")
    print("| group | accounts | top-1 reference | similarity | percentile vs random organic sets |")
    print("|---|---|---|---|---|")
    for name in sorted(groups, key=lambda g: (-len(groups[g]), g)):
        first = rank(fingerprints[name], references)[0]
        sample = null.get((len(groups[name]), first.reference), np.array([]))
        print(f"| {name} | {len(groups[name])} | {first.reference} | {first.similarity:.3f} | "
              f"{percentile(first.similarity, sample)} |")
    print(f"\nRandom sets of posting organic accounts ({samples} per size), best similarity to any reference:\n")
    print("| set size | median | 95th percentile | max |")
    print("|---|---|---|---|")
    for size in (20, 50, 150):
        best = [max(compare(fingerprints[f"{size}-{i}"], r).similarity or 0.0 for r in references)
                for i in range(samples)]
        print(f"| {size} | {np.median(best):.3f} | {np.percentile(best, 95):.3f} | {max(best):.3f} |")


def _interest_groups(con: duckdb.DuckDBPyConnection, organic: set[tuple[str, str]], min_size: int = 10) -> dict[str, list]:
    rows = con.execute("""
        WITH r AS (SELECT platform, account_id, reposted_account_id AS source, count(*) AS n FROM posts
                   WHERE kind IN ('repost', 'forward') AND reposted_account_id IS NOT NULL GROUP BY ALL),
             favourite AS (SELECT platform, account_id, arg_max(source, (n, source)) AS source, max(n) AS n
                           FROM r GROUP BY ALL)
        SELECT source, platform, account_id FROM favourite WHERE n >= 3 ORDER BY ALL""").fetchall()
    groups: dict[str, list] = defaultdict(list)
    for source, platform, account_id in rows:
        if (platform, account_id) in organic:
            groups[source].append((platform, account_id))
    kept = sorted((keys for keys in groups.values() if len(keys) >= min_size), key=lambda k: (-len(k), k))
    return {f"interest group {i + 1}": keys for i, keys in enumerate(kept)}


def main() -> None:
    """Run every section and print markdown."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "unmask-eval-resemblance")
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 50])
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--seed-a", type=int, default=1)
    parser.add_argument("--seed-b", type=int, default=2)
    parser.add_argument("--skip-ira", action="store_true")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if not args.skip_ira:
        ira_held_out(args.work, args.splits, sorted(args.sizes))
    simulated(args.work, args.seed_a, args.seed_b, args.samples)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
