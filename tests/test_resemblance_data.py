"""Resemblance on data: fingerprints from several formats, simulated campaigns against references built from
another seed, the commands, and a held-out sample of IRA accounts against its own category."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from unmask.cli import app
from unmask.ingest import ingest
from unmask.resemblance import (
    build_fingerprints,
    compare_clusters,
    rank,
    save_references,
)
from unmask.simulate import simulate
from unmask.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"
ATTRIBUTING = re.compile(r"\battribut(ed|es|ing)\b|\boperated by\b|\brun by\b", re.IGNORECASE)
IRA_CATEGORIES = ("HashtagGamer", "NewsFeed", "NonEnglish", "RightTroll")


def small_world(path: Path, seed: int) -> Path:
    """The demo scenario at 600 accounts over 10 days: campaigns C1, C2 and C3 of 42, 18 and 10 accounts."""
    simulate(path, "demo", accounts=600, days=10, seed=seed)
    return path


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """References built from one seed's campaigns, through the labels of ``ground_truth.csv``."""
    root = tmp_path_factory.mktemp("reference-world")
    world = small_world(root / "world", seed=4)
    references = build_fingerprints([world], "sim", group_by="campaign_id")
    assert [r.name for r in references] == ["sim C1", "sim C2", "sim C3"]
    save_references(references, root / "library")
    return root / "library"


