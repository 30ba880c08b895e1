"""Charts (inline SVG), binning, time-zone shifts, the DISARM rules and the map layout."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from unmask.report import charts
from unmask.report.activity import bin_start, bin_unit, hour_of_week, office_zone
from unmask.report.disarm import COPY_TRACES, REPOST_TRACE, ClusterFacts, TraceFacts, techniques
from unmask.report.html import anchor, utc_offset_label
from unmask.report.model import AccountRow
from unmask.report.network_map import layout
from unmask.traces import TRACES

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_timeline_stacks_kinds_with_a_legend_and_fills_gaps() -> None:
    bins = [(dt.date(2021, 8, 2), "post", 3), (dt.date(2021, 8, 2), "repost", 5), (dt.date(2021, 8, 5), "post", 1)]
    root = parse(charts.timeline(bins, "day", "Posts <over> time"))
    assert root.get("aria-label") == "Posts <over> time"
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "2 Aug 2021: 3 posts" in titles and "2 Aug 2021: 5 reposts" in titles and "5 Aug 2021: 1 post" in titles
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert "post" in legend and "repost" in legend
    assert root.find(f".//{SVG}*[@style]") is None


def test_heatmap_has_a_cell_per_hour_of_week_and_a_legend() -> None:
    grid = [[0] * 24 for _ in range(7)]
    grid[0][9] = 12
    root = parse(charts.heatmap(grid, "UTC+8", "Hour of week"))
    cells = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title").text.startswith(("Mon", "Tue", "Wed", "Thu",
                                                                                           "Fri", "Sat", "Sun"))]
    assert len(cells) == 7 * 24
    busiest = next(c for c in cells if c.find(f"{SVG}title").text == "Mon 09:00-09:59 UTC+8: 12 posts")
    assert busiest.get("fill") == charts.heat(12, 12)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "hour of day, UTC+8" in texts and "posts" in texts and "12" in texts


def test_empty_charts_say_so() -> None:
    assert "no data" in charts.timeline([], "day", "x")
    assert "no data" in charts.heatmap([[0] * 24] * 7, "UTC", "x")
    assert "no data" in charts.histogram([], "month", "x")


def test_histogram_labels_counts_and_whole_ticks() -> None:
    root = parse(charts.histogram([(dt.date(2021, 3, 1), 1), (dt.date(2021, 5, 1), 2)], "month", "Created"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Mar 2021" in texts and "0" in texts and "2" in texts
    assert not any(t and "." in t for t in texts), "count axes tick on whole numbers"
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert titles == ["Mar 2021: 1 account", "May 2021: 2 accounts"]


@pytest.mark.parametrize("top, step", [(1, 1), (3, 1), (7, 2), (21, 10), (180, 50), (999, 500)])
def test_tick_step(top: int, step: int) -> None:
    assert charts.tick_step(top) == step


def test_bins_follow_the_span() -> None:
    days = [dt.date(2021, 1, 1), dt.date(2021, 3, 1)]
    assert bin_unit(days) == "day"
    assert bin_unit([dt.date(2020, 1, 1), dt.date(2021, 6, 1)]) == "week"
    assert bin_unit([dt.date(2012, 1, 1), dt.date(2021, 6, 1)]) == "month"
    assert bin_start(dt.date(2021, 8, 5), "week") == dt.date(2021, 8, 2)
    assert bin_start(dt.date(2021, 8, 5), "month") == dt.date(2021, 8, 1)
    assert charts.continuous(dt.date(2021, 11, 1), dt.date(2022, 2, 1), "month") == [
        dt.date(2021, 11, 1), dt.date(2021, 12, 1), dt.date(2022, 1, 1), dt.date(2022, 2, 1)]


def test_hour_of_week_shifts_and_wraps() -> None:
    hours = [0] * 168
    hours[6 * 24 + 23] = 5  # Sunday 23:00 UTC
    assert hour_of_week(hours, 0)[6][23] == 5
    assert hour_of_week(hours, 8)[0][7] == 5  # Monday 07:00 in UTC+8
    assert hour_of_week(hours, -3)[6][20] == 5


def test_office_zone_finds_the_operators_clock() -> None:
    hours = [0] * 168
    for day in range(5):
        for local in (9, 10, 11, 14, 15, 16, 17):
            hours[(day * 24 + local - 8) % 168] = 10  # office hours in UTC+8
    offset, fit = office_zone(hours)
    assert offset == 8 and fit > 0.9
    assert office_zone([1] * 20 + [0] * 148) is None, "too few posts"


@pytest.mark.parametrize("hours, label", [(8, "UTC+8"), (5.5, "UTC+5:30"), (-3, "UTC\u22123"), (0, "UTC"),
                                          (None, "unknown zone")])
def test_offset_labels(hours: float | None, label: str) -> None:
    assert utc_offset_label(hours) == label


def test_anchor_is_an_id_safe_fragment() -> None:
    assert anchor('twitter:1"><script>') == "twitter.3a1.22.3e.3cscript.3e"


def codes(facts: ClusterFacts) -> list[str]:
    return [use.technique.id for use in techniques(facts)]


def test_techniques_need_their_evidence() -> None:
    assert codes(ClusterFacts(members=10)) == []
    assert codes(ClusterFacts(members=10, traces={"near_dup": TraceFacts(4, 600.0)})) == ["T0084.001"]
    assert codes(ClusterFacts(members=10, traces={"co_repost": TraceFacts(9, 12.0)})) == ["T0049.003"]
    assert codes(ClusterFacts(members=10, traces={"co_repost": TraceFacts(9, 600.0)})) == []
    assert codes(ClusterFacts(members=10, platforms=2)) == ["T0119.002"]
    assert codes(ClusterFacts(members=10, reused_avatars=2)) == ["T0145.001"]
    assert codes(ClusterFacts(members=10, reused_avatars=1)) == []


def test_rules_name_registered_traces() -> None:
    assert {*COPY_TRACES, REPOST_TRACE} <= set(TRACES)


def test_ai_faces_need_two_accounts_and_a_tenth_of_the_avatars() -> None:
    assert codes(ClusterFacts(members=40, avatars_analysed=30, ai_faces=3)) == ["T0143.002", "T0145.002"]
    assert codes(ClusterFacts(members=40, avatars_analysed=30, ai_faces=2)) == []
    assert codes(ClusterFacts(members=40, templated=4)) == ["T0143.002", "T0144.002"]
    assert codes(ClusterFacts(members=40, automated=4)) == ["T0146.007"]
    assert codes(ClusterFacts(members=40, automated=3)) == []


def test_round_the_clock_posting_is_automation() -> None:
    flat = [20] * 24
    office = [0] * 8 + [30] * 10 + [0] * 6
    assert codes(ClusterFacts(members=5, hourly_posts=flat)) == ["T0146.007"]
    assert codes(ClusterFacts(members=5, hourly_posts=office)) == []
    assert codes(ClusterFacts(members=5, hourly_posts=[5] * 24)) == [], "too few posts to tell"


def account(n: int, cluster: int) -> AccountRow:
    return AccountRow("twitter", str(n), f"a{n}", None, None, None, None, 0, cluster, 0.9, True, [])


def test_layout_keeps_clusters_apart_and_is_deterministic() -> None:
    accounts = [account(i, i // 10) for i in range(30)] + [account(100 + i, 9) for i in range(400)]
    edges = [[i, i + 1, 0.5] for i in range(29) if i // 10 == (i + 1) // 10]
    first, second = layout(accounts, edges), layout(accounts, edges)
    assert first == second
    centres = {}
    for a, (x, y) in zip(accounts, first, strict=True):
        centres.setdefault(a.cluster_id, []).append((x, y))
    boxes = {c: (min(p[0] for p in pts), max(p[0] for p in pts), min(p[1] for p in pts), max(p[1] for p in pts))
             for c, pts in centres.items()}
    for c, (x0, x1, y0, y1) in boxes.items():
        for d, (u0, u1, v0, v1) in boxes.items():
            if c < d:
                assert x1 < u0 or u1 < x0 or y1 < v0 or v1 < y0, f"clusters {c} and {d} overlap"
