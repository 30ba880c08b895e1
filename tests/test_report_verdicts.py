"""Analyst verdicts: recorded in the workspace, read back as statuses, carried across a re-run that renumbers
clusters, and kept out of the way when their cluster is gone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from browser.case import Case, build_case
from unmask.report.verdicts import ensure_table, load, record_account, record_cluster
from unmask.workspace import WORKSPACE_FILE

T = dt.datetime(2024, 5, 1, 12, 0, 0)


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return build_case(tmp_path / "case")


@pytest.fixture
def con(case: Case) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(case.path / WORKSPACE_FILE))
    yield connection
    connection.close()


def test_latest_decision_wins_and_notes_accumulate(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    account = case.members[1][0]
    record_account(con, "twitter", account, "confirmed", "in the takedown set", at=T)
    record_account(con, "twitter", account, "note", "same avatar as @x", at=T + dt.timedelta(minutes=1))
    record_account(con, "twitter", account, "dismissed", at=T + dt.timedelta(minutes=2))
    status = load(con).account("twitter", account)
    assert status.verdict == "dismissed"
    assert [v.note for v in status.notes] == ["in the takedown set", "same avatar as @x"]
    assert [v.verdict for v in status.history] == ["confirmed", "note", "dismissed"]


def test_notes_alone_decide_nothing(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    record_account(con, "twitter", case.organic[0], "note", "check later", at=T)
    assert load(con).account("twitter", case.organic[0]).verdict is None


@pytest.mark.parametrize("verdict, note, message", [
    ("maybe", "", "verdict must be one of"),
    ("note", "   ", "a note needs text"),
    ("confirmed", "x" * 10_001, "at most"),
])
def test_bad_verdicts_are_refused(con: duckdb.DuckDBPyConnection, case: Case, verdict: str, note: str,
                                  message: str) -> None:
    with pytest.raises(ValueError, match=message):
        record_account(con, "twitter", case.members[1][0], verdict, note)


def test_unknown_targets_are_refused(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="no account"):
        record_account(con, "twitter", "nobody", "confirmed")
    with pytest.raises(ValueError, match="no cluster 99"):
        record_cluster(con, 99, "confirmed")


def test_verdicts_survive_a_rerun_that_renumbers_clusters(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    record_cluster(con, 1, "confirmed", "Spamouflage-like", at=T)
    record_account(con, "twitter", case.members[2][0], "dismissed", "a real fan", at=T)
    rerun(con, {1: 7, 2: 8}, drop=case.members[1][:2])
    verdicts = load(con)
    status = verdicts.cluster(7)
    assert status.verdict == "confirmed"
    carried = status.history[0]
    assert carried.cluster_id == 1 and carried.carried and carried.overlap == len(case.members[1]) - 2
    assert verdicts.cluster(1).verdict is None
    assert verdicts.account("twitter", case.members[2][0]).verdict == "dismissed"


def test_a_verdict_whose_cluster_dissolved_is_kept_unmatched(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    record_cluster(con, 2, "dismissed", at=T)
    rerun(con, {1: 1, 2: None}, drop=[])
    verdicts = load(con)
    assert verdicts.clusters == {}
    assert [v.cluster_id for v in verdicts.unmatched] == [2]


def test_ensure_table_keeps_what_is_recorded(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    record_account(con, "twitter", case.members[1][0], "confirmed", at=T)
    ensure_table(con)
    assert load(con).count("confirmed") == 1


def rerun(con: duckdb.DuckDBPyConnection, renumber: dict[int, int | None], drop: list[str]) -> None:
    """Rewrite account_scores as a new analysis would: clusters renumbered (None: dissolved), some accounts out."""
    con.execute("CREATE OR REPLACE TABLE account_scores AS SELECT * REPLACE ("
                "CASE " + " ".join(f"WHEN cluster_id = {old} THEN {'NULL' if new is None else new}"
                                   for old, new in renumber.items()) +
                " END::BIGINT AS cluster_id) FROM account_scores")
    con.execute("UPDATE account_scores SET cluster_id = NULL WHERE account_id IN (SELECT unnest(?))", [drop])
