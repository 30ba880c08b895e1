"""Charts as inline SVG, drawn here so the report needs no plotting library and no network.

Each function returns an ``<svg>`` string with a legend or axis labels, a ``<title>`` per mark for hover
tooltips, and presentation attributes only (no ``style=``), so the report's Content-Security-Policy can forbid
inline styles.  Every text placed in an SVG goes through :func:`html.escape`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from html import escape

KIND_COLOURS = {"post": "#1f77b4", "repost": "#ff7f0e", "reply": "#2ca02c", "quote": "#9467bd",
                "forward": "#8c564b"}
OTHER_KIND = "#7f7f7f"
BAR = "#4c72b0"
AXIS = "#6b7280"
GRID = "#e5e7eb"
HEAT_LOW = (238, 243, 250)
HEAT_HIGH = (8, 48, 107)
HEAT_ZERO = "#f8fafc"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WIDTH = 760


def timeline(bins: list[tuple[dt.date, str, int]], unit: str, label: str) -> str:
    """Posts per ``unit`` (day, week, month), stacked by kind, with a legend of the kinds shown."""
    if not bins:
        return _empty(label)
    totals: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for day, kind, n in bins:
        totals[day][kind] = n
    days = continuous(min(totals), max(totals), unit)
    kinds = [k for k in KIND_COLOURS if any(k in v for v in totals.values())]
    kinds += sorted({k for v in totals.values() for k in v} - set(kinds))
    top = max(sum(v.values()) for v in totals.values())
    left, right, upper, lower, height = 48, 12, 34, 36, 230
    plot_w, plot_h = WIDTH - left - right, height - upper - lower
    step = plot_w / len(days)
    parts = _y_axis(top, left, upper, plot_w, plot_h)
    for i, day in enumerate(days):
        y: float = upper + plot_h
        for kind in kinds:
            n = totals.get(day, {}).get(kind, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            parts.append(_rect(left + i * step + step * 0.1, y, max(step * 0.8, 0.5), h, _kind_colour(kind),
                               f"{date_label(day, unit)}: {n:,} {kind}{'' if n == 1 else 's'}"))
    parts += _x_labels(days, unit, left, step, upper + plot_h)
    parts += _legend([(kind, _kind_colour(kind)) for kind in kinds], left, 14)
    return _svg(WIDTH, height, label, parts)


def heatmap(grid: list[list[int]], zone: str, label: str) -> str:
    """Posts per hour of week (rows Monday to Sunday, columns hours 0-23 in ``zone``), with a colour legend."""
    top = max((max(row) for row in grid), default=0)
    if top == 0:
        return _empty(label)
    cell_w, cell_h, left, upper = 15, 17, 40, 40
    width, height = left + 24 * cell_w + 10, upper + 7 * cell_h + 46
    parts = [_text(left, 14, f"hour of day, {zone}", anchor="start", size=11, colour=AXIS)]
    for hour in range(0, 24, 3):
        parts.append(_text(left + hour * cell_w + cell_w / 2, upper - 6, f"{hour:02d}", size=10))
    for d, row in enumerate(grid):
        parts.append(_text(left - 6, upper + d * cell_h + cell_h * 0.7, DAYS[d], anchor="end", size=10))
        for hour, n in enumerate(row):
            parts.append(_rect(left + hour * cell_w, upper + d * cell_h, cell_w - 1, cell_h - 1, heat(n, top),
                               f"{DAYS[d]} {hour:02d}:00-{hour:02d}:59 {zone}: {n:,} post{'' if n == 1 else 's'}"))
    legend_y = upper + 7 * cell_h + 14
    parts.append(_text(left, legend_y + 10, "posts", anchor="start", size=10, colour=AXIS))
    for k, share in enumerate((0.0, 0.25, 0.5, 0.75, 1.0)):
        n = round(top * share)
        x = left + 44 + k * 56
        parts.append(_rect(x, legend_y, 14, 12, heat(n, top), f"{n:,} posts"))
        parts.append(_text(x + 18, legend_y + 10, f"{n:,}", anchor="start", size=10))
    return _svg(width, height, label, parts)


def histogram(bins: list[tuple[dt.date, int]], unit: str, label: str,
              noun: tuple[str, str] = ("account", "accounts")) -> str:
    """Counts per ``unit`` bin (gaps filled with zero), with axis labels and counts over the bars."""
    if not bins:
        return _empty(label)
    counts = dict(bins)
    days = continuous(min(counts), max(counts), unit)
    top = max(counts.values())
    left, right, upper, lower, height = 48, 12, 20, 36, 210
    plot_w, plot_h = WIDTH - left - right, height - upper - lower
    step = plot_w / len(days)
    parts = _y_axis(top, left, upper, plot_w, plot_h)
    for i, day in enumerate(days):
        n = counts.get(day, 0)
        if not n:
            continue
        h = plot_h * n / top
        x = left + i * step + step * 0.1
        parts.append(_rect(x, upper + plot_h - h, max(step * 0.8, 0.5), h, BAR,
                           f"{date_label(day, unit)}: {n:,} {noun[0] if n == 1 else noun[1]}"))
        if len(days) <= 40:
            parts.append(_text(x + step * 0.4, upper + plot_h - h - 3, f"{n:,}", size=9))
    parts += _x_labels(days, unit, left, step, upper + plot_h)
    return _svg(WIDTH, height, label, parts)


def continuous(first: dt.date, last: dt.date, unit: str) -> list[dt.date]:
    """Every bin start from ``first`` to ``last`` (both bin starts) in steps of ``unit``."""
    days, day = [], first
    while day <= last:
        days.append(day)
        day = _next(day, unit)
    return days


def date_label(day: dt.date, unit: str) -> str:
    """A bin's name: ``2 Aug 2021`` for days, ``week of 2 Aug 2021``, ``Aug 2021`` for months."""
    if unit == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"week of {text}" if unit == "week" else text


