"""The fingerprint features of sets of accounts, from the per-account values of :mod:`.accounts`.

``set_features(con, groups)`` computes every family of :mod:`.families` for each named set of accounts at once
(one query per kind of value, grouped by set), so a cluster and a hundred random sets of its size cost about as
much as the cluster alone.  A family, or a feature inside it, is left out when fewer than :data:`MIN_ACCOUNTS`
accounts of the set carry the data it needs (a users-only file has no schedule; IRA tweets have no creation
dates); the schedule also needs :data:`~unmask.personas.schedule.MIN_POSTS` posts.

The values hold no post text, account ids or handles: shares of categories (languages, client categories,
handle styles, months, claim ids of the claim library), quantiles and averages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from ..personas.handles import handle_signals
from ..personas.schedule import MIN_POSTS, ScheduleFit, fit_schedules
from .families import INNER_QUANTILES, QUANTILES

MIN_ACCOUNTS = 3
"""Accounts of a set that must carry a feature's data for the feature to be computed."""
MIN_SHARE = 0.001
"""Categories below this share are left out of a stored distribution."""

AccountKey = tuple[str, str]
DISTRIBUTIONS: dict[str, tuple[str, str]] = {
    "year_month": ("creation", "year_month"),
    "clients": ("clients", "categories"),
    "account_languages": ("language", "account_languages"),
    "post_languages": ("language", "post_languages"),
    "post_kinds": ("tactics", "kinds"),
    "narratives": ("narratives", "narratives"),
    "claims": ("narratives", "claims"),
    "avatar_kinds": ("avatars", "kinds"),
}
"""``rs_shares.feature`` -> (family, feature) of the distributions stored as they are."""


@dataclass
class SetFeatures:
    """What a set of accounts looks like: its size, its period (months of its posts, else of its accounts'
    creation) and its families of features."""

    accounts: int
    posts: int
    period: tuple[str, str] | None
    families: dict[str, dict[str, Any]] = field(default_factory=dict)


def set_features(con: duckdb.DuckDBPyConnection, groups: Mapping[str, Sequence[AccountKey]]) -> dict[str, SetFeatures]:
    """The features of each named set of ``(platform, account_id)`` keys; needs
    :func:`~.accounts.prepare_accounts` to have run on ``con``.  Sets without any known account are left out."""
    names = _register_members(con, groups)
    try:
        scalars = _scalars(con)
        shares = _shares(con)
        busiest = _busiest(con)
        handles = _handles(con)
    finally:
        con.execute("DROP TABLE IF EXISTS rs_members")
    schedules = _schedules(scalars, shares)
    out = {}
    for group, row in scalars.items():
        families: dict[str, dict[str, Any]] = defaultdict(dict)
        _creation(families, row, busiest.get(group))
        _handle_family(families, handles.get(group))
        _schedule(families, schedules.get(group))
        _distributions(families, shares.get(group, {}))
        _audience(families, row)
        _tactics(families, row)
        _narratives(families, row)
        period = _period(row)
        out[names[group]] = SetFeatures(int(row["accounts"]), int(row["posts"] or 0), period,
                                        {name: dict(values) for name, values in families.items() if values})
    return out


def _register_members(con: duckdb.DuckDBPyConnection, groups: Mapping[str, Sequence[AccountKey]]) -> list[str]:
    """``rs_members(group_row, account_row)``: the known accounts of each set, the sets numbered in name order;
    returns the names by number."""
    names = sorted(groups)
    rows = [(row, platform, account_id) for row, name in enumerate(names) for platform, account_id in groups[name]]
    members = pa.table({"group_row": pa.array([r[0] for r in rows], pa.int32()),
                        "platform": pa.array([r[1] for r in rows], pa.string()),
                        "account_id": pa.array([r[2] for r in rows], pa.string())})
    con.register("_rs_members_arrow", members)
    try:
        con.execute("""CREATE OR REPLACE TEMP TABLE rs_members AS SELECT DISTINCT m.group_row, a.account_row
                       FROM _rs_members_arrow m JOIN rs_account a USING (platform, account_id)""")
    finally:
        con.unregister("_rs_members_arrow")
    return names


