"""Quality of `unmask analyze` on simulated worlds with exact ground truth.

    python eval/simulated.py demo stealthy organic-only [--seed 0] [--work DIR] [--without TRACE ...]

For each scenario: simulate it (seeded), analyze it with the defaults (``--without`` leaves traces out, for
ablations: the case folder is then named after them, and the simulated world is shared), and compare every account's
``coordination_score`` and ``flagged`` with ``ground_truth.csv`` (an account is positive when it has a
``campaign_id``).  Prints one markdown table row per scenario, then per-campaign recall, then the ROC-AUC that
simpler rankings would reach on the same trace tables: the raw count of shared objects (what CooRTweet and the QUT
toolkit threshold) and the TF-IDF cosine alone (Pacheco et al.), against the significance-based score.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np

from metrics import Quality, quality, roc_auc
from unmask.analyze import analyze
from unmask.simulate import simulate
from unmask.traces import TRACES

ALTERNATIVES = {
    "raw shared objects (max over partners)": "max(shared_objects)",
    "TF-IDF cosine (max over partners)": "max(weight)",
}


def evaluate(
    scenario: str, seed: int, work: Path, without: tuple[str, ...] = ()
) -> tuple[Quality, dict[str, float], list[tuple], float]:
    """Simulate, analyze (every trace but ``without``) and score one scenario; returns quality, alternative AUCs,
    per-campaign rows, seconds."""
    data, case = work / scenario, work / "-".join((f"{scenario}-case", *(f"without-{name}" for name in without)))
    if not (data / "ground_truth.csv").exists():
        simulate(data, scenario, seed=seed)
    traces = [name for name in TRACES if name not in without] if without else None
    started = time.perf_counter()
    analyze(sorted(p for p in data.glob("*_csv_hashed.csv")), case, traces=traces)
    seconds = time.perf_counter() - started
    with duckdb.connect(str(case / "workspace.duckdb"), read_only=True) as con:
        con.execute(f"CREATE TEMP TABLE truth AS SELECT * FROM read_csv('{data / 'ground_truth.csv'}', all_varchar=true)")
        rows = con.execute(
            """
            SELECT s.coordination_score, s.flagged, coalesce(t.campaign_id, '') <> '' AS positive
            FROM account_scores s LEFT JOIN truth t USING (platform, account_id)
            ORDER BY s.platform, s.account_id
            """
        ).fetchnumpy()
        result = quality(rows["coordination_score"], rows["flagged"], rows["positive"])
        alternatives = {name: _alternative_auc(con, expression) for name, expression in ALTERNATIVES.items()}
        campaigns = con.execute(
            """
            SELECT t.campaign_id, t.role, count(*), count(*) FILTER (WHERE s.flagged)
            FROM account_scores s JOIN truth t USING (platform, account_id)
            WHERE coalesce(t.campaign_id, '') <> '' GROUP BY ALL ORDER BY ALL
            """
        ).fetchall()
    return result, alternatives, campaigns, seconds


def _alternative_auc(con: duckdb.DuckDBPyConnection, expression: str) -> float:
    """ROC-AUC of ranking accounts by ``expression`` over their tested pairs (0 for accounts without one)."""
    rows = con.execute(
        f"""
        WITH ends AS (
            SELECT platform, account_a AS account_id, shared_objects, weight FROM pair_significance
            UNION ALL
            SELECT platform, account_b AS account_id, shared_objects, weight FROM pair_significance
        ), ranked AS (SELECT platform, account_id, {expression} AS value FROM ends GROUP BY ALL)
        SELECT coalesce(r.value, 0), coalesce(t.campaign_id, '') <> ''
        FROM account_scores s
        LEFT JOIN ranked r USING (platform, account_id)
        LEFT JOIN truth t USING (platform, account_id)
        ORDER BY s.platform, s.account_id
        """
    ).fetchall()
    values = np.array([float(r[0]) for r in rows])
    labels = np.array([bool(r[1]) for r in rows])
    return roc_auc(values, labels)


def main() -> None:
    """Run the scenarios given on the command line and print markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "unmask-eval-simulated")
    parser.add_argument("--without", action="append", default=[], choices=sorted(TRACES), metavar="TRACE",
                        help="leave this trace out (repeatable)")
    args = parser.parse_args()
    print("| scenario | accounts | positives | flagged | ROC-AUC | precision | recall | F1 | flagged / 10k | analyze s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    details = []
    for scenario in args.scenarios:
        q, alternatives, campaigns, seconds = evaluate(scenario, args.seed, args.work, tuple(args.without))
        print(f"| {scenario} | {q.accounts:,} | {q.positives:,} | {q.flagged:,} | {q.auc:.3f} | {q.precision:.3f} | "
              f"{q.recall:.3f} | {q.f1:.3f} | {q.flagged_per_10k:.1f} | {seconds:.0f} |", flush=True)
        details.append((scenario, q, alternatives, campaigns))
    for scenario, q, alternatives, campaigns in details:
        print(f"\n{scenario}: recall by campaign and role")
        for campaign, role, members, flagged in campaigns:
            print(f"- {campaign} {role}: {flagged}/{members}")
        print(f"{scenario}: ROC-AUC by ranking")
        print(f"- coordination_score (significance + partner test): {q.auc:.3f}")
        for name, auc in alternatives.items():
            print(f"- {name}: {auc:.3f}")


if __name__ == "__main__":
    main()
