"""Clock arithmetic on integer milliseconds since the Unix epoch (UTC), vectorised with numpy.

Local time is UTC plus an offset in minutes.  Daily rhythms are 24 hourly weights; a
:class:`~unmask.simulate.scenarios.Schedule` adds the working week and holidays of a campaign's operators.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np

from .scenarios import Schedule

SECOND_MS = 1000
MINUTE_MS = 60 * SECOND_MS
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
WEEK_HOURS = 168


def date_ms(day: str) -> int:
    """Milliseconds at 00:00 UTC of an ISO date ``YYYY-MM-DD``."""
    return int(datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC).timestamp() * 1000)


def weekday(t_ms: np.ndarray | int, offset_minutes: np.ndarray | int = 0) -> np.ndarray:
    """Local weekday (Monday = 0) of each time."""
    local_days = (np.asarray(t_ms) + np.asarray(offset_minutes) * MINUTE_MS) // DAY_MS
    return (local_days + 3) % 7  # 1970-01-01 was a Thursday


def local_hour(t_ms: np.ndarray, offset_minutes: np.ndarray | int) -> np.ndarray:
    """Local hour of day (0..23) of each time."""
    return ((t_ms + np.asarray(offset_minutes) * MINUTE_MS) % DAY_MS) // HOUR_MS


def sample_times(
    rng: np.random.Generator, day_ms: int | np.ndarray, offsets: np.ndarray, hours: tuple[float, ...] | np.ndarray
) -> np.ndarray:
    """One time per entry of ``offsets`` on the local day(s) ``day_ms`` (UTC midnight of the date), hours
    weighted by ``hours``."""
    weights = np.asarray(hours, dtype=float)
    hour = rng.choice(24, size=len(offsets), p=weights / weights.sum())
    within = rng.integers(0, HOUR_MS, size=len(offsets))
    return day_ms + hour * HOUR_MS + within - np.asarray(offsets, dtype=np.int64) * MINUTE_MS


def wake_up(rng: np.random.Generator, t_ms: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Move actions that fall in a person's night (01:00-06:00 local) to the next morning."""
    hour = local_hour(t_ms, offsets)
    asleep = (hour >= 1) & (hour < 6)
    local = (t_ms + offsets * MINUTE_MS) % DAY_MS
    morning = 6 * HOUR_MS + rng.integers(0, 3 * HOUR_MS, size=len(t_ms))
    return np.where(asleep, t_ms - local + morning, t_ms)


class WorkWeek:
    """A campaign schedule as a 168-hour table: how busy each local hour of the week is."""

    def __init__(self, schedule: Schedule):
        self.offset = schedule.utc_offset_minutes
        day = np.asarray(schedule.hours, dtype=float)
        week = np.tile(day, 7)
        week[5 * 24:] *= schedule.weekend_activity
        self.weights = week
        self.holidays = {date_ms(d) // DAY_MS for d in schedule.holidays}
        on = week >= 0.5 * week.max()
        # hours to wait from each hour of the week until the next busy hour (0 when busy already)
        self._wait = np.array([next(k for k in range(WEEK_HOURS) if on[(h + k) % WEEK_HOURS])
                               for h in range(WEEK_HOURS)])

    def day_activity(self, day_ms: int) -> float:
        """How busy the operators are on the local day starting at UTC midnight ``day_ms`` (0 = day off)."""
        if day_ms // DAY_MS in self.holidays:
            return 0.0
        wd = int(weekday(day_ms))
        return float(self.weights[wd * 24:(wd + 1) * 24].sum() / self.weights[:24].sum())

    def local_day_start(self, day_ms: int) -> int:
        """UTC time of local midnight on the calendar day ``day_ms``."""
        return day_ms - self.offset * MINUTE_MS

    def sample(self, rng: np.random.Generator, day_ms: int, n: int) -> np.ndarray:
        """``n`` times during the operators' working hours of the local day ``day_ms``."""
        wd = int(weekday(day_ms))
        hours = self.weights[wd * 24:(wd + 1) * 24]
        if hours.sum() == 0:
            hours = self.weights[:24]
        return sample_times(rng, day_ms, np.full(n, self.offset), hours)

    def defer(self, rng: np.random.Generator, t_ms: np.ndarray) -> np.ndarray:
        """Move times outside working hours into the next working hours (the backlog is worked off in the
        first two hours of the shift)."""
        local = t_ms + self.offset * MINUTE_MS
        hour_of_week = ((local // DAY_MS + 3) % 7) * 24 + (local % DAY_MS) // HOUR_MS
        wait = self._wait[hour_of_week]
        start_of_hour = t_ms - local % HOUR_MS
        moved = start_of_hour + wait * HOUR_MS + rng.integers(0, 2 * HOUR_MS, size=len(t_ms))
        return np.where(wait > 0, moved, t_ms)


def iso_strings(t_ms: np.ndarray, unit: str = "ms") -> list[str]:
    """ISO 8601 texts of times, to ``unit`` precision (``D``, ``m``, ``s``, ``ms``, ``us``), without a zone."""
    return np.asarray(t_ms, dtype="datetime64[ms]").astype(f"datetime64[{unit}]").astype(str).tolist()
