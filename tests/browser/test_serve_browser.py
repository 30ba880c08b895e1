"""The local UI in headless Chromium: search, an account's evidence, a verdict saved through the form and found
in the regenerated report, the network map, and none of the hostile text running on the way."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("uvicorn", reason="the UI needs the serve extra: pip install 'unmask[serve]'")

from unmask.report.serve import create_app  # noqa: E402

from .case import PAYLOADS, RLO, Case, build_case  # noqa: E402
from .pages import Watched, assert_not_pwned, click_node, wait_for_map, wait_until  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Case:
    return build_case(tmp_path_factory.mktemp("browser-ui") / "case")


@pytest.fixture
def ui(built: Case, tmp_path: Path, serve: Any) -> tuple[Case, str]:
    """A private copy of the case, served on a free loopback port."""
    target = tmp_path / "case"
    shutil.copytree(built.path, target)
    case = Case(target, built.members, built.handles, built.organic)
    return case, serve(create_app(case.path))


def test_search_then_verdict_then_report(watched: Watched, ui: tuple[Case, str]) -> None:
    case, url = ui
    page = watched.page
    page.goto(url + "/")
    watched.screenshot("ui-overview")
    page.fill("input[name=q]", "evil_handle")
    page.click("form.search button")
    page.locator("td.who a").first.click()
    page.locator("form.verdict").wait_for()
    assert page.locator("h2 bdi").inner_text() == f"@{RLO}evil_handle"
    assert page.locator(".pair").count() > 0, "the account's evidence pairs are shown"
    watched.screenshot("ui-account")
    page.check("input[name=verdict][value=confirmed]")
    page.fill("textarea[name=note]", PAYLOADS[1])
    page.click("form.verdict button")
    page.locator("h2 .badge.confirmed").wait_for()
    assert PAYLOADS[1] in page.locator("main").inner_text()
    assert_not_pwned(page, "Account")
    page.click("text=Overview")
    page.click("text=Regenerate report and exports")
    wait_for_map(page)
    row = page.locator(f"#account-twitter\\.3a{case.members[1][2]}")
    assert row.locator(".badge.confirmed").count() == 1
    assert page.evaluate("window.__pwned") is None
    assert (case.path / "exports" / "stix-bundle.json").exists()
    assert watched.errors == []


def test_cluster_verdict_reaches_the_report(watched: Watched, ui: tuple[Case, str]) -> None:
    case, url = ui
    page = watched.page
    page.goto(url + "/cluster/2")
    page.check("input[name=verdict][value=dismissed]")
    page.fill("textarea[name=note]", "a fan club, not a campaign")
    page.click("form.verdict button")
    page.locator("h2 .badge.dismissed").wait_for()
    watched.screenshot("ui-cluster")
    page.goto(url + "/")
    page.click("text=Regenerate report and exports")
    wait_for_map(page)
    section = page.locator("#cluster-2")
    assert section.locator(".badge.dismissed").count() >= 1
    assert "a fan club, not a campaign" in section.inner_text()
    assert watched.errors == []


def test_map_opens_cards_linking_to_account_pages(watched: Watched, ui: tuple[Case, str]) -> None:
    case, url = ui
    page = watched.page
    page.goto(url + "/map")
    wait_for_map(page)
    assert page.evaluate("window.unmaskNetwork.graph.order") == 18
    node = f"twitter:{case.members[1][0]}"
    click_node(page, node)
    card = page.locator("#network-card")
    card.locator("h3").wait_for()
    assert card.locator("h3").inner_text() == "@" + PAYLOADS[0]
    watched.screenshot("ui-map")
    card.locator("text=Open account and evidence").click()
    page.locator("form.verdict").wait_for()
    assert page.url.endswith(f"/account/twitter/{case.members[1][0]}")
    assert_not_pwned(page, "Account")
    assert watched.errors == []
    assert all(u.startswith(url) or u.startswith("data:") for u in watched.requests), "nothing leaves the machine"


def test_legend_picks_out_a_cluster(watched: Watched, ui: tuple[Case, str]) -> None:
    _, url = ui
    page = watched.page
    page.goto(url + "/map")
    wait_for_map(page)
    page.click("[data-legend-cluster='2']")
    wait_until(page, "!window.unmaskNetwork.renderer.getCamera().isAnimated()")
    muted = page.evaluate("""() => { const r = window.unmaskNetwork.renderer;
        return window.unmaskNetwork.graph.filterNodes((n, a) => a.cluster === 1)
            .every(n => r.getNodeDisplayData(n).color === '#e3e7ec'); }""")
    assert muted
    assert watched.errors == []
