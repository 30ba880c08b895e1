"""Evaluate the narrative stage: planted narratives of the simulator, IO-archive vs real accounts, throughput.

    .venv/bin/python eval/eval_narratives.py simulator --out /tmp/eval-nv/sim        # demo world, seed 7
    .venv/bin/python eval/eval_narratives.py state-trolls --out /tmp/eval-nv/trolls  # fake/real, russian, vz
    .venv/bin/python eval/eval_narratives.py throughput --accounts 22000 --out /tmp/eval-nv/big

Each prints a Markdown section for ``eval/results/narratives.md``.

Simulator: every campaign post quotes one of the planted claims (``unmask.simulate.narratives``) verbatim
inside openers, closers and hashtags, so a post's planted narrative is the narrative whose rendered claim it
contains.  Measured: purity of the found narratives over planted posts, coverage (planted posts that land in a
narrative), cross-language grouping (claims whose en / zh / fr versions land, by majority, in one narrative),
and starter-library claim matches (recall on planted posts of the four narratives the library knows, false
matches on organic posts).  The clusters are those of `unmask analyze`; the throughput run instead takes the
ground truth as clusters (the narrative stage alone is timed).

state-trolls: the IO accounts of each labelled set are made cluster 1 (a perfect coordination detector) and
the narratives they push or avoid against the real accounts are listed with lift and log-odds z.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter, defaultdict
from pathlib import Path

import duckdb

from unmask.narratives import NarrativeOptions, run_narratives
from unmask.narratives.pipeline import NarrativeSummary
from unmask.simulate import narratives as planted
from unmask.workspace import Workspace

LIBRARY_OF = {"region_denial": "xinjiang_denial", "critic_attacks": "critic_attacks",
              "pandemic_praise": "pandemic_praise", "us_gun_race": "us_gun_race"}
"""The starter library's narrative for each planted narrative (vaccine doubt is not in the library)."""


def planted_claims() -> dict[tuple[str, int, str], list[str]]:
    """Rendered texts of each planted claim by (narrative, claim index, language); indices align across languages."""
    out: dict[tuple[str, int, str], list[str]] = {}
    for nid, narrative in planted.NARRATIVES.items():
        for lang, claims in narrative.claims.items():
            for i, claim in enumerate(claims):
                names = [planted.TARGETS[t].names[lang] for t in narrative.targets] or [""]
                out[(nid, i, lang)] = sorted({claim.format(target=name) for name in names})
    return out


def label_posts(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, int, str]]:
    """post_id -> (planted narrative, claim index, language) for authored posts quoting a planted claim."""
    claims = planted_claims()
    needles = sorted(((text, key) for key, texts in claims.items() for text in texts), key=lambda x: -len(x[0]))
    labels = {}
    rows = con.execute("SELECT post_id, text FROM posts WHERE kind NOT IN ('repost', 'forward') AND text IS NOT NULL")
    for post_id, text in rows.fetchall():
        for needle, key in needles:
            if needle in text:
                labels[post_id] = key
                break
    return labels


