"""How well `unmask analyze` separates information-operation accounts from real ones in the state-trolls sets.

    python eval/state_trolls.py [--data ../shared/data/state-trolls] [--work DIR]

``russian_unseen.csv`` and ``vz_unseen.csv`` each hold tweets of IO accounts from Twitter's archive next to
tweets of real verified accounts, labelled per tweet (``bot_or_not`` = 1 for IO).  Each file is analysed as its own
case (it reads as an IO-archive tweets CSV); an account is positive when any of its tweets is labelled IO (rows
whose quoting is broken, which the ingest quarantines, carry no label).
Prints one markdown row per file: ROC-AUC of ``coordination_score``, precision and recall of ``flagged``.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa

from metrics import Quality, quality
from unmask.analyze import analyze

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "state-trolls"
FILES = ("russian_unseen.csv", "vz_unseen.csv")


def evaluate(path: Path, case: Path) -> tuple[Quality, int]:
    """Analyze one labelled file; returns the quality and the number of tweets stored."""
    analyze([path], case)
    io: dict[str, int] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row.get("bot_or_not") or "").strip() in ("0", "1") and row.get("user_screen_name"):
                io[row["user_screen_name"]] = max(io.get(row["user_screen_name"], 0), int(row["bot_or_not"]))
    with duckdb.connect(str(case / "workspace.duckdb"), read_only=True) as con:
        con.register("labels", pa.table({"handle": list(io), "io": list(io.values())}))
        rows = con.execute(
            """
            SELECT s.coordination_score, s.flagged, coalesce(l.io, 0) = 1
            FROM account_scores s LEFT JOIN labels l ON l.handle = s.handle
            ORDER BY s.platform, s.account_id
            """
        ).fetchnumpy()
        posts = con.execute("SELECT count(*) FROM posts").fetchone()[0]
    columns = list(rows.values())
    return quality(columns[0], columns[1], columns[2]), posts


def main() -> None:
    """Evaluate both labelled files and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "unmask-eval-state-trolls")
    args = parser.parse_args()
    print("| file | tweets stored | accounts | IO accounts | flagged | ROC-AUC | precision | recall |")
    print("|---|---|---|---|---|---|---|---|")
    for name in FILES:
        q, posts = evaluate(args.data / name, args.work / Path(name).stem)
        print(f"| {name} | {posts:,} | {q.accounts:,} | {q.positives:,} | {q.flagged:,} | {q.auc:.3f} | "
              f"{q.precision:.3f} | {q.recall:.3f} |")


if __name__ == "__main__":
    main()
