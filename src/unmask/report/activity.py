"""When a cluster posted and when its accounts were made: timeline, hour-of-week, creation dates.

Counts are read once per chart type for all clusters, at a fine grain (days, hours of week), then binned here:
the timeline and creation histogram pick days, weeks or months from their span.  The cluster's zone is the UTC
offset in which its members' posts together best fit an office week (the persona stage's
:func:`~unmask.personas.schedule.fit_schedule`, applied to the whole cluster, so it works for members with too
few posts to be fitted alone); its hour-of-week grid is shown in that zone too, with the fit's correlation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import duckdb
import numpy as np

from ..personas.schedule import MIN_POSTS, fit_schedule
from .model import Activity

DAY_SPAN = 120
WEEK_SPAN = 3 * 365
HOURS = 7 * 24

DAILY_SQL = """
SELECT s.cluster_id, CAST(p.created_at AS DATE), coalesce(p.kind, 'post'), count(*)
FROM posts p JOIN account_scores s ON s.platform = p.platform AND s.account_id = p.account_id
WHERE s.cluster_id IN (SELECT unnest($clusters)) AND p.created_at IS NOT NULL
GROUP BY ALL ORDER BY ALL
"""
HOUR_SQL = """
SELECT s.cluster_id, (isodow(p.created_at) - 1) * 24 + hour(p.created_at), count(*)
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


def cluster_activity(con: duckdb.DuckDBPyConnection, cluster_ids: list[int]) -> dict[int, Activity]:
    """The activity of each cluster in ``cluster_ids`` (clusters without posts get empty charts)."""
    args = {"clusters": cluster_ids}
    daily: dict[int, list[tuple[dt.date, str, int]]] = defaultdict(list)
    for cid, day, kind, n in con.execute(DAILY_SQL, args).fetchall():
        daily[cid].append((day, kind, n))
    hours: dict[int, list[int]] = defaultdict(lambda: [0] * HOURS)
    for cid, hour, n in con.execute(HOUR_SQL, args).fetchall():
        hours[cid][hour] = n
    created: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for cid, day, n in con.execute(CREATION_SQL, args).fetchall():
        created[cid].append((day, n))
    result = {}
    for cid in cluster_ids:
        unit = bin_unit([day for day, _, _ in daily[cid]])
        creation_unit = bin_unit([day for day, _ in created[cid]])
        zone = office_zone(hours[cid])
        result[cid] = Activity(
            bin_unit=unit,
            timeline=_rebin3(daily[cid], unit),
            hour_of_week_utc=hour_of_week(hours[cid], 0),
            utc_offset=None if zone is None else zone[0],
            zone_fit=None if zone is None else zone[1],
            hour_of_week_local=None if zone is None else hour_of_week(hours[cid], zone[0]),
            creation_unit=creation_unit,
            creation=_rebin2(created[cid], creation_unit),
        )
    return result


def office_zone(hours: list[int]) -> tuple[int, float] | None:
    """The UTC offset (hours) whose office week best fits these UTC hour-of-week counts, and the correlation;
    None below the persona stage's minimum of posts."""
    if sum(hours) < MIN_POSTS:
        return None
    fit = fit_schedule(np.asarray(hours, dtype=np.float64))
    return fit.utc_offset, fit.template_fit


def hour_of_week(hours: list[int], offset: int) -> list[list[int]]:
    """7 x 24 counts (Monday first) of UTC hour-of-week counts, shifted to UTC + ``offset`` hours."""
    local = np.roll(np.asarray(hours, dtype=np.int64), offset)
    return local.reshape(7, 24).tolist()


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