def simulator_metrics(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Purity, coverage, cross-language grouping and claim matching against the planted narratives."""
    labels = label_posts(con)
    found = dict(con.execute("SELECT post_id, narrative_id FROM post_narrative").fetchall())
    per_narrative: dict[str, Counter[str]] = defaultdict(Counter)
    for post_id, (nid, _, _) in labels.items():
        if post_id in found:
            per_narrative[found[post_id]][nid] += 1
    in_narratives = sum(sum(c.values()) for c in per_narrative.values())
    purity = sum(c.most_common(1)[0][1] for c in per_narrative.values()) / max(in_narratives, 1)
    by_claim: dict[tuple[str, int], dict[str, Counter[str | None]]] = defaultdict(lambda: defaultdict(Counter))
    for post_id, (nid, i, lang) in labels.items():
        by_claim[(nid, i)][lang][found.get(post_id)] += 1
    multilingual = {k: v for k, v in by_claim.items() if len(v) >= 2}
    together = sum(1 for v in multilingual.values()
                   if len({c.most_common(1)[0][0] for c in v.values()}) == 1 and None not in
                   {c.most_common(1)[0][0] for c in v.values()})
    matched = defaultdict(set)
    for post_id, narrative in con.execute("SELECT post_id, narrative FROM claim_matches").fetchall():
        matched[post_id].add(narrative)
    known = [p for p, (nid, _, _) in labels.items() if nid in LIBRARY_OF]
    recall = sum(1 for p in known if LIBRARY_OF[labels[p][0]] in matched.get(p, set())) / max(len(known), 1)
    organic = [p for (p,) in con.execute(
        "SELECT post_id FROM posts p SEMI JOIN account_scores USING (platform, account_id) "
        "WHERE kind NOT IN ('repost', 'forward') AND text IS NOT NULL").fetchall() if p not in labels]
    wrong = [p for p, narratives in matched.items() if p in labels and labels[p][0] in LIBRARY_OF
             and LIBRARY_OF[labels[p][0]] not in narratives]
    print_claim_recall(labels, matched)
    return {
        "planted_posts": len(labels), "purity": purity, "coverage": in_narratives / max(len(labels), 1),
        "found_narratives_with_planted_posts": len(per_narrative),
        "multilingual_claims": len(multilingual), "claims_grouped_across_languages": together,
        "claim_recall": recall, "claim_wrong_narrative": len(wrong),
        "organic_posts": len(organic), "organic_posts_matched": sum(1 for p in organic if p in matched),
    }


def print_claim_recall(labels: dict[str, tuple[str, int, str]], matched: dict[str, set[str]]) -> None:
    """Recall of the starter library per planted claim and language: which claims the library knows."""
    recall: dict[tuple[str, int], dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for post_id, (nid, i, lang) in labels.items():
        if nid in LIBRARY_OF:
            recall[(nid, i)][lang].append(LIBRARY_OF[nid] in matched.get(post_id, set()))
    print("\n| planted claim (en) | recall by language (posts) |\n|---|---|")
    for (nid, i), by_lang in sorted(recall.items()):
        cells = ", ".join(f"{lang} {sum(v) / len(v):.2f} ({len(v)})" for lang, v in sorted(by_lang.items()))
        print(f"| {nid} {i}: {planted.NARRATIVES[nid].claims['en'][i][:60]} | {cells} |")
    print()


def run(case: Path, options: NarrativeOptions) -> NarrativeSummary:
    """Run the narrative stage on ``case`` and print its step timings."""
    with Workspace(case) as ws:
        started = time.perf_counter()
        summary = run_narratives(ws.con, case, options)
        seconds = time.perf_counter() - started
    print(f"- {summary.posts:,} posts, {summary.distinct_texts:,} distinct texts, {summary.embedded_texts:,} embedded;"
          f" {summary.narratives} narratives; {summary.claim_matches:,} claim matches; {seconds:.0f} s end to end"
          f" ({summary.posts / seconds:,.0f} posts/s; embedding {summary.embedded_texts / summary.seconds['embed']:.0f}"
          f" texts/s); steps: {summary.seconds}")
    return summary


def simulator(out: Path, seed: int, accounts: int | None) -> None:
    """Simulate the demo world, analyze it, run the narrative stage and score it against the plants."""
    from unmask.analyze import analyze
    from unmask.simulate import simulate

    data, case = out / "data", out / "case"
    simulate(data, scenario="demo", seed=seed, accounts=accounts)
    analyze([data], case)
    print(f"## Simulator: demo world, seed {seed}\n")
    run(case, NarrativeOptions())
    with Workspace(case, read_only=True) as ws:
        for name, value in simulator_metrics(ws.con).items():
            print(f"- {name}: {value:.3f}" if isinstance(value, float) else f"- {name}: {value:,}")
        print_clusters(ws.con)


def print_clusters(con: duckdb.DuckDBPyConnection) -> None:
    """The narratives each cluster pushes, its languages and copypasta, and its top targets."""
    for row in con.execute("SELECT * FROM cluster_narrative_summary ORDER BY cluster_id").fetchall():
        print(f"- cluster {row[0]}: languages {row[1]}, copypasta {row[2]:.0%}; pushes {row[3]}; claims {row[4]};"
              f" targets {row[5]}")


def state_trolls(out: Path, data_dir: Path) -> None:
    """IO-archive accounts against real accounts: ``fake_test.csv`` vs ``real_test*.csv``, then each of
    ``russian_unseen.csv`` and ``vz_unseen.csv`` split by their ``bot_or_not`` column."""
    fake_vs_real = [data_dir / "fake_test.csv", *sorted(data_dir.glob("real_test*.csv"))]
    compare(out / "fake_vs_real", fake_vs_real, io_handles(data_dir / "fake_test.csv", None),
            "IO accounts (fake_test.csv) against real accounts (real_test*.csv)")
    for name in ("russian_unseen", "vz_unseen"):
        path = data_dir / f"{name}.csv"
        compare(out / name, [path], io_handles(path, "bot_or_not"), f"{name}.csv: bot_or_not = 1 against 0")


def io_handles(path: Path, label_column: str | None) -> set[str]:
    """Screen names of the IO accounts of a state-trolls file: all of them, or those whose label column is 1."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["user_screen_name"] for row in csv.DictReader(handle)
                if row.get("user_screen_name") and (label_column is None or row.get(label_column) == "1")}


