"""End to end: a simulated world, analysed, its personas scored, reported; verdicts kept across a re-run."""

from __future__ import annotations

from pathlib import Path

import duckdb
import networkx as nx
import pytest
import stix2

from unmask.analyze import analyze
from unmask.personas import persona_signals
from unmask.report import record_cluster, write_report
from unmask.report.verdicts import load
from unmask.simulate import simulate
from unmask.workspace import WORKSPACE_FILE


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo world (1,000 accounts, 14 days) analysed into a case folder, with persona signals."""
    root = tmp_path_factory.mktemp("pipeline")
    simulate(root / "world", scenario="demo", accounts=1_000, days=14, seed=7)
    analyze([root / "world"], root / "case")
    with duckdb.connect(str(root / "case" / WORKSPACE_FILE)) as con:
        persona_signals(con)
    return root / "case"


def test_simulated_campaigns_are_reported(analysed: Path) -> None:
    with duckdb.connect(str(analysed / WORKSPACE_FILE), read_only=True) as con:
        clusters = con.execute("SELECT count(*) FROM clusters").fetchall()[0][0]
        flagged = con.execute("SELECT count(*) FROM account_scores WHERE flagged").fetchall()[0][0]
        files = write_report(con, analysed)
    assert clusters >= 1
    html = files["report"].read_text(encoding="utf-8")
    assert html.count('<section class="cluster"') == clusters
    assert "T0049.003" in html or "T0084.001" in html, "planted reposting or copypasta is named"
    assert "Parameters of the analysis (run.json)" in html and "network_params.alpha" in html
    assert nx.read_gexf(files["gexf"]).number_of_nodes() == flagged
    bundle = stix2.parse(files["stix"].read_text(encoding="utf-8"), allow_custom=False)
    assert sum(1 for obj in bundle.objects if obj.type == "campaign") == clusters
    assert sum(1 for obj in bundle.objects if obj.type == "user-account") == flagged


def test_verdicts_survive_re_running_the_analysis(analysed: Path) -> None:
    with duckdb.connect(str(analysed / WORKSPACE_FILE)) as con:
        cluster_id = con.execute("SELECT min(cluster_id) FROM clusters").fetchall()[0][0]
        record_cluster(con, cluster_id, "confirmed", "planted campaign")
    analyze([], analysed)
    with duckdb.connect(str(analysed / WORKSPACE_FILE), read_only=True) as con:
        status = load(con).cluster(cluster_id)
        files = write_report(con, analysed)
    assert status.verdict == "confirmed" and status.notes[0].note == "planted campaign"
    assert "planted campaign" in files["report"].read_text(encoding="utf-8")
    assert "planted campaign" in files["clusters_csv"].read_text(encoding="utf-8")
