"""Every trace fires where it must and stays silent where it must not, end to end through ``run_traces``."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pytest

from unmask import schema
from unmask.traces import TRACES, TraceParams, run_traces

T0 = datetime(2021, 8, 2, 9, 0, 0)


def workspace(posts: list[dict], media: list[dict] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory workspace with the canonical tables holding ``posts`` and ``media`` (missing columns NULL)."""
    con = duckdb.connect()
    for table in schema.CANONICAL:
        con.execute(schema.create_sql(table))
    for table, rows in (("posts", posts), ("media", media or [])):
        cols = schema.columns(table)
        for row in rows:
            row = {"platform": "twitter", **row}
            con.execute(
                f"INSERT INTO {table} VALUES ({', '.join('?' for _ in cols)})", [row.get(col) for col in cols]
            )
    return con


def post(pid: str, account: str, seconds: float, **fields) -> dict:
    return {"post_id": pid, "account_id": account, "created_at": T0 + timedelta(seconds=seconds),
            "kind": "post", **fields}


def repost(pid: str, account: str, seconds: float, target: str) -> dict:
    return post(pid, account, seconds, kind="repost", reposted_post_id=target)


def pairs(con: duckdb.DuckDBPyConnection, trace: str) -> list[tuple]:
    return con.execute(
        "SELECT account_a, account_b, co_actions, shared_objects FROM trace_pairs WHERE trace = ? ORDER BY 1, 2",
        [trace],
    ).fetchall()


def run(con: duckdb.DuckDBPyConnection, trace: str, **params) -> list[tuple]:
    run_traces(con, TraceParams(**params), names=[trace])
    return pairs(con, trace)


def test_co_repost_within_window_only():
    con = workspace([
        repost("1", "a", 0, "X"), repost("2", "b", 30, "X"),  # 30 s apart: a pair
        repost("3", "c", 7200, "X"),  # 2 hours later: no pair
        repost("4", "a", 100, "Y"), repost("5", "b", 160, "Y"),  # exactly W apart: a pair
        post("6", "d", 10, reposted_post_id=None),
    ])
    assert run(con, "co_repost") == [("a", "b", 2, 2)]
    evidence = con.execute("SELECT object_id, post_a, post_b, dt FROM trace_evidence ORDER BY dt").fetchall()
    assert evidence == [("X", "1", "2", 30.0), ("Y", "4", "5", 60.0)]
    stats = con.execute("SELECT min_dt, median_dt FROM trace_pairs").fetchone()
    assert stats == (30.0, 45.0)


def test_co_post_collapses_copypasta_with_random_suffixes():
    text = "The West fabricated the Xinjiang lies to contain China"
    con = workspace([
        post("1", "a", 0, text=text + " x7f3a"),
        post("2", "b", 600, text=text.upper() + "!! 8f3a2c1b https://t.co/zz"),
        post("3", "c", 900, text="@someone " + text.lower() + " qq81"),
        post("4", "d", 100, text="A different text entirely, about the weather"),
        post("5", "e", 50, kind="repost", text=text, reposted_post_id="9"),  # a repost carries the original's text
        post("6", "f", 0, text="Thank you!"), post("7", "g", 1, text="thank you"),  # too short to be evidence
    ])
    assert run(con, "co_post") == [("a", "b", 1, 1), ("a", "c", 1, 1), ("b", "c", 1, 1)]
    objects = con.execute("SELECT COUNT(DISTINCT object_id) FROM trace_actions WHERE trace = 'co_post'").fetchone()
    assert objects == (2,)
    assert run(con, "co_post", text_window_seconds=60) == []


def test_co_post_keeps_short_chinese_slogans_but_not_short_latin_ones():
    con = workspace([
        post("1", "a", 0, text="新疆的谎言是西方编造的！"), post("2", "b", 60, text="新疆的谎言是西方编造的"),
        post("3", "c", 0, text="Lies of the West!"), post("4", "d", 60, text="lies of the west"),
    ])
    assert run(con, "co_post") == [("a", "b", 1, 1)]