def _scalars(con: duckdb.DuckDBPyConnection) -> dict[int, dict[str, Any]]:
    """Per set: counts, period, quantiles and averages over its accounts."""
    aged = "a.created_at IS NOT NULL AND a.first_post IS NOT NULL"
    audience = "a.followers IS NOT NULL AND a.following IS NOT NULL"
    cursor = con.execute(f"""
        SELECT m.group_row, count(*) AS accounts, sum(a.posts) AS posts,
               strftime(min(a.first_post), '%Y-%m') AS first_post, strftime(max(a.last_post), '%Y-%m') AS last_post,
               strftime(min(a.created_at), '%Y-%m') AS first_created,
               strftime(max(a.created_at), '%Y-%m') AS last_created, count(a.created_at) AS created,
               quantile_cont(epoch(a.created_at) / 86400, [0.1, 0.9]) AS created_p10_p90,
               count(*) FILTER (WHERE {aged}) AS aged,
               quantile_cont(greatest(epoch(a.first_post) - epoch(a.created_at), 0) / 86400, {list(QUANTILES)})
                   FILTER (WHERE {aged}) AS age_quantiles,
               count(a.followers) AS with_followers,
               quantile_cont(a.followers, {list(QUANTILES)}) AS follower_quantiles,
               avg(CASE WHEN a.followers = 0 THEN 1.0 ELSE 0.0 END) FILTER (WHERE a.followers IS NOT NULL)
                   AS zero_followers,
               count(*) FILTER (WHERE {audience}) AS with_following,
               quantile_cont((a.following + 1.0) / (a.followers + 1.0), {list(INNER_QUANTILES)})
                   FILTER (WHERE {audience}) AS ratio_quantiles,
               count(*) FILTER (WHERE a.posts > 0) AS posting,
               quantile_cont(a.posts, {list(INNER_QUANTILES)}) FILTER (WHERE a.posts > 0) AS post_quantiles,
               avg(a.links) AS links, avg(a.hashtags) AS hashtags,
               count(a.copypasta) AS with_text, avg(a.copypasta) AS copypasta,
               count(a.claim_share) AS with_claims, avg(a.claim_share) AS claim_share
        FROM rs_members m JOIN rs_account a USING (account_row)
        GROUP BY m.group_row ORDER BY m.group_row""")
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}


def _shares(con: duckdb.DuckDBPyConnection) -> dict[int, dict[str, tuple[int, dict[str, float]]]]:
    """Per set and ``rs_shares`` feature: (accounts carrying it, average share of each category over them).

    Each account's shares of one feature add up to 1, so their sum over a set's categories is the number of
    accounts carrying the feature.
    """
    cells = {cell: (feature, category) for cell, feature, category in con.execute("SELECT * FROM rs_cells").fetchall()}
    rows = con.execute("""
        WITH per AS (SELECT m.group_row, s.cell, sum(s.share) AS total
                     FROM rs_members m JOIN rs_shares s USING (account_row) GROUP BY ALL)
        SELECT p.group_row, p.cell, p.total, sum(p.total) OVER (PARTITION BY p.group_row, c.feature) AS accounts
        FROM per p JOIN rs_cells c USING (cell) ORDER BY p.group_row, p.cell""").fetchall()
    out: dict[int, dict[str, tuple[int, dict[str, float]]]] = defaultdict(dict)
    for group, cell, total, accounts in rows:
        name, category = cells[cell]
        out[group].setdefault(name, (round(accounts), {}))[1][category] = float(total / accounts)
    return out