def compare(out: Path, files: list[Path], io: set[str], title: str) -> None:
    """Ingest ``files``, make the accounts with handles in ``io`` cluster 1, run the stage, print the contrast."""
    from unmask.ingest import ingest

    case = out / "case"
    ingest(files, case)
    with Workspace(case) as ws:
        ws.con.execute("CREATE OR REPLACE TEMP TABLE io (handle VARCHAR)")
        ws.con.executemany("INSERT INTO io VALUES (?)", [(h,) for h in sorted(io)])
        ws.con.execute("""CREATE OR REPLACE TABLE account_scores AS
            SELECT a.platform, a.account_id, a.handle, CASE WHEN io.handle IS NOT NULL THEN 1 END::BIGINT AS cluster_id,
                   0.0 AS coordination_score, io.handle IS NOT NULL AS flagged, []::VARCHAR[] AS reasons
            FROM accounts a LEFT JOIN io USING (handle)""")
        accounts = ws.con.execute("SELECT count(*) FILTER (WHERE flagged), count(*) FROM account_scores").fetchall()[0]
    print(f"\n## state-trolls: {title}\n\n- {accounts[0]} IO accounts (cluster 1) of {accounts[1]}")
    run(case, NarrativeOptions())
    with Workspace(case, read_only=True) as ws:
        print_clusters(ws.con)
        for order, caption in (("DESC", "pushed most by the IO accounts"), ("ASC", "avoided by the IO accounts")):
            print(f"\n{caption}:\n\n| narrative | IO posts | IO share | real share | lift | log-odds z |"
                  "\n|---|---|---|---|---|---|")
            for r in ws.con.execute(f"""SELECT label, posts, share, background_share, lift, log_odds_z
                                        FROM cluster_narratives ORDER BY log_odds_z {order} LIMIT 6""").fetchall():
                print(f"| {r[0]} | {r[1]} | {r[2]:.1%} | {r[3]:.1%} | {r[4]:.1f} | {r[5]:.1f} |")
        hostile = ws.con.execute("""SELECT cluster_id IS NOT NULL AS io, round(avg(hostile_share), 3), count(*)
                                    FROM targets GROUP BY ALL ORDER BY io DESC""").fetchall()
        langs = ws.con.execute("""SELECT a.flagged, l.lang, count(*) FROM post_language l
                                  JOIN posts p USING (platform, post_id) JOIN account_scores a USING (platform, account_id)
                                  GROUP BY ALL ORDER BY a.flagged DESC, count(*) DESC""").fetchall()
        print(f"\n- targets (io?, mean hostile share, rows): {hostile}")
        print(f"- languages (io?, lang, posts): {[r for r in langs if r[2] >= 20]}")


def throughput(out: Path, accounts: int, seed: int) -> None:
    """A large simulated world with the ground truth as clusters: end-to-end posts/s of the narrative stage."""
    from unmask.ingest import ingest
    from unmask.simulate import simulate

    data, case = out / "data", out / "case"
    summary = simulate(data, scenario="demo", accounts=accounts, seed=seed)
    ingest([data], case)
    truth = list(csv.DictReader((data / "ground_truth.csv").open(encoding="utf-8")))
    with Workspace(case) as ws:
        ws.con.execute("CREATE OR REPLACE TEMP TABLE truth (platform VARCHAR, account_id VARCHAR, campaign VARCHAR)")
        ws.con.executemany("INSERT INTO truth VALUES (?, ?, ?)",
                           [(r["platform"], r["account_id"], r["campaign_id"]) for r in truth if r["campaign_id"]])
        ws.con.execute("""CREATE OR REPLACE TABLE account_scores AS
            SELECT a.platform, a.account_id, a.handle, dense_rank() OVER (ORDER BY t.campaign)::BIGINT AS cluster_id,
                   0.0 AS coordination_score, t.campaign IS NOT NULL AS flagged, []::VARCHAR[] AS reasons
            FROM accounts a LEFT JOIN truth t USING (platform, account_id)""")
        ws.con.execute("UPDATE account_scores SET cluster_id = NULL WHERE NOT flagged")
    print(f"## Throughput: demo world scaled to {accounts:,} accounts ({summary.posts:,} posts)\n")
    run(case, NarrativeOptions())


def main() -> None:
    """Command line: one of ``simulator``, ``state-trolls``, ``throughput``."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("simulator", "state-trolls", "throughput"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--accounts", type=int, default=None)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = parser.parse_args()
    if args.what == "simulator":
        simulator(args.out, args.seed, args.accounts)
    elif args.what == "state-trolls":
        state_trolls(args.out, args.data / "state-trolls")
    else:
        throughput(args.out, args.accounts or 22_000, args.seed)


if __name__ == "__main__":
    main()