def test_near_duplicate_chinese_texts_pair_and_others_do_not():
    con = workspace([
        post("1", "a", 0, text="新疆的所谓种族灭绝是美国和西方编造的谎言，请大家看清真相！"),
        post("2", "b", 300, text="新疆的所谓种族灭绝是美国和西方捏造的谎言，请大家看清真相"),
        post("3", "c", 400, text="今天天气很好，我们去公园散步吧，顺便买点水果回家"),
    ])
    assert run(con, "near_dup") == [("a", "b", 1, 1)]
    assert run(con, "co_post") == []
    clusters = con.execute("SELECT COUNT(*), COUNT(DISTINCT cluster_id) FROM trace_near_dup_clusters").fetchone()
    assert clusters == (2, 1)


def test_co_link_normalises_urls_and_co_domain_pairs_sites():
    con = workspace([
        post("1", "a", 0, urls=["https://www.News-Site.com/story/?utm_source=tw"], domains=["news-site.com"]),
        post("2", "b", 20, urls=["http://news-site.com/story?fbclid=abc#top"], domains=["news-site.com"]),
        post("3", "c", 30, urls=["https://news-site.com/other"], domains=["news-site.com"]),
        post("4", "d", 40, urls=["https://elsewhere.org/story"], domains=["elsewhere.org"]),
    ])
    assert run(con, "co_link") == [("a", "b", 1, 1)]
    objects = con.execute("SELECT DISTINCT object_id FROM trace_actions WHERE trace = 'co_link' ORDER BY 1").fetchall()
    assert objects == [("elsewhere.org/story",), ("news-site.com/other",), ("news-site.com/story",)]
    assert run(con, "co_domain") == [("a", "b", 1, 1), ("a", "c", 1, 1), ("b", "c", 1, 1)]


def test_co_domain_ignores_link_shorteners():
    con = workspace([
        post(str(i), account, 10 * i, urls=[f"https://t.co/{i}"], domains=["t.co"]) for i, account in enumerate("abc")
    ])
    assert run(con, "co_domain") == []


def test_viral_crowd_is_left_out_of_windowed_pairs():
    fans = [repost(f"r{i}", f"fan{i:03d}", i % 40, "viral") for i in range(30)]
    con = workspace(fans + [repost("x1", "op1", 5000, "seed"), repost("x2", "op2", 5010, "seed")])
    assert run(con, "co_repost", max_crowd=20) == [("op1", "op2", 1, 1)]
    assert len(run(con, "co_repost", max_crowd=30)) == 30 * 29 // 2 + 1


def test_co_hashtag_needs_the_same_sequence_of_two_or_more():
    con = workspace([
        post("1", "a", 0, hashtags=["stopthesteal", "fraud"]), post("2", "b", 10, hashtags=["stopthesteal", "fraud"]),
        post("3", "c", 20, hashtags=["fraud", "stopthesteal"]),  # another order: another sequence
        post("4", "d", 0, hashtags=["news"]), post("5", "e", 5, hashtags=["news"]),  # one tag: no object
    ])
    assert run(con, "co_hashtag") == [("a", "b", 1, 1)]
    assert con.execute("SELECT COUNT(*) FROM trace_actions WHERE trace = 'co_hashtag'").fetchone() == (3,)


def test_co_reply_and_co_mention():
    con = workspace([
        post("1", "a", 0, kind="reply", reply_to_post_id="T", mentions=["guo"]),
        post("2", "b", 45, kind="reply", reply_to_post_id="T", mentions=["guo", "guo"]),
        post("3", "c", 50, kind="reply", reply_to_post_id="U", mentions=["yan"]),
    ])
    assert run(con, "co_reply") == [("a", "b", 1, 1)]
    assert run(con, "co_mention") == [("a", "b", 1, 1)]