def _busiest(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[float, float]]:
    """Per set: the share of its dated accounts created within its busiest 30 and 7 days."""
    rows = con.execute("""
        WITH c AS (SELECT m.group_row, CAST(epoch(a.created_at) // 86400 AS BIGINT) AS day
                   FROM rs_members m JOIN rs_account a USING (account_row) WHERE a.created_at IS NOT NULL),
             w AS (SELECT group_row,
                          count(*) OVER (PARTITION BY group_row ORDER BY day RANGE BETWEEN CURRENT ROW AND 29 FOLLOWING)
                              AS in_30,
                          count(*) OVER (PARTITION BY group_row ORDER BY day RANGE BETWEEN CURRENT ROW AND 6 FOLLOWING)
                              AS in_7,
                          count(*) OVER (PARTITION BY group_row) AS n
                   FROM c)
        SELECT group_row, max(in_30) / any_value(n), max(in_7) / any_value(n) FROM w GROUP BY group_row""").fetchall()
    return {group: (float(b30), float(b7)) for group, b30, b7 in rows}


def _handles(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[dict[str, int], int, int]]:
    """Per set: how many accounts have each handle style, how many could be judged for a display name unrelated
    to the handle, and how many of those have one."""
    accounts = con.execute("""
        SELECT DISTINCT a.account_row, a.handle, a.display_name
        FROM rs_members m JOIN rs_account a USING (account_row) WHERE nullif(a.handle, '') IS NOT NULL
        ORDER BY a.account_row""").fetchall()
    styles = [(row, *handle_style(handle, name)) for row, handle, name in accounts]
    con.register("_rs_styles_arrow", pa.table({
        "account_row": pa.array([s[0] for s in styles], pa.int32()), "style": pa.array([s[1] for s in styles]),
        "unrelated": pa.array([s[2] for s in styles], pa.bool_())}))
    try:
        rows = con.execute("""
            SELECT m.group_row, s.style, count(*), count(s.unrelated), count(*) FILTER (WHERE s.unrelated)
            FROM rs_members m JOIN _rs_styles_arrow s USING (account_row) GROUP BY ALL ORDER BY ALL""").fetchall()
    finally:
        con.unregister("_rs_styles_arrow")
    out: dict[int, tuple[dict[str, int], int, int]] = {}
    for group, style, accounts_with_style, judged, unrelated in rows:
        counts, judged_before, unrelated_before = out.get(group, ({}, 0, 0))
        counts[style] = accounts_with_style
        out[group] = (counts, judged_before + judged, unrelated_before + unrelated)
    return out


def handle_style(handle: str, display_name: str | None) -> tuple[str, bool | None]:
    """One account's handle style (the first that applies: anonymised, formulaic, random, default, other) and
    whether its display name is unrelated to its handle (None: cannot tell), from the persona handle signals."""
    signals = handle_signals(handle, display_name)
    if signals.anonymised:
        style = "anonymised"
    elif signals.name_formulaic:
        style = "formulaic"
    elif signals.handle_random:
        style = "random"
    elif signals.handle_default:
        style = "default"
    else:
        style = "other"
    return style, signals.name_mismatch


def _creation(families: dict[str, dict[str, Any]], row: dict[str, Any], busiest: tuple[float, float] | None) -> None:
    if row["created"] < MIN_ACCOUNTS or busiest is None:
        return
    p10, p90 = row["created_p10_p90"]
    families["creation"].update(
        busiest_30_days=_round(busiest[0]), busiest_7_days=_round(busiest[1]), spread_days=_round(p90 - p10, 1),
    )
    if row["aged"] >= MIN_ACCOUNTS:
        families["creation"]["age_at_first_post_days"] = [_round(v, 1) for v in row["age_quantiles"]]


def _handle_family(families: dict[str, dict[str, Any]], handles: tuple[dict[str, int], int, int] | None) -> None:
    if handles is None or sum(handles[0].values()) < MIN_ACCOUNTS:
        return
    counts, judged, unrelated = handles
    total = sum(counts.values())
    families["handles"]["styles"] = _distribution({style: n / total for style, n in counts.items()})
    if judged >= MIN_ACCOUNTS:
        families["handles"]["name_unrelated"] = _round(unrelated / judged)


