"""Posting schedule: hour-of-week profile, best-fitting UTC offset, office hours, 24/7 activity, fixed seconds.

An office worker's week, in local time, is Monday to Friday 9:00-18:00 with a lunch dip at 12:00; state-linked
operations have posted on exactly that clock (NOTES §5).  For each account with at least :data:`MIN_POSTS`
posts, the UTC hour-of-week histogram is correlated with that template shifted by every offset from -12 to +14
hours; the best offset gives the local zone, and in it: the share of posts in office hours, the lunch dip, the
weekend gap.  Separately, people sleep: an account whose quietest six hours of the day still hold a fair share of
its posts is active around the clock.  Posts placed on a few fixed seconds of the minute betray a scheduler, but
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
    """Fit the office template to a 168-bin UTC hour-of-week histogram (Monday 00:00 UTC = bin 0).

    ``lunch_dip`` is the lunch-hour rate over the rate of the two hours either side (weekdays, local time);
    ``weekend_ratio`` the weekend rate per day over the weekday rate per day; ``quiet_share`` the share of posts
    in the quietest :data:`QUIET_WINDOW` consecutive hours of the day (a uniform clock gives 0.25).
    """
    histogram = np.asarray(utc_hour_of_week, dtype=np.float64)
    total = float(histogram.sum())
    fits = [_correlation(np.roll(histogram, offset), _TEMPLATE) for offset in OFFSETS]
    best = int(np.argmax(fits))
    local = np.roll(histogram, OFFSETS[best]).reshape(7, 24)
    weekdays = local[:5]
    around_lunch = weekdays[:, [10, 11, 13, 14]].sum() / 4
    weekday_per_day = weekdays.sum() / 5
    by_hour = local.sum(axis=0)
    circular = np.concatenate([by_hour, by_hour[: QUIET_WINDOW - 1]])
    quietest = min(circular[h: h + QUIET_WINDOW].sum() for h in range(24))
    return ScheduleFit(
        posts=int(total),
        utc_offset=OFFSETS[best],
        template_fit=round(fits[best], 4),
        office_share=round(float(weekdays[:, 9:18].sum()) / total, 4) if total else 0.0,
        lunch_dip=round(float(weekdays[:, LUNCH_HOUR].sum()) / around_lunch, 4) if around_lunch else None,
        weekend_ratio=round(float(local[5:].sum() / 2) / weekday_per_day, 4) if weekday_per_day else None,
        quiet_share=round(float(quietest) / total, 4) if total else 0.0,
    )


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


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
    histograms = _histograms(con)
    seconds = _seconds_top_share(con)
    out = {}
    for key, histogram in histograms.items():
        fit = fit_schedule(histogram)
        office = (fit.office_share >= OFFICE_SHARE and fit.weekend_ratio is not None
                  and fit.weekend_ratio <= WEEKEND_RATIO)
        top = seconds.get(key)
        out[key] = ScheduleSignals(
            fit=fit, office_hours=office,
            active_24_7=fit.posts >= MIN_POSTS_24_7 and fit.quiet_share >= QUIET_SHARE_24_7,
            seconds_top_share=top, seconds_regular=top is not None and top >= SECONDS_SHARE,
        )
    return out


def _histograms(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], np.ndarray]:
    rows = con.execute(
        f"""
        WITH busy AS (SELECT platform, account_id FROM posts WHERE created_at IS NOT NULL
                      GROUP BY ALL HAVING count(*) >= {MIN_POSTS})
        SELECT platform, account_id, (isodow(created_at) - 1) * 24 + hour(created_at) AS how, count(*)
        FROM posts JOIN busy USING (platform, account_id) WHERE created_at IS NOT NULL
        GROUP BY ALL ORDER BY platform, account_id
        """
    ).fetchall()
    out: dict[tuple[str, str], np.ndarray] = {}
    for platform, account_id, how, n in rows:
        out.setdefault((platform, account_id), np.zeros(168))[int(how)] = n
    return out


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