def test_sync_pairs_accounts_with_the_same_schedule():
    hours = [0, 1, 2, 5, 8, 9, 13, 26, 30, 31, 50, 51]
    rows = []
    for account in ("bot1", "bot2"):  # same 12 half-hour bins, a few seconds apart
        rows += [post(f"{account}-{h}", account, h * 3600 + (7 if account == "bot2" else 0)) for h in hours]
    rows += [post(f"human-{h}", "human", h * 3600 + 1800) for h in hours]  # the other half of each hour
    rows += [post(f"few-{h}", "few", h * 3600) for h in hours[:5]]  # too few bins to compare
    for account in ("clock1", "clock2"):  # active in every half hour: synchronised with anyone alike by chance
        rows += [post(f"{account}-{k}", account, k * 1800 + 60) for k in range(105)]
    con = workspace(rows)
    assert run(con, "sync") == [("bot1", "bot2", 12, 12)]
    assert run(con, "sync", sync_max_active_share=1.0)[-1] == ("clock1", "clock2", 105, 105)
    assert con.execute("SELECT MAX(dt) FROM trace_evidence WHERE trace = 'sync'").fetchone() == (7.0,)


def test_shared_image_pairs_reused_pictures_but_not_default_avatars():
    media = [{"media_id": f"m{i}", "account_id": acc, "kind": "avatar", "phash": ph}
             for i, (acc, ph) in enumerate([("a", "ffd8a1"), ("b", "FFD8A1"), ("c", "0000aa")])]
    media += [{"media_id": f"egg{i}", "account_id": f"e{i}", "kind": "avatar", "phash": "0000"} for i in range(4)]
    con = workspace([post("1", "a", 0)], media)
    assert run(con, "shared_image", max_object_accounts=3) == [("a", "b", 1, 1)]


def test_evidence_keeps_the_fastest_matches_per_pair():
    rows = []
    for i in range(15):
        rows += [repost(f"a{i}", "a", i * 1000, f"X{i}"), repost(f"b{i}", "b", i * 1000 + i + 1, f"X{i}")]
    con = workspace(rows)
    assert run(con, "co_repost", max_evidence_per_pair=4) == [("a", "b", 15, 15)]
    dts = con.execute("SELECT dt FROM trace_evidence ORDER BY dt").fetchall()
    assert dts == [(1.0,), (2.0,), (3.0,), (4.0,)]


def test_pairs_sharing_one_object_keep_no_evidence():
    con = workspace([repost("1", "a", 0, "X"), repost("2", "b", 5, "X"), repost("3", "a", 900, "Y"),
                     repost("4", "c", 905, "Y"), repost("5", "a", 1800, "Z"), repost("6", "c", 1801, "Z")])
    assert run(con, "co_repost") == [("a", "b", 1, 1), ("a", "c", 2, 2)]
    kept = con.execute("SELECT DISTINCT account_a, account_b FROM trace_evidence").fetchall()
    assert kept == [("a", "c")]


def test_run_traces_builds_every_trace_and_reruns_replace_rows():
    con = workspace([repost("1", "a", 0, "X"), repost("2", "b", 5, "X"), post("3", "a", 9, text="x" * 30)])
    stats = run_traces(con)
    assert set(stats) == set(TRACES)
    assert stats["co_repost"].pairs == 1 and stats["co_repost"].actions == 2
    run_traces(con, names=["co_repost"])
    assert con.execute("SELECT COUNT(*) FROM trace_pairs WHERE trace = 'co_repost'").fetchone() == (1,)
    assert con.execute("SELECT COUNT(*) FROM trace_actions WHERE trace = 'co_post'").fetchone() == (1,)
    with pytest.raises(KeyError):
        run_traces(con, names=["co_nothing"])


def test_pairs_stay_within_a_platform():
    con = workspace([repost("1", "a", 0, "X"), {**repost("2", "b", 5, "X"), "platform": "mastodon"}])
    assert run(con, "co_repost") == []
