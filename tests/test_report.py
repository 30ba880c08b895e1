"""The report model, report.html and its safety, from a case built table by table (tests/browser/case.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from html import unescape
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from browser.case import CLUSTERS, COPYPASTA, FORMULA_HANDLE, LONG_POST, PAYLOADS, RLO, Case, build_case
from unmask import schema
from unmask.cli import app
from unmask.report import ReportOptions, collect, record_account, write_report
from unmask.report.html import content_security_policy, render_report, script_json
from unmask.workspace import WORKSPACE_FILE


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    """The hostile case, built once for the module (tests copy it before writing)."""
    return build_case(tmp_path_factory.mktemp("report") / "case")


@pytest.fixture
def fresh(case: Case, tmp_path: Path) -> Case:
    """A private copy of the case for a test that writes to it."""
    target = tmp_path / "case"
    shutil.copytree(case.path, target)
    return Case(target, case.members, case.handles, case.organic)


def read_only(case: Case) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(case.path / WORKSPACE_FILE), read_only=True)


def test_summary_counts_the_case(case: Case) -> None:
    with read_only(case) as con:
        report = collect(con, case.path)
    s = report.summary
    assert s.accounts == len(case.handles)
    assert s.flagged == sum(CLUSTERS.values())
    assert s.clusters == len(CLUSTERS)
    assert s.quarantined == 1
    assert s.first_post == dt.datetime(2021, 8, 2, 1, 0)
    assert s.confidence == {"high": 1, "medium": 1, "low": 0}
    assert [p["platform"] for p in s.platforms] == ["twitter"]
    assert report.omitted == []


def test_clusters_are_strongest_first_with_members_evidence_and_techniques(case: Case) -> None:
    with read_only(case) as con:
        report = collect(con, case.path)
    first, second = report.clusters
    assert (first.cluster_id, second.cluster_id) == (1, 2)
    assert [a.account_id for a in first.accounts] == case.members[1]
    assert first.accounts[0].coordination_score >= first.accounts[-1].coordination_score
    codes = [t.technique.id for t in first.techniques]
    assert codes == ["T0049.003", "T0084.001", "T0143.002", "T0145.001", "T0145.002"]
    copypasta = [e for e in first.evidence if e.trace == "co_post"]
    assert copypasta and copypasta[0].a.text.shown == COPYPASTA
    assert copypasta[0].a.created_at.second == 5 and copypasta[0].dt == 3.0
    reposts = [e for e in first.evidence if e.trace == "co_repost"]
    assert len(reposts) == ReportOptions().evidence_per_trace
    assert first.narratives[0] == {
        "Narrative": "lies fabricated by the West", "Posts": 100, "Share of the network's posts": "50%",
        "Share among other accounts": "1%", "Lift": "50.0\u00d7", "Languages": "en, zh",
        "Known claims": "Xinjiang: lies fabricated by the West", "Example": PAYLOADS[1]}
    assert first.targets[0]["Target"] == PAYLOADS[0] and first.targets[0]["Hostile share"] == "75%"
    second_codes = [t.technique.id for t in second.techniques]
    assert "T0144.002" in second_codes, "four of eight members have templated bios"


def test_activity_is_shifted_to_the_best_office_zone(case: Case) -> None:
    with read_only(case) as con:
        activity = collect(con, case.path).clusters[0].activity
    assert activity.utc_offset is not None and -12 <= activity.utc_offset <= 14
    assert activity.zone_fit > 0.2, "the planted posts fall in a working morning of some zone"
    utc_hours = {h for row in activity.hour_of_week_utc for h, n in enumerate(row) if n}
    local_hours = {h for row in activity.hour_of_week_local for h, n in enumerate(row) if n}
    assert local_hours == {(h + activity.utc_offset) % 24 for h in utc_hours}
    assert sum(map(sum, activity.hour_of_week_utc)) == sum(map(sum, activity.hour_of_week_local))
    assert activity.bin_unit == "day"
    assert sum(n for _, n in activity.creation) == CLUSTERS[1]


def test_long_text_is_cut_for_display(case: Case) -> None:
    with read_only(case) as con:
        report = collect(con, case.path, ReportOptions(max_text=200))
    long = [side for e in report.clusters[0].evidence for side in (e.a, e.b)
            if side.text and side.text.shown.startswith("AAAA")]
    assert long and long[0].text.shown == LONG_POST[:200]
    assert long[0].text.left_out == len(LONG_POST) - 200


def test_caps_say_what_was_left_out(case: Case) -> None:
    with read_only(case) as con:
        report = collect(con, case.path, ReportOptions(max_nodes=12, max_edges=5, max_clusters=1, max_accounts=3))
    assert len(report.network.nodes) == 12 and report.network.nodes_left_out == 6
    assert len(report.network.edges) == 5 and report.network.edges_left_out == report.network.edges_total - 5
    assert [c.detailed for c in report.clusters] == [True, False]
    assert report.clusters[0].accounts_left_out == CLUSTERS[1] - 3
    assert report.clusters[1].techniques, "techniques are derived for every cluster, detailed or not"


def test_report_escapes_every_payload(case: Case) -> None:
    with read_only(case) as con:
        html = render_report(collect(con, case.path))
    outside = outside_scripts(html)
    for payload in ("<script>window.__pwned", "<img src=x", "<svg onload", "</script><script>document.title"):
        assert payload not in outside
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in outside
    assert "onerror=" not in outside.replace("onerror=&#34;", "")
    assert re.search(r'href="javascript:', html, re.IGNORECASE) is None
    assert f"<bdi>@{RLO}evil_handle</bdi>" in outside


def outside_scripts(html: str) -> str:
    """The document with the contents of every <script> element removed (they are checked separately)."""
    return re.sub(r"(<script[^>]*>).*?(</script>)", r"\1\2", html, flags=re.DOTALL)


def test_embedded_json_cannot_end_its_script_element(case: Case) -> None:
    with read_only(case) as con:
        html = render_report(collect(con, case.path))
    data = re.search(r'<script type="application/json" id="network-data">(.*?)</script>', html, re.DOTALL).group(1)
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in data
    nodes = json.loads(data)["nodes"]
    assert {n["card"]["handle"] for n in nodes} >= {PAYLOADS[0], FORMULA_HANDLE, f"{RLO}evil_handle"}


def test_script_json_escapes_html_breakers() -> None:
    text = script_json({"a": "</script><!-- & \u2028\u2029 >"})
    assert str(text) == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 \\u003e"}'
    assert json.loads(str(text)) == {"a": "</script><!-- & \u2028\u2029 >"}


def test_report_is_self_contained_and_pinned_by_its_policy(case: Case) -> None:
    with read_only(case) as con:
        html = render_report(collect(con, case.path))
    assert re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(https?:)?//", html) is None
    assert "<link rel=\"stylesheet\"" not in html
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    styles = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    assert len(scripts) == 3 and len(styles) == 1
    policy = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert policy == content_security_policy(scripts, styles)
    assert "connect-src 'none'" in policy and "unsafe-inline" not in policy
    assert re.search(r'style="', html) is None, "inline style attributes would be blocked by the policy"
    assert "sourceMappingURL" not in html


def test_same_workspace_gives_the_same_report(case: Case) -> None:
    with read_only(case) as con:
        first = render_report(collect(con, case.path))
        second = render_report(collect(con, case.path))
    assert first == second


def test_report_without_later_stages_omits_sections_with_notes(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / WORKSPACE_FILE))
    for table in schema.CANONICAL:
        con.execute(schema.create_sql(table))
    con.execute("INSERT INTO posts (platform, post_id, account_id, created_at, kind, text) "
                "VALUES ('twitter', '1', 'a', TIMESTAMP '2021-01-01 10:00:00', 'post', 'hello')")
    files = write_report(con, tmp_path)
    con.close()
    html = files["report"].read_text(encoding="utf-8")
    assert "<strong>Network map</strong> left out" in html
    assert "<strong>Clusters</strong> left out" in html
    assert "No coordinated network was found" in html
    assert "No <code>run.json</code>" in html
    assert files["accounts_csv"].exists() and "edges_csv" not in files


def test_verdicts_appear_in_the_report(fresh: Case) -> None:
    target = fresh.members[1][4]
    with duckdb.connect(str(fresh.path / WORKSPACE_FILE)) as con:
        record_account(con, "twitter", target, "confirmed", "matches the <b>takedown</b> list")
        html = render_report(collect(con, fresh.path))
    row = re.search(rf'<tr id="account-twitter.3a{target}">(.*?)</tr>', html, re.DOTALL).group(1)
    assert '<span class="badge confirmed">confirmed</span>' in row and "1 note" in row
    assert '"verdict":"confirmed"' in html
    assert "<b>takedown" not in outside_scripts(html)


def test_methods_list_run_parameters_without_timings(case: Case) -> None:
    with read_only(case) as con:
        methods = collect(con, case.path).methods
    run = dict(methods.run)
    assert run["parameters.network_params.alpha"] == "0.01"
    assert run["parameters.traces"] == "co_post, co_repost"
    assert not any(key.startswith("seconds") for key in run)
    assert ("sigma (npm)", "3.0.2") in methods.software
    assert any(code == "T0084.001" for code, _, _ in methods.rules)


def test_report_command_writes_the_report(fresh: Case) -> None:
    result = CliRunner().invoke(app, ["report", str(fresh.path), "--tlp", "green", "--max-clusters", "1"])
    assert result.exit_code == 0, result.output
    html = (fresh.path / "report.html").read_text(encoding="utf-8")
    assert "TLP:GREEN" in html and 'id="cluster-1"' in html and 'id="cluster-2"' not in html


def test_report_command_refuses_an_unknown_marking(fresh: Case) -> None:
    result = CliRunner().invoke(app, ["report", str(fresh.path), "--tlp", "purple"])
    assert result.exit_code == 2
    assert "tlp must be one of" in result.output
