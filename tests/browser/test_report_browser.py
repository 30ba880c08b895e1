"""report.html in headless Chromium: opens offline with no request and no console error, draws the network,
opens an account card on a click, finds accounts, runs none of the hostile text, and stays usable at 10,000
accounts and 1,000,000 edges."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from unmask.report import ReportOptions, collect, record_account, write_report
from unmask.report.html import render_report
from unmask.workspace import WORKSPACE_FILE

from .case import CLUSTERS, PAYLOADS, RLO, Case, build_case, build_large_case
from .pages import Watched, assert_not_pwned, click_node, wait_for_map, wait_until

TITLE = "Coordinated networks"


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    """The hostile case with one confirmed account, its report written."""
    case = build_case(tmp_path_factory.mktemp("browser-report") / "case")
    with duckdb.connect(str(case.path / WORKSPACE_FILE)) as con:
        record_account(con, "twitter", case.members[1][2], "confirmed", "seen in the takedown")
        write_report(con, case.path)
    return case


def open_report(watched: Watched, path: Path) -> None:
    watched.page.goto(path.resolve().as_uri())
    wait_for_map(watched.page)


def test_report_opens_offline_and_draws_the_network(watched: Watched, case: Case) -> None:
    report = case.path / "report.html"
    open_report(watched, report)
    page = watched.page
    assert watched.errors == []
    assert watched.network_requests() == [report.resolve().as_uri()], "the report requests nothing"
    assert_not_pwned(page, TITLE)
    assert page.locator("#network-map canvas").count() >= 1
    assert page.evaluate("window.unmaskNetwork.graph.order") == sum(CLUSTERS.values())
    assert page.evaluate("window.unmaskNetwork.graph.size") == 30
    assert page.locator("section.cluster").count() == len(CLUSTERS)
    assert page.locator("#cluster-1 svg.chart").count() == 4
    assert page.locator("#cluster-1 .faces img").count() == 2
    watched.screenshot("report-top")
    page.locator("#network").scroll_into_view_if_needed()
    watched.screenshot("report-network")
    page.locator("#cluster-1").scroll_into_view_if_needed()
    watched.screenshot("report-cluster")
    watched.screenshot("report-full", full_page=True)


def test_clicking_a_node_opens_its_card(watched: Watched, case: Case) -> None:
    open_report(watched, case.path / "report.html")
    page = watched.page
    hostile = f"twitter:{case.members[1][0]}"
    click_node(page, hostile)
    card = page.locator("#network-card")
    card.locator("h3").wait_for()
    assert card.locator("h3").inner_text() == "@" + PAYLOADS[0]
    assert PAYLOADS[0] in card.inner_text()
    assert card.locator("a").first.get_attribute("href") == "#cluster-1"
    click_node(page, f"twitter:{case.members[1][2]}")
    wait_until(page, "document.querySelector('#network-card h3')?.textContent.includes('evil_handle')")
    assert "confirmed" in card.inner_text()
    assert_not_pwned(page, TITLE)
    assert watched.errors == []
    page.locator("#network").scroll_into_view_if_needed()
    watched.screenshot("report-card")


def test_search_finds_an_account(watched: Watched, case: Case) -> None:
    open_report(watched, case.path / "report.html")
    page = watched.page
    page.fill("#network-search", "@USER_012")
    results = page.locator("#network-results button")
    assert results.count() == 1
    results.first.click()
    wait_until(page, "document.querySelector('#network-card h3')?.textContent === '@user_012'")
    page.fill("#network-search", "evil_")
    assert page.locator("#network-results button").first.inner_text().startswith(f"@{RLO}evil_handle")
    page.fill("#network-search", "nobody-at-all")
    assert page.locator("#network-results").inner_text() == "No account on the map matches."
    assert watched.errors == []


def test_hostile_text_stays_text(watched: Watched, case: Case) -> None:
    open_report(watched, case.path / "report.html")
    page = watched.page
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("svg[onload]").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator("script").count() == 4, "only the report's own scripts"
    first_row = page.locator(f"#account-twitter\\.3a{case.members[1][0]} td.who").inner_text()
    assert PAYLOADS[0] in first_row
    assert_not_pwned(page, TITLE)


def test_a_large_case_stays_usable(watched: Watched, tmp_path: Path) -> None:
    build_large_case(tmp_path / "large")
    with duckdb.connect(str(tmp_path / "large" / WORKSPACE_FILE), read_only=True) as con:
        report = collect(con, tmp_path / "large", ReportOptions(max_clusters=5))
    path = tmp_path / "large" / "report.html"
    path.write_text(render_report(report), encoding="utf-8")
    open_report(watched, path)
    page = watched.page
    assert page.evaluate("window.unmaskNetwork.graph.order") == 10_000
    assert page.evaluate("window.unmaskNetwork.graph.size") == ReportOptions().max_edges
    assert "970,000 weaker pairs are left out" in page.locator("#network").inner_text()
    click_node(page, "twitter:5000")
    wait_until(page, "document.querySelector('#network-card h3')?.textContent.startsWith('@acct_')")
    page.fill("#network-search", "acct_9999")
    assert page.locator("#network-results button").count() == 1
    assert watched.errors == []
    page.locator("#network").scroll_into_view_if_needed()
    watched.screenshot("report-large-network")