def heat(n: int, top: int) -> str:
    """The colour of a heatmap cell holding ``n`` of at most ``top`` (square-root scale, so quiet hours show)."""
    if n <= 0:
        return HEAT_ZERO
    t = math.sqrt(n / top)
    rgb = (round(lo + (hi - lo) * t) for lo, hi in zip(HEAT_LOW, HEAT_HIGH, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _next(day: dt.date, unit: str) -> dt.date:
    if unit == "month":
        return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day + dt.timedelta(days=7 if unit == "week" else 1)


def tick_step(top: int, ticks: int = 4) -> int:
    """A whole 1, 2 or 5 times a power of ten such that about ``ticks`` steps cover ``top``."""
    rough = max(top / ticks, 1)
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough)


def _y_axis(top: int, left: float, upper: float, plot_w: float, plot_h: float) -> list[str]:
    step = tick_step(top)
    parts = []
    for value in range(0, top + 1, step):
        y = upper + plot_h - plot_h * value / top
        parts.append(_line(left, y, left + plot_w, y, GRID))
        parts.append(_text(left - 6, y + 3, f"{value:,}", anchor="end", size=10))
    parts.append(_line(left, upper + plot_h, left + plot_w, upper + plot_h, AXIS))
    return parts


def _x_labels(days: list[dt.date], unit: str, left: float, step: float, baseline: float) -> list[str]:
    every = max(1, math.ceil(len(days) / 6))
    parts = []
    for i in range(0, len(days), every):
        x = left + i * step + step / 2
        parts.append(_line(x, baseline, x, baseline + 4, AXIS))
        text = date_label(days[i], "day" if unit == "week" else unit)
        parts.append(_text(x, baseline + 16, text, size=10))
    return parts


def _legend(items: list[tuple[str, str]], left: float, y: float) -> list[str]:
    parts, x = [], left
    for name, colour in items:
        parts.append(_rect(x, y - 9, 10, 10, colour, name))
        parts.append(_text(x + 14, y, name, anchor="start", size=11))
        x += 24 + 7 * len(name)
    return parts


def _kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, OTHER_KIND)


def _empty(label: str) -> str:
    return _svg(WIDTH, 40, label, [_text(12, 24, "no data", anchor="start", size=12, colour=AXIS)])


def _svg(width: float, height: float, label: str, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width:g} {height:g}" '
            f'width="{width:g}" height="{height:g}" role="img" aria-label="{escape(label)}">'
            + "".join(parts) + "</svg>")


def _rect(x: float, y: float, w: float, h: float, fill: str, title: str) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}">'
            f"<title>{escape(title)}</title></rect>")


def _line(x1: float, y1: float, x2: float, y2: float, colour: str) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="1"/>'


def _text(x: float, y: float, text: str, anchor: str = "middle", size: int = 10, colour: str = "#374151") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{colour}">'
            f"{escape(text)}</text>")
