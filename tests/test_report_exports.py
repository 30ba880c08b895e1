"""The exports: graphs that networkx reads back with every attribute, spreadsheet-safe CSV, Parquet, a STIX 2.1
bundle that ``stix2`` accepts without custom content, and Markdown that renders no hostile markup."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import duckdb
import networkx as nx
import pyarrow.parquet as pq
import pytest
import stix2

from browser.case import CLUSTERS, FORMULA_HANDLE, LONG_POST, PAYLOADS, RLO, Case, build_case
from unmask.report import ReportOptions, record_account, record_cluster, write_report
from unmask.exports.csv import write_csv
from unmask.report.markdown import md_text
from unmask.report.sql_export import write_csv as streamed_csv
from unmask.workspace import WORKSPACE_FILE


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Case, dict[str, Path]]:
    """The hostile case with one account confirmed and cluster 2 dismissed, exported once."""
    case = build_case(tmp_path_factory.mktemp("exports") / "case")
    with duckdb.connect(str(case.path / WORKSPACE_FILE)) as con:
        record_account(con, "twitter", case.members[1][3], "confirmed", "listed in the takedown \u2028 =1+1")
        record_cluster(con, 2, "dismissed", "a fan club")
        files = write_report(con, case.path)
    return case, files


def test_every_export_is_written(exported: tuple[Case, dict[str, Path]]) -> None:
    _, files = exported
    names = {path.name for path in files.values()}
    for table in ("accounts", "clusters", "edges", "evidence", "verdicts"):
        assert {f"{table}.csv", f"{table}.parquet"} <= names
    assert {"report.html", "network.gexf", "network.graphml", "stix-bundle.json", "summary.md"} <= names
    assert not list(files["report"].parent.glob(".*.partial")), "no temporary file is left behind"


@pytest.mark.parametrize("name, read", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_graphs_carry_every_node_and_edge_attribute(exported: tuple[Case, dict[str, Path]], name: str, read) -> None:
    case, files = exported
    graph = read(files[name])
    assert graph.number_of_nodes() == sum(CLUSTERS.values())
    confirmed = graph.nodes[f"twitter:{case.members[1][3]}"]
    assert confirmed["verdict"] == "confirmed" and confirmed["notes"].startswith("listed in the takedown")
    first = graph.nodes[f"twitter:{case.members[1][0]}"]
    assert first["handle"] == PAYLOADS[0]
    assert first["cluster_confidence"] == "high" and int(first["cluster_id"]) == 1
    assert float(first["persona_score"]) == pytest.approx(0.8)
    assert {"coordination_score", "reasons", "created_at", "followers", "posts", "flagged"} <= set(first)
    assert graph.nodes[f"twitter:{case.members[2][0]}"]["cluster_verdict"] == "dismissed"
    assert graph.nodes[f"twitter:{case.members[1][5]}"]["display_name"] == "bell\\u0007and\\u0000null"
    edge = graph.edges[f"twitter:{case.members[1][0]}", f"twitter:{case.members[1][1]}"]
    assert {"weight", "significance", "traces", "co_repost_weight", "co_post_shared_objects"} <= set(edge)


def test_csv_cells_cannot_become_formulas(exported: tuple[Case, dict[str, Path]]) -> None:
    _, files = exported
    with open(files["accounts_csv"], encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    handles = {row["handle"] for row in rows}
    assert "'" + FORMULA_HANDLE in handles and FORMULA_HANDLE not in handles
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_tables_carry_verdicts_and_full_texts(exported: tuple[Case, dict[str, Path]]) -> None:
    case, files = exported
    accounts = pq.read_table(files["accounts_parquet"]).to_pylist()
    confirmed = next(a for a in accounts if a["account_id"] == case.members[1][3])
    assert confirmed["verdict"] == "confirmed" and confirmed["notes"] == ["listed in the takedown \u2028 =1+1"]
    clusters = {c["cluster_id"]: c for c in pq.read_table(files["clusters_parquet"]).to_pylist()}
    assert clusters[2]["verdict"] == "dismissed" and clusters[1]["confidence"] == "high"
    assert "T0084.001" in clusters[1]["disarm"]
    evidence = pq.read_table(files["evidence_parquet"]).to_pylist()
    assert any(LONG_POST in (row["text_a"], row["text_b"]) for row in evidence), \
        "exports keep the full text the report cuts"
    assert {row["cluster_id"] for row in evidence} == set(CLUSTERS), "the evidence of every cluster shown"
    assert pq.read_table(files["verdicts_parquet"]).num_rows == 2


def test_stix_bundle_parses_without_custom_content(exported: tuple[Case, dict[str, Path]]) -> None:
    case, files = exported
    bundle = stix2.parse(files["stix"].read_text(encoding="utf-8"), allow_custom=False)
    kinds = Counter(obj.type for obj in bundle.objects)
    assert kinds["campaign"] == 1, "the dismissed cluster is left out"
    campaign = next(obj for obj in bundle.objects if obj.type == "campaign")
    assert campaign.name == "Coordinated network C1 (unmask)"
    assert kinds["user-account"] == CLUSTERS[1]
    logins = {obj.account_login for obj in bundle.objects if obj.type == "user-account"}
    assert PAYLOADS[0] in logins and f"{RLO}evil_handle" in logins
    patterns = {obj.external_references[0].external_id: obj for obj in bundle.objects if obj.type == "attack-pattern"}
    assert set(patterns) == {"T0049.003", "T0084.001", "T0143.002", "T0145.001", "T0145.002"}
    assert all(p.external_references[0].source_name == "DISARM" for p in patterns.values())
    uses = [obj for obj in bundle.objects if obj.type == "relationship" and obj.relationship_type == "uses"]
    assert {u.target_ref for u in uses} == {p.id for p in patterns.values()}
    assert all(u.source_ref == campaign.id for u in uses)
    sighting = next(obj for obj in bundle.objects if obj.type == "sighting")
    assert sighting.sighting_of_ref == campaign.id
    report = next(obj for obj in bundle.objects if obj.type == "report")
    referenced = set(report.object_refs)
    assert {obj.id for obj in bundle.objects if obj.type not in ("report", "marking-definition")} <= referenced
    assert "not of who runs it" in report.description


def test_stix_objects_carry_the_tlp_marking(exported: tuple[Case, dict[str, Path]]) -> None:
    _, files = exported
    bundle = stix2.parse(files["stix"].read_text(encoding="utf-8"), allow_custom=False)
    for obj in bundle.objects:
        if obj.type != "marking-definition":
            assert obj.object_marking_refs == [stix2.TLP_AMBER.id], obj.type


def test_stix_marking_and_ids_follow_the_options(tmp_path: Path) -> None:
    case = build_case(tmp_path / "case")
    with duckdb.connect(str(case.path / WORKSPACE_FILE)) as con:
        first = write_report(con, case.path, ReportOptions(tlp="green"))["stix"].read_text(encoding="utf-8")
        second = write_report(con, case.path, ReportOptions(tlp="green"))["stix"].read_text(encoding="utf-8")
    assert first == second, "the same case gives the same bundle"
    bundle = json.loads(first)
    assert {tuple(o.get("object_marking_refs", [])) for o in bundle["objects"]} == {(stix2.TLP_GREEN.id,), ()}


def test_markdown_summary_is_inert(exported: tuple[Case, dict[str, Path]]) -> None:
    _, files = exported
    text = files["summary"].read_text(encoding="utf-8")
    assert "# Coordinated networks in case case" in text
    assert "not of who runs it" in text
    assert "| C1 | 10 | high |" in text and "| C2 | 8 | medium |" in text and "dismissed |" in text
    assert "<script>" not in text and "<img" not in text and RLO not in text
    assert "\\[U+202E\\]" in text
    assert "DISARM T0084.001 Use Copypasta" in text


@pytest.mark.parametrize("hostile, inert", [
    ("[click](javascript:alert(1))", "\\[click\\](javascript\\:alert(1))"),
    ("<b>x</b> & y", "\\<b\\>x\\</b\\> \\& y"),
    ("see www.evil.example or https://evil.example", "see www\\.evil.example or https\\://evil.example"),
    ("**bold** `code` | ~~gone~~", "\\*\\*bold\\*\\* \\`code\\` \\| \\~\\~gone\\~\\~"),
    ("two\nlines\u2028here", "two lines here"),
    (f"{RLO}txt.exe", "\\[U+202E\\]txt.exe"),
])
def test_md_text_escapes_markdown_structure(hostile: str, inert: str) -> None:
    assert md_text(hostile) == inert


def test_streamed_csv_matches_the_python_writer(tmp_path: Path) -> None:
    """DuckDB writes the export CSVs; each cell reads back as :func:`unmask.exports.csv.write_csv` writes it."""
    con = duckdb.connect()
    con.execute("""CREATE TABLE t AS SELECT * FROM (VALUES
        ('=1+1', -0.5::DOUBLE, ['@a', NULL, 'b'], TIMESTAMP '2021-03-01 10:00:00.25', true, -3, 'x\ny'),
        ('+cmd', 'nan'::DOUBLE, ['b', '-c'], TIMESTAMP '2021-03-01 10:00:00', false, 7, chr(9) || 'tab'),
        ('plain', 1e-05, [], NULL, NULL, NULL, '')
    ) v("=text", number, list, "time", flag, count, other)""")
    write_csv(tmp_path / "python.csv", con.sql("SELECT * FROM t").to_arrow_table())
    streamed_csv(con, "SELECT * FROM t", tmp_path / "duckdb.csv")

    def rows(path: Path) -> list[list[str]]:
        with open(path, encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))

    assert rows(tmp_path / "duckdb.csv") == rows(tmp_path / "python.csv")
    assert rows(tmp_path / "duckdb.csv")[0][0] == "'=text"
