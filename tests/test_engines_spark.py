"""The Spark engine in local mode gives exactly the DuckDB engine's traces, pairs, weights and flagged accounts.

One small Spark session (``local[2]``, 4 shuffle partitions, no UI) serves every test; the tests skip with the
reason when pyspark or Java is missing (``pip install 'unmask[spark]'`` and a Java 17 runtime).  The narratives
stage, which does not depend on the engine, is left out.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from unmask.analyze import analyze
from unmask.engines import SPARK_WORK_DIR, spark_available, start_session
from unmask.ingest import ingest
from unmask.simulate import simulate
from unmask.traces.tables import TABLES

COMPARED_FILES = ("accounts.csv", "clusters.csv", "edges.csv", "network.graphml")


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """One local Spark session for the whole test run."""
    missing = spark_available()
    if missing:
        pytest.skip(f"Spark engine unavailable: {missing}")
    session = start_session("local[2]", {"spark.sql.shuffle.partitions": "4", "spark.driver.memory": "1g"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def world_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small simulated world (1,000 accounts, 14 days, planted campaigns), ingested."""
    root = tmp_path_factory.mktemp("spark_world")
    simulate(root / "world", "demo", accounts=1_000, days=14, seed=7)
    ingest([root / "world"], root / "case")
    return root / "case"


def copy_case(case: Path, to: Path) -> Path:
    shutil.copytree(case, to)
    return to


def rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def test_same_traces_pairs_weights_and_flags(spark: object, world_case: Path, tmp_path: Path) -> None:
    duck = analyze([], copy_case(world_case, tmp_path / "duck"), narratives=False)
    on_spark = analyze([], copy_case(world_case, tmp_path / "spark"), engine="spark", narratives=False)
    assert on_spark.run["results"]["traces"] == duck.run["results"]["traces"] | {
        name: {**stats, "seconds": on_spark.run["results"]["traces"][name]["seconds"]}
        for name, stats in duck.run["results"]["traces"].items()}
    assert (on_spark.flagged, on_spark.clusters, on_spark.edges) == (duck.flagged, duck.clusters, duck.edges)
    assert duck.flagged > 10  # planted campaigns found, not an empty comparison
    with duckdb.connect(str(duck.case / "workspace.duckdb")) as a, \
            duckdb.connect(str(on_spark.case / "workspace.duckdb")) as b:
        for table in (*TABLES, "trace_near_dup_clusters", "pair_significance", "account_scores"):
            assert rows(b, table) == rows(a, table), table
    for name in COMPARED_FILES:
        assert (on_spark.case / name).read_bytes() == (duck.case / name).read_bytes(), name
    assert not (on_spark.case / SPARK_WORK_DIR).exists()  # the exchanged Parquet is cleaned up


def test_coortweet_retweets_identical(spark: object, shared_data: Path, tmp_path: Path) -> None:
    """CooRTweet's 35,125 real retweets: the traces they feed (co-repost, synchronised activity)."""
    ingest([shared_data / "coortweet" / "russian_coord_tweets.csv"], tmp_path / "base")
    traces = ["co_repost", "sync"]
    duck = analyze([], copy_case(tmp_path / "base", tmp_path / "duck"), traces=traces, narratives=False)
    on_spark = analyze([], copy_case(tmp_path / "base", tmp_path / "spark"), traces=traces, engine="spark",
                       narratives=False)
    compared = ("SELECT trace, platform, account_a, account_b, shared_objects, weight, significance "
                "FROM pair_significance ORDER BY ALL")
    flagged = "SELECT platform, account_id FROM account_scores WHERE flagged ORDER BY ALL"
    with duckdb.connect(str(duck.case / "workspace.duckdb")) as a, \
            duckdb.connect(str(on_spark.case / "workspace.duckdb")) as b:
        assert b.execute(compared).fetchall() == a.execute(compared).fetchall()
        assert b.execute(flagged).fetchall() == a.execute(flagged).fetchall()
        assert a.execute("SELECT count(*) FROM trace_pairs WHERE trace = 'co_repost'").fetchone()[0] > 1_000
    for name in COMPARED_FILES:
        assert (on_spark.case / name).read_bytes() == (duck.case / name).read_bytes(), name


def test_a_failing_trace_fails_the_run_and_leaves_no_tables(spark: object, world_case: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Traces run two at a time in threads: an error in one reaches the caller, and no trace's output tables stay
    in Spark's catalog."""
    from pyspark.errors import AnalysisException

    from unmask.engines import SparkEngine
    from unmask.traces import TRACES

    monkeypatch.setattr(TRACES["co_reply"], "actions_sql",
                        lambda self, params: "SELECT platform, account_id, no_such_column AS object_id, "
                                             "created_at AS ts, post_id FROM posts")
    case = copy_case(world_case, tmp_path / "case")
    with duckdb.connect(str(case / "workspace.duckdb")) as con, SparkEngine(case / SPARK_WORK_DIR) as engine:
        with pytest.raises(AnalysisException, match="no_such_column"):
            engine.run_traces(con, names=["co_repost", "co_reply", "co_hashtag"])
        left = [table.name for table in spark.catalog.listTables()]  # type: ignore[attr-defined]
        assert not [name for name in left if name.startswith("trace_")]