def _schedules(scalars: dict[int, dict[str, Any]],
               shares: dict[int, dict[str, tuple[int, dict[str, float]]]]) -> dict[int, tuple[np.ndarray, ScheduleFit]]:
    """Per set with a schedule: its average hour-of-week profile and the office-hours fit of that profile scaled
    to its posts (all sets fitted at once)."""
    groups = [group for group, row in scalars.items()
              if shares.get(group, {}).get("hour_of_week", (0, {}))[0] >= MIN_ACCOUNTS
              and (row["posts"] or 0) >= MIN_POSTS]
    profiles = np.zeros((len(groups), 168))
    for i, group in enumerate(groups):
        for how, share in shares[group]["hour_of_week"][1].items():
            profiles[i, int(how)] = share
    posts = np.array([scalars[group]["posts"] for group in groups], dtype=np.float64)
    fits = fit_schedules(profiles * posts[:, np.newaxis])
    return {group: (profiles[i], fit) for i, (group, fit) in enumerate(zip(groups, fits))}


def _schedule(families: dict[str, dict[str, Any]], schedule: tuple[np.ndarray, ScheduleFit] | None) -> None:
    if schedule is None:
        return
    profile, fit = schedule
    families["schedule"].update(
        hour_of_week=[round(float(v), 5) for v in profile], utc_offset=fit.utc_offset,
        office_share=fit.office_share, quiet_share=fit.quiet_share,
    )
    if fit.weekend_ratio is not None:
        families["schedule"]["weekend_ratio"] = fit.weekend_ratio


def _distributions(families: dict[str, dict[str, Any]], shares: dict[str, tuple[int, dict[str, float]]]) -> None:
    for name, (family, feature) in DISTRIBUTIONS.items():
        accounts, values = shares.get(name, (0, {}))
        if accounts >= MIN_ACCOUNTS:
            families[family][feature] = _distribution(values)


def _audience(families: dict[str, dict[str, Any]], row: dict[str, Any]) -> None:
    if row["with_followers"] < MIN_ACCOUNTS:
        return
    families["audience"].update(followers=[_round(v, 1) for v in row["follower_quantiles"]],
                                zero_followers=_round(row["zero_followers"]))
    if row["with_following"] >= MIN_ACCOUNTS:
        families["audience"]["following_ratio"] = [_round(v, 3) for v in row["ratio_quantiles"]]


def _tactics(families: dict[str, dict[str, Any]], row: dict[str, Any]) -> None:
    if row["posting"] < MIN_ACCOUNTS:
        return
    families["tactics"].update(links=_round(row["links"]), hashtags_per_post=_round(row["hashtags"], 3),
                               posts_per_account=[_round(v, 1) for v in row["post_quantiles"]])
    if row["with_text"] >= MIN_ACCOUNTS:
        families["tactics"]["copypasta"] = _round(row["copypasta"])


def _narratives(families: dict[str, dict[str, Any]], row: dict[str, Any]) -> None:
    if row["with_claims"] >= MIN_ACCOUNTS:
        families["narratives"]["claim_share"] = _round(row["claim_share"])


def _period(row: dict[str, Any]) -> tuple[str, str] | None:
    """First and last month of the set's posts, else of its accounts' creation."""
    if row["first_post"]:
        return row["first_post"], row["last_post"]
    return (row["first_created"], row["last_created"]) if row["first_created"] else None


def _distribution(values: dict[str, float]) -> dict[str, float]:
    """Shares rounded to 4 decimals, tiny ones left out, largest first (ties by name)."""
    kept = {k: round(v, 4) for k, v in values.items() if v >= MIN_SHARE}
    return dict(sorted(kept.items(), key=lambda kv: (-kv[1], kv[0])))


def _round(value: float, digits: int = 4) -> float:
    return round(float(value), digits)
