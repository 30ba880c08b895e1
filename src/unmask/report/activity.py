"""When a cluster posted and when its accounts were made: timeline, hour-of-week, creation dates.

Counts are read once per chart type for all detailed clusters, at a fine grain (days, quarter hours), then
binned here: the timeline and creation histogram pick days, weeks or months from their span, and the
hour-of-week grid is shifted to the cluster's inferred time zone in quarter hours, exact for every real zone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import duckdb

from .model import Activity
from .tables import has_columns

OFFSET_COLUMN = "best_utc_offset_minutes"
DAY_SPAN = 120
WEEK_SPAN = 3 * 365
QUARTERS = 7 * 24 * 4

DAILY_SQL = """
SELECT s.cluster_id, CAST(p.created_at AS DATE), coalesce(p.kind, 'post'), count(*)
FROM posts p JOIN account_scores s ON s.platform = p.platform AND s.account_id = p.account_id
WHERE s.cluster_id IN (SELECT unnest($clusters)) AND p.created_at IS NOT NULL
GROUP BY ALL ORDER BY ALL
"""
QUARTER_SQL = """
SELECT s.cluster_id, (isodow(p.created_at) - 1) * 96 + hour(p.created_at) * 4 + minute(p.created_at) // 15, count(*)
FROM posts p JOIN account_scores s ON s.platform = p.platform AND s.account_id = p.account_id
WHERE s.cluster_id IN (SELECT unnest($clusters)) AND p.created_at IS NOT NULL
GROUP BY ALL ORDER BY ALL
"""
CREATION_SQL = """
SELECT s.cluster_id, CAST(a.created_at AS DATE), count(*)
FROM account_scores s JOIN accounts a ON a.platform = s.platform AND a.account_id = s.account_id
WHERE s.cluster_id IN (SELECT unnest($clusters)) AND a.created_at IS NOT NULL
GROUP BY ALL ORDER BY ALL
"""
OFFSET_SQL = f"""
SELECT s.cluster_id, mode(p.{OFFSET_COLUMN} ORDER BY p.{OFFSET_COLUMN})
FROM account_scores s JOIN persona_signals p ON p.platform = s.platform AND p.account_id = s.account_id
WHERE s.cluster_id IN (SELECT unnest($clusters)) AND p.{OFFSET_COLUMN} IS NOT NULL
GROUP BY ALL
"""


def cluster_activity(con: duckdb.DuckDBPyConnection, cluster_ids: list[int]) -> dict[int, Activity]:
    """The activity of each cluster in ``cluster_ids`` (clusters without posts get empty charts)."""
    args = {"clusters": cluster_ids}
    daily: dict[int, list[tuple[dt.date, str, int]]] = defaultdict(list)
    for cid, day, kind, n in con.execute(DAILY_SQL, args).fetchall():
        daily[cid].append((day, kind, n))
    quarters: dict[int, list[int]] = defaultdict(lambda: [0] * QUARTERS)
    for cid, quarter, n in con.execute(QUARTER_SQL, args).fetchall():
        quarters[cid][quarter] = n
    created: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for cid, day, n in con.execute(CREATION_SQL, args).fetchall():
        created[cid].append((day, n))
    offsets = inferred_offsets(con, cluster_ids)
    result = {}
    for cid in cluster_ids:
        unit = bin_unit([day for day, _, _ in daily[cid]])
        creation_unit = bin_unit([day for day, _ in created[cid]])
        offset = offsets.get(cid)
        result[cid] = Activity(
            bin_unit=unit,
            timeline=_rebin3(daily[cid], unit),
            hour_of_week_utc=hour_of_week(quarters[cid], 0),
            utc_offset=None if offset is None else offset / 60,
            hour_of_week_local=None if offset is None else hour_of_week(quarters[cid], offset),
            creation_unit=creation_unit,
            creation=_rebin2(created[cid], creation_unit),
        )
    return result


def inferred_offsets(con: duckdb.DuckDBPyConnection, cluster_ids: list[int]) -> dict[int, int]:
    """The most common best-fitting UTC offset (minutes) of each cluster's members, from the persona stage."""
    if not has_columns(con, "persona_signals", "platform", "account_id", OFFSET_COLUMN):
        return {}
    return {cid: int(offset) for cid, offset in con.execute(OFFSET_SQL, {"clusters": cluster_ids}).fetchall()}


def hour_of_week(quarters: list[int], offset_minutes: int) -> list[list[int]]:
    """7 x 24 counts (Monday first) of quarter-hour-of-week UTC counts, shifted to UTC + ``offset_minutes``."""
    shift = round(offset_minutes / 15)
    local = [0] * QUARTERS
    for index, n in enumerate(quarters):
        local[(index + shift) % QUARTERS] += n
    return [[sum(local[(day * 24 + hour) * 4: (day * 24 + hour) * 4 + 4]) for hour in range(24)] for day in range(7)]


def bin_unit(days: list[dt.date]) -> str:
    """``day``, ``week`` or ``month``: the finest bin that keeps a chart over ``days`` readable."""
    if not days:
        return "day"
    span = (max(days) - min(days)).days
    return "day" if span <= DAY_SPAN else "week" if span <= WEEK_SPAN else "month"


def bin_start(day: dt.date, unit: str) -> dt.date:
    """The first day of the ``unit`` bin holding ``day`` (weeks start on Monday)."""
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _rebin3(rows: list[tuple[dt.date, str, int]], unit: str) -> list[tuple[dt.date, str, int]]:
    totals: dict[tuple[dt.date, str], int] = defaultdict(int)
    for day, kind, n in rows:
        totals[(bin_start(day, unit), kind)] += n
    return [(day, kind, n) for (day, kind), n in sorted(totals.items())]


def _rebin2(rows: list[tuple[dt.date, int]], unit: str) -> list[tuple[dt.date, int]]:
    totals: dict[dt.date, int] = defaultdict(int)
    for day, n in rows:
        totals[bin_start(day, unit)] += n
    return sorted(totals.items())
