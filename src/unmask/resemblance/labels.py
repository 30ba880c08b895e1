"""Labels to split a takedown release by (``--group-by``): a column of the accounts table, or of the input files.

Research labels such as the IRA release's ``account_category`` are not canonical fields, so the readers leave
them out of the workspace.  They are read from the input files themselves: every CSV or Parquet file whose
header has the column is read for the pairs (account key, label), where the account key is the first of
:data:`KEY_COLUMNS` that identifies the most workspace accounts.  A key matches an account by its id, its id in
lower case (the IRA reader keys accounts by the lower-case handle) or its handle.  An account with several
labels gets its most frequent one (ties: the first in sort order).  Rows a CSV parser cannot read are skipped
(the ingest quarantined them already).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import duckdb

from .. import schema
from ..ingest.sample import take_sample
from ..ingest.sources import Source, expand_inputs
from .features import AccountKey

KEY_COLUMNS = ("userid", "user_id", "account_id", "author_id", "author", "external_author_id", "user_screen_name",
               "screen_name", "username", "handle")
TABLE_SUFFIXES = {".csv": "read_csv", ".tsv": "read_csv", ".txt": "read_csv", ".parquet": "read_parquet",
                  ".pq": "read_parquet"}


def account_labels(con: duckdb.DuckDBPyConnection, paths: Sequence[Path], column: str) -> dict[AccountKey, str]:
    """(platform, account_id) -> label of ``column`` for every labelled account of the workspace.

    Raises ``ValueError`` when neither the accounts table nor any input file has the column, or when no
    labelled row names a workspace account.
    """
    column = column.strip().lower()
    if column in schema.columns("accounts") and column not in ("platform", "account_id"):
        rows = con.execute(f'SELECT platform, account_id, CAST("{column}" AS VARCHAR) FROM accounts '
                           f'WHERE "{column}" IS NOT NULL ORDER BY ALL').fetchall()
        return {(platform, account_id): label for platform, account_id, label in rows}
    pairs = _file_pairs(expand_inputs([Path(p) for p in paths]), column)
    if not pairs:
        raise ValueError(f"no input file has a column {column!r} next to an account column "
                         f"({', '.join(KEY_COLUMNS)}), and the accounts table has none")
    accounts = con.execute("SELECT platform, account_id, handle FROM accounts ORDER BY ALL").fetchall()
    best: dict[AccountKey, str] = {}
    for key_column in KEY_COLUMNS:
        if key_column in pairs:
            labels = _match(pairs[key_column], accounts)
            if len(labels) > len(best):
                best = labels
    if not best:
        raise ValueError(f"the {column!r} labels name no account of the workspace")
    return best


def _file_pairs(sources: list[Source], column: str) -> dict[str, dict[str, Counter[str]]]:
    """key column -> key -> label counts, from every CSV or Parquet source that has ``column``."""
    out: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for source in sources:
        reader = TABLE_SUFFIXES.get(source.suffix)
        sample = take_sample(source)
        keys = [k for k in KEY_COLUMNS if k in sample.columns and k != column]
        if reader is None or column not in sample.columns or not keys:
            continue
        options = ", all_varchar = true, header = true, ignore_errors = true" if reader == "read_csv" else ""
        selected = ", ".join(f'CAST("{k}" AS VARCHAR)' for k in keys)
        try:
            with source.plain_path(("gzip",)) as path:
                rows = duckdb.execute(
                    f'SELECT {selected}, CAST("{column}" AS VARCHAR) AS label, count(*) '
                    f"FROM {reader}(?{options}) WHERE \"{column}\" IS NOT NULL GROUP BY ALL", [str(path)]
                ).fetchall()
        except duckdb.Error as exc:
            raise ValueError(f"{source.name}: cannot read its {column!r} labels ({exc})") from exc
        for row in rows:
            label, n = row[-2], row[-1]
            for key_column, key in zip(keys, row[:-2]):
                if key:
                    out[key_column][key][label] += n
    return out


def _match(labels: dict[str, Counter[str]], accounts: list[tuple[str, str, str | None]]) -> dict[AccountKey, str]:
    lowered: dict[str, Counter[str]] = defaultdict(Counter)
    for key, counts in labels.items():
        lowered[key.lower()].update(counts)
    out = {}
    for platform, account_id, handle in accounts:
        counts = labels.get(account_id) or lowered.get(account_id.lower()) or lowered.get((handle or "").lower())
        if counts:
            out[(platform, account_id)] = min(counts, key=lambda label: (-counts[label], label))
    return out