@pytest.fixture(scope="module")
def scored_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another seed's world with its campaigns as the clusters of ``account_scores`` (the coordination stage's
    table), so the comparison is tested apart from how well coordination is detected."""
    root = tmp_path_factory.mktemp("case-world")
    world = small_world(root / "world", seed=3)
    case = root / "case"
    ingest(sorted(world.glob("*_csv_hashed.csv")), case)
    with Workspace(case) as ws:
        ws.con.execute(f"""
            CREATE TABLE account_scores AS
            SELECT a.platform, a.account_id,
                   CASE g.campaign_id WHEN 'C1' THEN 1 WHEN 'C2' THEN 2 WHEN 'C3' THEN 3 END AS cluster_id,
                   CASE WHEN g.campaign_id IS NULL THEN 0.0 ELSE 1.0 END AS coordination_score,
                   g.campaign_id IS NOT NULL AS flagged, '' AS reasons
            FROM accounts a JOIN read_csv('{world / "ground_truth.csv"}', all_varchar = true) g
              USING (platform, account_id)""")
    return case


def test_campaigns_resemble_the_reference_of_their_type_built_from_another_seed(scored_case: Path,
                                                                                library: Path) -> None:
    with Workspace(scored_case) as ws:
        result = compare_clusters(ws.con, library, scored_case, samples=40)
        stored = ws.con.execute("SELECT count(*) FROM resemblance").fetchone()[0]
    rows = result.rows.to_pylist()
    assert (result.clusters, result.references, stored) == (3, 3, 9)
    best = {r["cluster_id"]: r for r in rows if r["rank"] == 1}
    assert {cluster: r["reference"] for cluster, r in best.items()} == {1: "sim C1", 2: "sim C2", 3: "sim C3"}
    for row in best.values():
        assert row["similarity"] > 0.8 and row["percentile"] >= 95, row
        assert row["matching"] and "resembles" in row["statement"] and not ATTRIBUTING.search(row["statement"])
    with open(result.csv, encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 9


def test_compare_command_ranks_references_and_says_it_is_not_attribution(scored_case: Path, library: Path) -> None:
    result = CliRunner().invoke(app, ["compare", str(scored_case), "--library", str(library), "--samples", "20"])
    assert result.exit_code == 0, result.output
    assert "sim C2" in result.output and "Resemblance is not attribution" in result.output
    assert not ATTRIBUTING.search(result.output)
    missing = CliRunner().invoke(app, ["compare", str(scored_case.parent / "nothing")])
    assert missing.exit_code == 2 and "no workspace.duckdb" in missing.output


def test_fingerprints_hold_no_post_text_account_ids_or_handles(scored_case: Path, library: Path) -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in library.glob("*.json"))
    with duckdb.connect(str(scored_case / "workspace.duckdb"), read_only=True) as con:
        secrets = [value for (value,) in con.execute("""
            SELECT account_id FROM accounts UNION SELECT handle FROM accounts UNION SELECT display_name FROM accounts
            UNION SELECT text FROM posts""").fetchall() if value and len(value) >= 6]
    assert len(secrets) > 1000
    leaked = [value for value in secrets if value in text]
    assert not leaked, leaked[:5]
    assert not re.search(r"https?://|@\w{3,}", text)


@pytest.mark.parametrize("inputs, families", [
    ([FIXTURES / "io_archive" / "tweets_30col.csv"], {"handles", "language", "audience", "tactics", "creation"}),
    ([FIXTURES / "io_archive"], {"handles", "language", "audience", "tactics", "creation", "clients"}),
])
def test_fingerprint_command_builds_from_io_archive_files(tmp_path: Path, inputs: list[Path],
                                                           families: set[str]) -> None:
    out = tmp_path / "fixture.json"
    result = CliRunner().invoke(app, ["fingerprint", *map(str, inputs), "--name", "fixture", "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["name"] == "fixture" and document["accounts"] >= 3
    assert families <= set(document["families"])
    assert "schedule" not in document["families"]  # a handful of tweets is too few for a schedule


@pytest.mark.parametrize("relative, families", [
    ("coortweet/russian_coord_tweets.csv", {"schedule", "tactics"}),
    ("qut-fixtures/sample_data.csv", {"handles", "schedule", "tactics"}),
])
def test_fingerprints_build_from_coordination_tool_formats(shared_data: Path, relative: str,
                                                           families: set[str]) -> None:
    [fingerprint] = build_fingerprints([shared_data / relative], "tool input")
    assert fingerprint.accounts > 0 and families <= set(fingerprint.families)
    assert "creation" not in fingerprint.families  # these formats carry no account creation dates


def test_group_by_a_column_of_the_accounts_table(tmp_path: Path) -> None:
    world = small_world(tmp_path / "world", seed=5)
    users = next(world.glob("*_users_csv_hashed.csv"))
    references = build_fingerprints([users], "sim users", group_by="lang")
    assert [r.name for r in references] == ["sim users en", "sim users fr", "sim users zh-cn"]
    assert all("tactics" not in r.families and "creation" in r.families for r in references)
    with pytest.raises(ValueError, match="no input file has a column 'nonexistent'"):
        build_fingerprints([users], "sim users", group_by="nonexistent")


def test_held_out_ira_accounts_match_their_own_category_first(shared_data: Path, tmp_path: Path) -> None:
    """40 accounts of each of four categories (300 random tweets at most each): references from 20 of them, tested
    on the other 20."""
    categories = ", ".join(f"'{c}'" for c in IRA_CATEGORIES)
    for half, name in ((0, "reference"), (1, "held-out")):
        duckdb.execute(f"""
            COPY (
                WITH accounts AS (
                    SELECT author_id, any_value(account_category) AS category FROM read_parquet(?)
                    WHERE account_category IN ({categories}) GROUP BY author_id),
                chosen AS (
                    SELECT author_id FROM (SELECT *, row_number() OVER (PARTITION BY category ORDER BY md5(author_id))
                                           AS n FROM accounts)
                    WHERE n <= 40 AND n % 2 = {half}),
                tweets AS (
                    SELECT t.*, row_number() OVER (PARTITION BY t.author_id
                                              ORDER BY md5(concat(t.content, t.publish_date)))
                               AS k
                    FROM read_parquet(?) t JOIN chosen USING (author_id))
                SELECT * EXCLUDE (k) FROM tweets WHERE k <= 300 ORDER BY author_id, publish_date
            ) TO '{tmp_path / f"{name}.parquet"}' (FORMAT parquet)""",
            [str(shared_data / "ira" / "ira_tweets.parquet")] * 2)
    references = build_fingerprints([tmp_path / "reference.parquet"], "IRA", group_by="account_category")
    held_out = build_fingerprints([tmp_path / "held-out.parquet"], "held-out", group_by="account_category")
    assert [f.accounts for f in held_out] == [20] * len(IRA_CATEGORIES)
    for fingerprint in held_out:
        category = fingerprint.name.removeprefix("held-out ")
        assert rank(fingerprint, references)[0].reference == f"IRA {category}"
