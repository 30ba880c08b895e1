"""Evaluate the persona signals and write the numbers to stdout (recorded in eval/results/personas.md).

1. Twitter's IO archive, China Aug-2019 users file (744 state-linked accounts): creation bursts and signal counts.
2. The simulator's demo world (``unmask.simulate``), with avatars drawn from ../shared/data/faces: AUC of
   ``persona_score`` for campaign accounts against organic ones, per signal hit rates, with and without the
   coordination stage (``account_scores``, for cluster creation bursts) and the faces stage.

    .venv/bin/python eval/eval_personas.py [--accounts 2000] [--seed 0]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from unmask.ingest import ingest
from unmask.personas import SIGNALS, analyze_faces, persona_signals
from unmask.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("UNMASK_SHARED_DATA", REPO.parent / "shared" / "data"))
CHINA = DATA / "twitter-io-china-2019" / "china_082019_1_users_csv_hashed.csv"


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted half)."""
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i: j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = labels.sum()
    negatives = len(labels) - positives
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def china(workdir: Path) -> None:
    """Creation bursts and signal counts on the China IO users file."""
    case = workdir / "china"
    ingest([CHINA], case)
    with Workspace(case) as ws:
        table = persona_signals(ws.con).to_pylist()
        bursts = ws.con.execute(
            "SELECT unit, period_start, accounts, round(baseline, 2), log10_p FROM creation_bursts "
            "ORDER BY unit = 'month' DESC, unit = 'week' DESC, accounts DESC"
        ).fetchall()
    print(f"## China Aug-2019 users file: {len(table)} accounts")
    print("top bursts (unit, start, accounts, baseline, log10 p):")
    for unit in ("month", "week", "day"):
        for row in [b for b in bursts if b[0] == unit][:4]:
            print("  ", *row)
    in_burst = sum(bool(r["created_in_burst"]) for r in table)
    print(f"accounts created in a day or week burst: {in_burst} of {len(table)}")
    _signal_counts(table)


def simulated(workdir: Path, accounts: int, seed: int) -> None:
    """Persona-score AUC on a simulated world against its ground truth."""
    from unmask.analyze import analyze
    from unmask.simulate import simulate

    out = workdir / "sim"
    started = time.perf_counter()
    summary = simulate(out, "demo", accounts=accounts, seed=seed,
                       avatars=(DATA / "faces" / "fake", DATA / "faces" / "real"))
    truth = {(r["platform"], r["account_id"]): r for r in csv.DictReader(open(summary.ground_truth, encoding="utf-8"))}
    inputs = [*summary.files] + ([summary.avatars] if summary.avatars else [])
    case = workdir / "case"
    analyze(inputs, case)
    print(f"## simulator demo, {accounts} accounts, seed {seed}: {summary.campaign_accounts} campaign accounts, "
          f"{summary.posts:,} posts (simulate + ingest + analyze {time.perf_counter() - started:.0f} s)")
    with Workspace(case) as ws:
        started = time.perf_counter()
        faces = analyze_faces(ws.con, "dlib")
        face_seconds = time.perf_counter() - started
        started = time.perf_counter()
        table = persona_signals(ws.con).to_pylist()
        print(f"faces: {faces.num_rows} avatars in {face_seconds:.0f} s; persona_signals: "
              f"{time.perf_counter() - started:.1f} s")
        clusters = ws.con.execute(
            "SELECT cluster_id, images, faces, template_share, blend_sharpness FROM face_clusters "
            "ORDER BY images DESC LIMIT 6").fetchall()
    labels = np.array([bool(truth.get((r["platform"], r["account_id"]), {}).get("campaign_id")) for r in table])
    scores = np.array([r["persona_score"] for r in table])
    flagged = np.array([bool(r["persona_flagged"]) for r in table])
    print(f"persona_score AUC (campaign vs organic): {auc(scores, labels):.3f}")
    print(f"flagged: {flagged.sum()} accounts, precision {labels[flagged].mean():.3f}, "
          f"recall {flagged[labels].mean():.3f}")
    without_avatar = np.array([_score_without(r, {"avatar"}) for r in table])
    print(f"AUC without the avatar family: {auc(without_avatar, labels):.3f}")
    kinds = {}
    for r, label in zip(table, labels):
        kind = truth.get((r["platform"], r["account_id"]), {}).get("avatar_kind", "?")
        kinds.setdefault((kind, label), []).append(bool(r["avatar_template"]))
    print("avatar at the template, by avatar kind and campaign membership:")
    for (kind, label), hits in sorted(kinds.items()):
        print(f"   {kind:8s} campaign={label!s:5s} {sum(hits)}/{len(hits)}")
    print("face groups (cluster, images, faces, template share, blend sharpness):")
    for row in clusters:
        print("  ", *row)
    _signal_counts(table, labels)


def _score_without(record: dict, families: set[str]) -> float:
    remaining = 1.0
    weights: dict[str, float] = {}
    for signal in SIGNALS:
        if signal.family not in families and record.get(signal.name):
            weights[signal.family] = max(weights.get(signal.family, 0.0), signal.weight)
    for weight in weights.values():
        remaining *= 1 - weight
    return 1 - remaining


def _signal_counts(table: list[dict], labels: np.ndarray | None = None) -> None:
    print("signal: accounts firing" + ("" if labels is None else " (campaign / organic)"))
    for signal in SIGNALS:
        fired = np.array([bool(r[signal.name]) for r in table])
        if labels is None:
            print(f"   {signal.name:24s} {fired.sum()}")
        else:
            print(f"   {signal.name:24s} {fired[labels].sum():5d} / {fired[~labels].sum():5d}")


def main() -> int:
    """Run both evaluations."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not CHINA.is_file():
        print(f"data not found at {DATA}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        china(Path(tmp))
        simulated(Path(tmp), args.accounts, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
