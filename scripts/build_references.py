"""Build the reference fingerprints shipped in ``src/unmask/resemblance/references/`` from the public data sets.

    .venv/bin/python scripts/build_references.py [--data ../shared/data] [--out src/unmask/resemblance/references]

* the Internet Research Agency tweets (FiveThirtyEight / Clemson release, Parquet copy), one reference per
  Linvill & Warren ``account_category`` (read from the Parquet by author, as ``--group-by account_category``
  does): tweets only, so no creation dates and no client apps;
* Twitter's Information Operations release China Aug-2019, users file set 1: account features only (creation,
  handles, account language, followers), no posts.

The same as ``unmask fingerprint FILE --name NAME [--group-by account_category] --out DIR``.  The IRA file takes a
few minutes to ingest; the same data and unmask version give byte-identical files.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from unmask.resemblance import build_fingerprints, save_references

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("UNMASK_SHARED_DATA", REPO.parent / "shared" / "data"))
OUT = REPO / "src" / "unmask" / "resemblance" / "references"

IRA = "Internet Research Agency accounts of one account_category (the label in the name) of Linvill & Warren's " \
      "coding; FiveThirtyEight / Clemson russian-troll-tweets release, 2,839 accounts, 2012-2018. Tweets only: " \
      "the release has no account creation dates or client apps."
CHINA = "Twitter Information Operations release of August 2019 (accounts Twitter removed as a state-backed " \
        "information operation), users file set 1, 744 accounts: account features only, no posts."


def main() -> None:
    """Build every shipped reference and write the library."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    started = time.perf_counter()
    references = build_fingerprints([args.data / "ira" / "ira_tweets.parquet"], "IRA", group_by="account_category",
                                    description=IRA)
    references += build_fingerprints(
        [args.data / "twitter-io-china-2019" / "china_082019_1_users_csv_hashed.csv"],
        "Twitter IO China 2019-08 (users)", description=CHINA,
    )
    for path in save_references(references, args.out):
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    print(f"{len(references)} references in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
