"""Posting schedule: hour-of-week profile, best-fitting UTC offset, office hours, 24/7 activity, fixed seconds.

An office worker's week, in local time, is Monday to Friday 9:00-18:00 with a lunch dip at 12:00; state-linked
operations have posted on exactly that clock (NOTES §5).  For each account with at least :data:`MIN_POSTS`
posts, the UTC hour-of-week histogram is correlated with that template shifted by every offset from -12 to +14
hours (all accounts at once, one matrix product); the best offset gives the local zone (of equally good ones, the
median), and in it: the share of posts in office hours, the lunch dip, the weekend gap.  Separately, people
sleep: an account whose quietest six hours of the day still hold a fair share of its posts is active around the
clock.  Posts placed on a few fixed seconds of the minute betray a scheduler, but
only where the source has seconds at all: a source file whose timestamps all end in :00 (the IO archives have
minute resolution) is skipped for that test.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

MIN_POSTS = 30
MIN_POSTS_24_7 = 100
OFFSETS = tuple(range(-12, 15))
OFFICE_HOURS = (9, 10, 11, 13, 14, 15, 16, 17)
LUNCH_HOUR = 12
LUNCH_WEIGHT = 0.3
OFFICE_SHARE = 0.6
WEEKEND_RATIO = 0.3
QUIET_WINDOW = 6
QUIET_SHARE_24_7 = 0.15
TOP_SECONDS = 3
SECONDS_SHARE = 0.5


def office_template() -> np.ndarray:
    """The 168-hour local office week (index = weekday * 24 + hour, Monday = 0): 1 in office hours, a dip at
    lunch, 0 elsewhere."""
    template = np.zeros(168)
    for day in range(5):
        template[day * 24 + np.array(OFFICE_HOURS)] = 1.0
        template[day * 24 + LUNCH_HOUR] = LUNCH_WEIGHT
    return template


_TEMPLATE = office_template()
_CENTRED = _TEMPLATE - _TEMPLATE.mean()
_SHIFTED = np.stack([np.roll(_CENTRED, -offset) for offset in OFFSETS], axis=1) / np.linalg.norm(_CENTRED)
"""Column k: the centred, unit-length office template seen from UTC at ``OFFSETS[k]``."""
TIE = 1e-9
"""Fits closer than this to the best one are ties: an account's fit is the same at several offsets when none of
its posts falls in the hours where the shifted templates differ."""


@dataclass(frozen=True)
class ScheduleFit:
    """An account's (or a group's) schedule in its best-fitting UTC offset."""

    posts: int
    utc_offset: int
    template_fit: float
    office_share: float
    lunch_dip: float | None
    weekend_ratio: float | None
    quiet_share: float


def fit_schedule(utc_hour_of_week: np.ndarray) -> ScheduleFit:
    """Fit the office template to a 168-bin UTC hour-of-week histogram (Monday 00:00 UTC = bin 0); see
    :func:`fit_schedules`."""
    return fit_schedules(np.asarray(utc_hour_of_week, dtype=np.float64)[np.newaxis, :])[0]


def fit_schedules(histograms: np.ndarray) -> list[ScheduleFit]:
    """Fit the office template to each row of an (n, 168) matrix of UTC hour-of-week histograms at once.

    The fit at an offset is the correlation of the histogram shifted to that local time with the template; the
    best offset wins; of several equally good ones (within :data:`TIE`), the median (the western one of the two
    middle ones), which centres the activity in the office day.  In local time:
    ``lunch_dip`` is the lunch-hour rate over the rate of the two hours either side (weekdays); ``weekend_ratio``
    the weekend rate per day over the weekday rate per day; ``quiet_share`` the share of posts in the quietest
    :data:`QUIET_WINDOW` consecutive hours of the day (a uniform clock gives 0.25).
    """
    counts = np.asarray(histograms, dtype=np.float64).reshape(-1, 168)
    centred = counts - counts.mean(axis=1, keepdims=True)
    spread = np.linalg.norm(centred, axis=1, keepdims=True)
    fits = np.divide(centred @ _SHIFTED, spread, out=np.zeros((len(counts), len(OFFSETS))), where=spread > 0)
    ties = np.cumsum(fits >= fits.max(axis=1, keepdims=True) - TIE, axis=1)
    best = np.argmax(ties > (ties[:, -1:] - 1) // 2, axis=1)
    offsets = np.asarray(OFFSETS)[best]
    local = np.take_along_axis(counts, (np.arange(168) - offsets[:, np.newaxis]) % 168, axis=1).reshape(-1, 7, 24)
    weekdays = local[:, :5]
    by_hour = local.sum(axis=1)
    circular = np.concatenate([by_hour, by_hour[:, : QUIET_WINDOW - 1]], axis=1)
    columns = (
        counts.sum(axis=1), offsets, fits[np.arange(len(counts)), best],
        weekdays[:, :, 9:18].sum(axis=(1, 2)), weekdays[:, :, LUNCH_HOUR].sum(axis=1),
        weekdays[:, :, [10, 11, 13, 14]].sum(axis=(1, 2)) / 4, weekdays.sum(axis=(1, 2)) / 5,
        local[:, 5:].sum(axis=(1, 2)) / 2,
        np.lib.stride_tricks.sliding_window_view(circular, QUIET_WINDOW, axis=1).sum(axis=2).min(axis=1),
    )
    return [_fit(*values) for values in zip(*(column.tolist() for column in columns))]


def _fit(total: float, offset: int, fit: float, office: float, lunch: float, around_lunch: float,
         weekday_per_day: float, weekend_per_day: float, quietest: float) -> ScheduleFit:
    return ScheduleFit(
        posts=int(total),
        utc_offset=offset,
        template_fit=round(fit, 4),
        office_share=round(office / total, 4) if total else 0.0,
        lunch_dip=round(lunch / around_lunch, 4) if around_lunch else None,
        weekend_ratio=round(weekend_per_day / weekday_per_day, 4) if weekday_per_day else None,
        quiet_share=round(quietest / total, 4) if total else 0.0,
    )


@dataclass(frozen=True)
class ScheduleSignals:
    """Schedule evidence of one account."""

    fit: ScheduleFit
    office_hours: bool
    active_24_7: bool
    seconds_top_share: float | None
    seconds_regular: bool


def schedule_signals(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], ScheduleSignals]:
    """Schedule evidence for every account with at least :data:`MIN_POSTS` posts."""
    keys, histograms = _histograms(con)
    seconds = _seconds_top_share(con)
    out = {}
    for key, fit in zip(keys, fit_schedules(histograms)):
        office = (fit.office_share >= OFFICE_SHARE and fit.weekend_ratio is not None
                  and fit.weekend_ratio <= WEEKEND_RATIO)
        top = seconds.get(key)
        out[key] = ScheduleSignals(
            fit=fit, office_hours=office,
            active_24_7=fit.posts >= MIN_POSTS_24_7 and fit.quiet_share >= QUIET_SHARE_24_7,
            seconds_top_share=top, seconds_regular=top is not None and top >= SECONDS_SHARE,
        )
    return out


def _histograms(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple[str, str]], np.ndarray]:
    """The accounts with at least :data:`MIN_POSTS` dated posts, in key order, and their UTC hour-of-week
    histograms as the rows of an (accounts, 168) matrix."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE persona_busy AS
        SELECT platform, account_id, CAST(row_number() OVER (ORDER BY platform, account_id) - 1 AS INTEGER) AS row
        FROM posts WHERE created_at IS NOT NULL GROUP BY platform, account_id HAVING count(*) >= {MIN_POSTS}
        """
    )
    try:
        keys = con.execute("SELECT platform, account_id FROM persona_busy ORDER BY row").fetchall()
        cells = con.execute(
            """
            SELECT b.row, CAST((isodow(p.created_at) - 1) * 24 + hour(p.created_at) AS INTEGER) AS how,
                   count(*) AS n
            FROM posts p JOIN persona_busy b USING (platform, account_id) WHERE p.created_at IS NOT NULL GROUP BY ALL
            """
        ).fetchnumpy()
    finally:
        con.execute("DROP TABLE IF EXISTS persona_busy")
    histograms = np.zeros((len(keys), 168))
    histograms[cells["row"], cells["how"]] = cells["n"]
    return [(platform, account_id) for platform, account_id in keys], histograms


def _seconds_top_share(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], float]:
    """Share of an account's posts on its :data:`TOP_SECONDS` most used seconds of the minute, counting only
    posts from source files that carry seconds."""
    rows = con.execute(
        f"""
        WITH timed AS (SELECT source_file FROM posts WHERE created_at IS NOT NULL GROUP BY source_file
                       HAVING max(second(created_at)) > 0),
             p AS (SELECT platform, account_id, second(created_at) AS s FROM posts
                   WHERE created_at IS NOT NULL AND source_file IN (SELECT source_file FROM timed)),
             per AS (SELECT platform, account_id, s, count(*) AS n FROM p GROUP BY ALL),
             ranked AS (SELECT *, row_number() OVER (PARTITION BY platform, account_id ORDER BY n DESC, s) AS r,
                               sum(n) OVER (PARTITION BY platform, account_id) AS total FROM per)
        SELECT platform, account_id, sum(n) FILTER (WHERE r <= {TOP_SECONDS}) / any_value(total)
        FROM ranked GROUP BY platform, account_id HAVING any_value(total) >= {MIN_POSTS}
        """
    ).fetchall()
    return {(platform, account_id): round(float(share), 4) for platform, account_id, share in rows}
