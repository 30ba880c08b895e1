"""JSON-family readers: X API v2 (twarc2 pages, flattened tweets, twarc-csv), Twitter v1.1, Bluesky Jetstream, Mastodon.

Fixtures under ``tests/fixtures/{x_v2,bluesky,mastodon}`` follow each platform's documented format; Twitter v1.1 is
tested on the real OSoMe and Bot Repository files of ``../shared/data``.
"""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from unmask import Workspace
from unmask.ingest import FormatError, ingest
from unmask.ingest.detect import choose_reader
from unmask.ingest.sample import take_sample
from unmask.ingest.sources import Source

FIXTURES = Path(__file__).parent / "fixtures"
X_PAGES = FIXTURES / "x_v2" / "search.jsonl"
X_FLAT = FIXTURES / "x_v2" / "flat.jsonl"
X_CSV = FIXTURES / "x_v2" / "tweets.csv"
JETSTREAM = FIXTURES / "bluesky" / "jetstream.jsonl"
MASTODON_ARRAY = FIXTURES / "mastodon" / "timeline.json"
MASTODON_LINES = FIXTURES / "mastodon" / "statuses.jsonl"

# (fixture, reader, rows read, stored, quarantined, posts, accounts, media)
FIXTURE_COUNTS = [
    (X_PAGES, "x-v2", 9, 6, 3, 7, 4, 7),
    (X_FLAT, "x-v2", 2, 2, 0, 3, 2, 2),
    (X_CSV, "x-v2", 6, 4, 2, 4, 3, 4),
    (JETSTREAM, "bluesky-jetstream", 16, 14, 2, 6, 4, 5),
    (MASTODON_ARRAY, "mastodon", 6, 5, 1, 5, 3, 5),
    (MASTODON_LINES, "mastodon", 3, 2, 1, 2, 2, 3),
]

# X accounts and tweets of the fixtures
LIWEI, JANE, NEWSDESK, CRITIC = "1288812345678901248", "1419201234567890944", "20536157", "1356789012345678848"
T0, T1, T2, T3 = "1424927401310433281", "1424932040210657282", "1424932061182177283", "1424932744853729284"
T4, T5, T6 = "1424944170137825285", "1425253126764769286", "1425392839031009287"
C1, C2, C3, C4 = "1498568721823969301", "1498568759572705302", "1498573754988769303", "1498585205438689304"

# Bluesky DIDs and URIs of the fixture
TRUTH, PANDA, ZHANG, NEWSWIRE = (
    "did:plc:e7xavwdasttc3mihejiuxaug", "did:plc:hnvqylzet5mqm3iteagihrlz",
    "did:plc:67uyxyiyftts46izwol4pxcp", "did:plc:65voqwvij3yagiq3vfxrglfp",
)
BSKY_POST = f"at://{TRUTH}/app.bsky.feed.post/3lben7n4hk22b"
BSKY_REPOST = f"at://{PANDA}/app.bsky.feed.repost/3lben7ts3i22b"
BSKY_REPLY = f"at://{ZHANG}/app.bsky.feed.post/3lbep264yc22b"
BSKY_QUOTE = f"at://{PANDA}/app.bsky.feed.post/3lbep6ma4422b"
BSKY_LINK = f"at://{NEWSWIRE}/app.bsky.feed.post/3lbesakxf222b"
BSKY_VIDEO = f"at://{TRUTH}/app.bsky.feed.post/3lbevlu6o222b"

# Mastodon statuses of the fixture
S1 = "https://mastodon.social/users/truth_teller/statuses/113520000000000001"
S2 = "https://mstdn.example/users/peacefulpanda/statuses/113519999999999999/activity"
S3 = "https://scholar.social/users/zhang/statuses/113519876543210001"
S4 = "https://mstdn.example/users/peacefulpanda/statuses/113519990000000002"
S5 = "https://mastodon.social/users/truth_teller/statuses/113520000000000300"


def ingest_one(path: Path, case_dir: Path) -> Any:
    [result] = ingest([path], case_dir)
    return result


def query(case_dir: Path, sql: str) -> list[tuple]:
    with Workspace(case_dir) as ws:
        return ws.con.execute(sql).fetchall()


def posts(case_dir: Path) -> dict[str, dict[str, Any]]:
    with Workspace(case_dir) as ws:
        result = ws.con.execute("SELECT * FROM posts")
        names = [column[0] for column in result.description]
        return {row[1]: dict(zip(names, row, strict=True)) for row in result.fetchall()}


def quarantine(case_dir: Path) -> dict[int | None, str]:
    return dict(query(case_dir, "SELECT line, reason FROM quarantine ORDER BY line"))


def counts(case_dir: Path) -> tuple[int, int, int]:
    with Workspace(case_dir) as ws:
        found = ws.counts()
    return found["posts"], found["accounts"], found["media"]


# --- every fixture ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "reader"), [(row[0], row[1]) for row in FIXTURE_COUNTS], ids=lambda v: getattr(v, "name", v))
def test_detection_picks_the_reader(path: Path, reader: str) -> None:
    assert choose_reader(take_sample(Source(path))).name == reader


@pytest.mark.parametrize("row", FIXTURE_COUNTS, ids=lambda row: row[0].name)
def test_counts_are_exact_and_reconcile(row: tuple, case_dir: Path) -> None:
    path, reader, read, stored, quarantined, n_posts, n_accounts, n_media = row
    result = ingest_one(path, case_dir)
    assert (result.format, result.rows_read, result.rows_stored, result.rows_quarantined) == (reader, read, stored, quarantined)
    assert result.rows_read == result.rows_stored + result.rows_quarantined
    assert counts(case_dir) == (n_posts, n_accounts, n_media)
    assert query(case_dir, "SELECT rows_read, rows_stored, rows_quarantined FROM ingest_log") == [(read, stored, quarantined)]
    assert query(case_dir, "SELECT count(*) FROM quarantine") == [(quarantined,)]


@pytest.mark.parametrize("path", [row[0] for row in FIXTURE_COUNTS], ids=lambda p: p.name)
def test_second_ingest_adds_nothing(path: Path, case_dir: Path) -> None:
    ingest_one(path, case_dir)
    before = query(case_dir, "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM accounts), "
                             "(SELECT count(*) FROM media), (SELECT count(*) FROM quarantine)")
    again = ingest_one(path, case_dir)
    assert again.skipped and "already ingested" in again.skipped
    assert query(case_dir, "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM accounts), "
                           "(SELECT count(*) FROM media), (SELECT count(*) FROM quarantine)") == before


@pytest.mark.parametrize("path", [row[0] for row in FIXTURE_COUNTS], ids=lambda p: p.name)
def test_gzip_copy_ingests_the_same(path: Path, tmp_path: Path) -> None:
    packed = tmp_path / f"{path.name}.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    plain, zipped = ingest_one(path, tmp_path / "plain"), ingest_one(packed, tmp_path / "packed")
    assert (zipped.format, zipped.rows_read, zipped.rows_stored, zipped.rows_quarantined) == (
        plain.format, plain.rows_read, plain.rows_stored, plain.rows_quarantined)
    table = "SELECT * EXCLUDE (source_file) FROM posts ORDER BY post_id"
    assert query(tmp_path / "packed", table) == query(tmp_path / "plain", table)
    assert quarantine(tmp_path / "packed") == quarantine(tmp_path / "plain")


# --- X API v2 -----------------------------------------------------------------------------------------------


def test_x_v2_pages_map_tweets_references_and_includes(case_dir: Path) -> None:
    ingest_one(X_PAGES, case_dir)
    found = posts(case_dir)
    assert {pid: p["kind"] for pid, p in found.items()} == {
        T0: "post", T1: "post", T2: "repost", T3: "quote", T4: "reply", T5: "post", T6: "post"}
    original = found[T1]
    assert original["account_id"] == LIWEI and original["lang"] == "zh" and original["client"] == "Twitter Web App"
    assert original["text"].startswith("新疆棉花是世界上最好的棉花！#新疆")
    assert original["created_at"] == datetime(2021, 8, 10, 3, 14, 7)
    assert original["hashtags"] == ["新疆", "stopthelies"]
    assert original["urls"] == ["https://www.example.cn/news/2021/cotton.html?utm_source=twitter"]
    assert original["domains"] == ["example.cn"] and original["mentions"] == [CRITIC]
    assert original["media"] == ["3_1424932040210657380"] and original["source_line"] == 1
    assert (found[T2]["reposted_post_id"], found[T2]["reposted_account_id"]) == (T0, NEWSDESK)
    assert found[T2]["mentions"] == [NEWSDESK] and found[T2]["hashtags"] == ["xinjiang"]
    assert found[T3]["quoted_post_id"] == T1
    assert (found[T4]["reply_to_post_id"], found[T4]["reply_to_account_id"]) == (T1, LIWEI)
    assert found[T0]["urls"] == ["https://news.example.com/world/asia/2021/08/10/xinjiang-cotton"]  # not its video link
    accounts = {row[0]: row[1:] for row in query(
        case_dir, "SELECT account_id, handle, display_name, followers, following, posts_count, verified, created_at FROM accounts")}
    assert accounts[LIWEI] == ("LiWei_Voice88", "李伟", 12, 230, 4118, False, datetime(2020, 7, 30, 12, 1, 44))
    assert accounts[NEWSDESK][5] is True and set(accounts) == {LIWEI, JANE, NEWSDESK, CRITIC}
    media = query(case_dir, "SELECT media_id, kind, post_id, url FROM media WHERE kind <> 'avatar' ORDER BY media_id")
    assert [(m[0], m[1], m[2]) for m in media] == [
        ("16_1425253126764769382", "video", T5), ("3_1424932040210657380", "image", T1), ("7_1424927401310433381", "video", T0)]
    assert media[2][3].endswith("Vid0Thumb.jpg")
    assert query(case_dir, "SELECT count(*) FROM media WHERE kind = 'avatar' AND post_id IS NULL") == [(4,)]


def test_x_v2_bad_lines_are_quarantined_with_line_and_reason(case_dir: Path) -> None:
    ingest_one(X_PAGES, case_dir)
    reasons = quarantine(case_dir)
    assert set(reasons) == {3, 4, 5}
    assert "does not parse as JSON" in reasons[3]
    assert reasons[4] == "unparsable time 'yesterday'"
    assert reasons[5] == "X API error response without data: Could not find user with username: [ghost_account]."
    assert posts(case_dir)[T6]["source_line"] == 4  # the good tweet of the page with a bad one


def test_x_v2_flattened_tweets_carry_their_own_includes(case_dir: Path) -> None:
    ingest_one(X_FLAT, case_dir)
    found = posts(case_dir)
    retweet = found["1426060966492385292"]
    assert retweet["kind"] == "repost" and retweet["reposted_post_id"] == "1426060949715169291"
    assert retweet["reposted_account_id"] == "1290000000000000002" and retweet["hashtags"] == ["usa", "人权"]
    assert found["1426060949715169291"]["text"] == "美国的枪支暴力才是真正的人权问题 #USA #人权"
    link = found["1426079194937569293"]
    assert link["domains"] == ["globalvoice-example.net"] and link["mentions"] == ["1420000000000000001"]


def test_x_v2_user_pages_give_accounts(tmp_path: Path, case_dir: Path) -> None:
    page = json.loads(X_PAGES.read_text(encoding="utf-8").splitlines()[0])
    users = {"data": page["includes"]["users"][:2], "includes": {"tweets": []}, "meta": {"result_count": 2},
             "__twarc": page["__twarc"]}
    path = tmp_path / "followers.jsonl"
    path.write_text(json.dumps(users, ensure_ascii=False) + "\n", encoding="utf-8")
    result = ingest_one(path, case_dir)
    assert (result.format, result.rows_read, result.rows_stored) == ("x-v2", 2, 2)
    assert counts(case_dir) == (0, 2, 2)
    assert query(case_dir, "SELECT handle FROM accounts ORDER BY handle") == [("Jane61839201",), ("NewsDesk",)]


def test_twarc_csv_rows_map_like_the_json(case_dir: Path) -> None:
    ingest_one(X_CSV, case_dir)
    found = posts(case_dir)
    assert {pid: p["kind"] for pid, p in found.items()} == {C1: "post", C2: "repost", C3: "quote", C4: "reply"}
    original = found[C1]
    assert original["text"].startswith("新疆是个好地方！\n#新疆")  # twarc-csv's escaped newline restored
    assert original["hashtags"] == ["新疆", "xinjiang"] and original["mentions"] == ["critic_zhang"]
    assert original["urls"] == ["https://www.example.cn/travel/xinjiang"]  # the pic.twitter.com media link is not a URL
    assert original["media"] == ["3_1498568721823969400"] and original["created_at"] == datetime(2022, 3, 1, 8, 0)
    assert (found[C2]["reposted_post_id"], found[C2]["reposted_account_id"], found[C2]["media"]) == (C1, LIWEI, [])
    assert found[C3]["quoted_post_id"] == C1
    assert (found[C4]["reply_to_post_id"], found[C4]["reply_to_account_id"]) == (C3, CRITIC)
    assert query(case_dir, f"SELECT handle, followers, posts_count FROM accounts WHERE account_id = '{LIWEI}'") == [
        ("LiWei_Voice88", 12, 4118)]
    reasons = quarantine(case_dir)
    assert "Expected Number of Columns" in reasons[6] and reasons[7] == "unparsable time '1 March 2022'"


# --- Twitter v1.1 -------------------------------------------------------------------------------------------


def test_v1_tweet_lines_with_extended_text_media_and_retweet(tmp_path: Path, case_dir: Path) -> None:
    user = {"id": 1288812345678901248, "id_str": "1288812345678901248", "screen_name": "LiWei_Voice88", "name": "李伟",
            "created_at": "Thu Jul 30 12:01:44 +0000 2020", "followers_count": 12, "friends_count": 230,
            "statuses_count": 4118, "profile_image_url_https": "https://pbs.twimg.com/profile_images/1/a_normal.jpg"}
    fan = {**user, "id": 1419201234567890944, "id_str": "1419201234567890944", "screen_name": "Jane61839201"}
    original = {
        "created_at": "Tue Aug 10 03:14:07 +0000 2021", "id": 1424932040210657282, "id_str": "1424932040210657282",
        "text": "新疆棉花是世界上最好的棉花！#新疆 https://t.co/a…", "truncated": True, "user": user, "lang": "zh",
        "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
        "extended_tweet": {
            "full_text": "新疆棉花是世界上最好的棉花！#新疆 详情 https://t.co/AbC @critic_zhang https://t.co/Ph0",
            "entities": {"hashtags": [{"text": "新疆", "indices": [14, 17]}],
                         "urls": [{"url": "https://t.co/AbC", "expanded_url": "https://www.example.cn/cotton"}],
                         "user_mentions": [{"id_str": "1356789012345678848", "screen_name": "critic_zhang"}]},
            "extended_entities": {"media": [{"id_str": "1424932000000000001", "type": "photo",
                                             "media_url_https": "https://pbs.twimg.com/media/E8Y1.jpg"}]}}}
    retweet = {"created_at": "Tue Aug 10 03:14:12 +0000 2021", "id_str": "1424932061182177283", "user": fan,
               "text": "RT @LiWei_Voice88: 新疆棉花是世界上最好的棉花！#新疆 https://t.co/a…", "retweeted_status": original,
               "entities": {"hashtags": [{"text": "新疆"}], "user_mentions": [{"id_str": user["id_str"]}]}}
    reply = {"created_at": "Tue Aug 10 04:02:19 +0800 2021", "id_str": "1424944170137825285", "user": fan,
             "text": "@LiWei_Voice88 对！", "in_reply_to_status_id_str": "1424932040210657282",
             "in_reply_to_user_id_str": "1288812345678901248"}
    path = tmp_path / "stream.jsonl"
    lines = [json.dumps(t, ensure_ascii=False) for t in (retweet, reply)] + ['{"id_str": "1", "user": ', '{"limit": {"track": 12}}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_one(path, case_dir)
    assert (result.format, result.rows_read, result.rows_stored, result.rows_quarantined) == ("twitter-v1", 4, 3, 1)
    found = posts(case_dir)
    assert found["1424932061182177283"]["kind"] == "repost" and found["1424932061182177283"]["media"] == []
    assert found["1424932061182177283"]["reposted_account_id"] == "1288812345678901248"
    kept = found["1424932040210657282"]
    assert kept["text"].endswith("@critic_zhang https://t.co/Ph0") and kept["client"] == "Twitter Web App"
    assert (kept["hashtags"], kept["domains"], kept["mentions"]) == (["新疆"], ["example.cn"], ["1356789012345678848"])
    assert kept["media"] == ["1424932000000000001"]
    assert found["1424944170137825285"]["created_at"] == datetime(2021, 8, 9, 20, 2, 19)  # +0800 to UTC
    assert found["1424944170137825285"]["reply_to_post_id"] == "1424932040210657282"
    assert "does not parse" in quarantine(case_dir)[3]


def test_v1_osome_hashed_concatenated_objects(shared_data: Path, case_dir: Path) -> None:
    path = shared_data / "osome-samples" / "cs4_coretweet_sample.json"
    assert choose_reader(take_sample(Source(path))).name == "twitter-v1"
    result = ingest_one(path, case_dir)
    assert (result.rows_read, result.rows_stored, result.rows_quarantined) == (17, 17, 0)
    assert counts(case_dir) == (25, 23, 25)
    found = posts(case_dir)
    kinds = query(case_dir, "SELECT kind, count(*) FROM posts WHERE source_file IS NOT NULL GROUP BY kind ORDER BY kind")
    assert kinds == [("post", 15), ("quote", 1), ("reply", 1), ("repost", 8)]
    first = found["vDrqI0GVPxRfGTA8S15KaQ"]
    assert (first["kind"], first["reposted_post_id"], first["reposted_account_id"]) == (
        "repost", "XQFFKrN4jekP1eBSssFQsQ", "Se4dPAoIl3l5o6hb7KyBtg")
    assert first["created_at"] == datetime(2017, 4, 9, 2, 0, 59) and first["client"] == "Twitter for Android"
    assert first["account_id"] == "GpiuNvbRtbXwfynWiD_czA" and first["source_line"] == 1
    assert {"instagram.com", "ebay.com"} <= {d for p in found.values() for d in p["domains"]}
    handles = query(case_dir, "SELECT handle FROM accounts WHERE account_id = 'GpiuNvbRtbXwfynWiD_czA'")
    assert handles == [("yR2tVLACDFwL1MmrfHWzSg",)]  # the hashed screen name


def test_v1_osome_toy_without_times(shared_data: Path, case_dir: Path) -> None:
    result = ingest_one(shared_data / "osome-samples" / "cs1_handle_sharing_toy.json", case_dir)
    assert (result.format, result.rows_read, result.rows_stored) == ("twitter-v1", 11, 11)
    assert counts(case_dir) == (11, 8, 0)
    assert query(case_dir, "SELECT count(*) FROM posts WHERE created_at IS NULL") == [(11,)]


@pytest.mark.parametrize(("name", "accounts"), [("botwiki-2019_tweets.json", 698), ("cresci-rtbust-2019_tweets.json", 693)])
def test_v1_bot_repository_user_objects_become_accounts(shared_data: Path, case_dir: Path, name: str, accounts: int) -> None:
    result = ingest_one(shared_data / "bot-repository" / name, case_dir)
    assert (result.format, result.rows_read, result.rows_stored, result.rows_quarantined) == ("twitter-v1", accounts, accounts, 0)
    assert counts(case_dir) == (0, accounts, accounts)
    if name.startswith("botwiki"):
        row = query(case_dir, "SELECT handle, display_name, location, created_at, followers, following, posts_count, "
                              "verified, avatar_url FROM accounts WHERE account_id = '969398693249126400'")
        assert row == [("goth_lyrics", "Random Goth Lyric Generator", "City of Dis", datetime(2018, 3, 2, 2, 27, 13),
                        23, 8, 3792, False,
                        "https://pbs.twimg.com/profile_images/969400516856942593/4HxAYzqC_normal.jpg")]


def test_v1_truncated_array_keeps_the_elements_before_the_cut(shared_data: Path, tmp_path: Path, case_dir: Path) -> None:
    raw = (shared_data / "bot-repository" / "botwiki-2019_tweets.json").read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(raw[: len(raw) // 2])
    result = ingest_one(cut, case_dir)
    assert result.rows_quarantined == 1 and result.rows_stored > 300
    assert result.rows_read == result.rows_stored + result.rows_quarantined
    [(line, reason)] = quarantine(case_dir).items()
    assert line == result.rows_stored + 1 and "reading stopped" in reason


def test_v1_broken_object_among_concatenated_ones_is_skipped(shared_data: Path, tmp_path: Path, case_dir: Path) -> None:
    text = (shared_data / "osome-samples" / "cs4_coretweet_sample.json").read_text(encoding="utf-8")
    objects = text.split("\n{")
    objects[3] = objects[3][: len(objects[3]) // 2]  # the fourth object loses its second half
    broken = tmp_path / "broken.json"
    broken.write_text("\n{".join(objects), encoding="utf-8")
    result = ingest_one(broken, case_dir)
    assert (result.rows_read, result.rows_stored, result.rows_quarantined) == (17, 16, 1)
    [(line, reason)] = quarantine(case_dir).items()
    assert line == 1 + "\n{".join(objects[:3]).count("\n") + 1 and "does not parse" in reason


def test_bot_repository_label_files_are_not_a_data_format(shared_data: Path) -> None:
    labels = Source(shared_data / "bot-repository" / "botwiki-2019.tsv")
    with pytest.raises(FormatError, match="unknown format"):
        choose_reader(take_sample(labels))


# --- Bluesky ------------------------------------------------------------------------------------------------


def test_bluesky_posts_reposts_replies_quotes(case_dir: Path) -> None:
    ingest_one(JETSTREAM, case_dir)
    found = posts(case_dir)
    assert {pid: p["kind"] for pid, p in found.items()} == {
        BSKY_POST: "post", BSKY_REPOST: "repost", BSKY_REPLY: "reply", BSKY_QUOTE: "quote", BSKY_LINK: "post",
        BSKY_VIDEO: "post"}
    post = found[BSKY_POST]
    assert post["account_id"] == TRUTH and post["lang"] == "zh" and post["text"].startswith("新疆的真相")
    assert post["hashtags"] == ["新疆", "stopthelies"] and post["mentions"] == [ZHANG]
    assert post["urls"] == ["https://www.example.cn/truth?utm_source=bsky"] and post["domains"] == ["example.cn"]
    assert post["created_at"] == datetime(2024, 11, 20, 9, 30) and len(post["media"]) == 2
    assert (found[BSKY_REPOST]["reposted_post_id"], found[BSKY_REPOST]["reposted_account_id"]) == (BSKY_POST, TRUTH)
    assert (found[BSKY_REPLY]["reply_to_post_id"], found[BSKY_REPLY]["reply_to_account_id"]) == (BSKY_POST, TRUTH)
    assert found[BSKY_QUOTE]["quoted_post_id"] == BSKY_REPLY and found[BSKY_QUOTE]["hashtags"] == ["disinfo"]
    assert found[BSKY_QUOTE]["created_at"] == datetime(2024, 11, 20, 10, 5, 13)  # written as 18:05:13+08:00
    assert found[BSKY_LINK]["urls"] == ["https://news.example.com/world/xinjiang-cotton"]  # facet and card: once
    assert found[BSKY_VIDEO]["created_at"] == datetime(2024, 11, 20, 12, 0, 3, 4211)  # no createdAt: time_us


def test_bluesky_profiles_identities_and_media(case_dir: Path) -> None:
    ingest_one(JETSTREAM, case_dir)
    accounts = {row[0]: row[1:] for row in query(
        case_dir, "SELECT account_id, handle, display_name, bio, created_at, avatar_url FROM accounts")}
    assert set(accounts) == {TRUTH, PANDA, ZHANG, NEWSWIRE}
    handle, name, bio, created, avatar = accounts[TRUTH]
    assert (handle, name, created) == ("truthteller88.bsky.social", "真相守护者", datetime(2024, 11, 20, 8, 1, 10, 311000))
    assert bio.startswith("热爱和平") and avatar.startswith(f"https://cdn.bsky.app/img/avatar/plain/{TRUTH}/bafkrei")
    assert accounts[PANDA][1] == "Peaceful Panda 🐼" and accounts[ZHANG][0] == "zhangwei-research.bsky.social"
    media = query(case_dir, "SELECT kind, count(*) FROM media GROUP BY kind ORDER BY kind")
    assert media == [("avatar", 1), ("image", 3), ("video", 1)]
    [(video_url,)] = query(case_dir, "SELECT url FROM media WHERE kind = 'video'")
    assert video_url.startswith("https://video.bsky.app/watch/did%3Aplc%3A") and video_url.endswith("/thumbnail.jpg")


def test_bluesky_other_events_are_stored_without_rows_and_bad_ones_quarantined(case_dir: Path) -> None:
    result = ingest_one(JETSTREAM, case_dir)
    assert result.rows_stored == 14  # 6 posts and reposts, 2 profiles, 2 identities, a like, a follow, a delete, an account event
    reasons = quarantine(case_dir)
    assert set(reasons) == {13, 14}
    assert "expected a JSON list, found str" in reasons[13] and "does not parse as JSON" in reasons[14]


# --- Mastodon -----------------------------------------------------------------------------------------------


def test_mastodon_statuses_use_global_ids(case_dir: Path) -> None:
    ingest_one(MASTODON_ARRAY, case_dir)
    found = posts(case_dir)
    assert {pid: p["kind"] for pid, p in found.items()} == {S1: "post", S2: "repost", S3: "reply", S4: "quote", S5: "reply"}
    original = found[S1]
    assert original["account_id"] == "truth_teller@mastodon.social" and original["client"] == "Web"
    assert original["text"].startswith("新疆的真相：棉花田里没有强迫劳动。#新疆 #StopTheLies 详情 https://www.example.cn/truth")
    assert original["hashtags"] == ["新疆", "stopthelies"] and original["mentions"] == ["zhang@scholar.social"]
    assert original["urls"] == ["https://www.example.cn/truth?utm_source=mastodon"]  # not the hashtag or mention links
    assert original["domains"] == ["example.cn"] and original["created_at"] == datetime(2024, 11, 20, 9, 30)
    assert original["media"] == ["113520000000000901"] and original["source_line"] == 5
    assert (found[S2]["reposted_post_id"], found[S2]["reposted_account_id"]) == (S1, "truth_teller@mastodon.social")
    assert (found[S3]["reply_to_post_id"], found[S3]["reply_to_account_id"]) == (S1, "truth_teller@mastodon.social")
    assert found[S4]["quoted_post_id"] == S3 and found[S4]["hashtags"] == ["disinfo"]
    assert (found[S5]["reply_to_post_id"], found[S5]["reply_to_account_id"]) == ("113400000000000777", "109000000000000001")
    assert found[S5]["text"] == "Western media keep lying.\nWho pays them?" and found[S5]["client"] == "Tusky"


def test_mastodon_accounts_media_and_quarantine(case_dir: Path) -> None:
    ingest_one(MASTODON_ARRAY, case_dir)
    accounts = {row[0]: row[1:] for row in query(
        case_dir, "SELECT account_id, handle, display_name, bio, followers, following, posts_count, created_at FROM accounts")}
    assert set(accounts) == {"truth_teller@mastodon.social", "peacefulpanda@mstdn.example", "zhang@scholar.social"}
    assert accounts["zhang@scholar.social"] == (
        "zhang", "Zhang Wei", "Researcher. Xinjiang, supply chains. #OSINT", 4521, 612, 3302, datetime(2022, 11, 2))
    media = query(case_dir, "SELECT media_id, kind, url FROM media WHERE kind <> 'avatar' ORDER BY media_id")
    assert [(m[0], m[1]) for m in media] == [("113520000000000901", "image"), ("113520000000000955", "video")]
    assert media[1][2].endswith("/small/liar.png")  # a GIF by its preview image
    assert query(case_dir, "SELECT count(*) FROM media WHERE kind = 'avatar'") == [(3,)]
    assert quarantine(case_dir) == {6: "unexpected structure (TypeError: expected a JSON object, found str)"}


def test_mastodon_json_lines_resolve_replies_to_later_lines(case_dir: Path) -> None:
    ingest_one(MASTODON_LINES, case_dir)
    found = posts(case_dir)
    assert found[S3]["source_line"] == 1 and found[S3]["reply_to_post_id"] == S1
    assert "does not parse as JSON" in quarantine(case_dir)[3]


# --- hostile input ------------------------------------------------------------------------------------------


HOSTILE_RECORDS: list[object] = [
    None, 7, "text", [], {}, [1, {"id": "x"}], {"id": {"nested": 1}, "text": "t", "author_id": "1"},
    {"data": "x", "meta": {}}, {"data": [None, 5, {"id": "9"}]}, {"did": 5, "time_us": "soon", "kind": "commit"},
    {"did": "did:plc:x", "time_us": 1, "kind": "commit", "commit": {"operation": "create", "collection":
     "app.bsky.feed.post", "rkey": "r", "record": {"text": ["a"], "embed": "img", "reply": 3}}},
    {"uri": {}, "content": 5, "account": {"acct": []}}, {"user": "someone", "id_str": "1"},
    {"id_str": "2", "user": {"id_str": "3", "screen_name": "a"}, "entities": {"urls": "http://x"}},
]


@pytest.mark.parametrize("path", [X_PAGES, X_FLAT, JETSTREAM, MASTODON_LINES], ids=lambda p: p.name)
def test_hostile_records_never_crash_a_reader(path: Path, tmp_path: Path, case_dir: Path) -> None:
    hostile = tmp_path / path.name
    first = path.read_text(encoding="utf-8").splitlines()[0]
    hostile.write_text("\n".join([first, *(json.dumps(r) for r in HOSTILE_RECORDS), "{\"cut"]) + "\n", encoding="utf-8")
    result = ingest_one(hostile, case_dir)
    assert result.format == ingest_one(path, tmp_path / "reference").format
    assert result.rows_read == result.rows_stored + result.rows_quarantined
    assert result.rows_quarantined >= len(HOSTILE_RECORDS) - 3  # a few odd lines are valid empty pages or notices


def test_hostile_array_elements_never_crash_the_v1_and_mastodon_readers(tmp_path: Path, case_dir: Path) -> None:
    statuses = json.loads(MASTODON_ARRAY.read_text(encoding="utf-8"))[:1]
    array = tmp_path / "hostile.json"
    array.write_text(json.dumps(statuses + HOSTILE_RECORDS), encoding="utf-8")
    result = ingest_one(array, case_dir)
    assert result.format == "mastodon" and result.rows_stored == 1
    assert result.rows_quarantined == len(HOSTILE_RECORDS)
    v1 = tmp_path / "v1.json"
    v1.write_text(json.dumps([{"id_str": "5", "user": {"id_str": "6", "screen_name": "b"}}, *HOSTILE_RECORDS]))
    result = ingest_one(v1, tmp_path / "v1case")
    assert result.format == "twitter-v1" and result.rows_read == result.rows_stored + result.rows_quarantined


def test_deeply_nested_records_are_quarantined_not_fatal(tmp_path: Path, case_dir: Path) -> None:
    deep = "[" * 1000 + "]" * 1000
    events = tmp_path / "deep.jsonl"
    first = JETSTREAM.read_text(encoding="utf-8").splitlines()[0]
    events.write_text(first + '\n{"did": "did:plc:x", "time_us": 1, "kind": "commit", "commit": {"operation": "create", '
                      '"collection": "app.bsky.feed.post", "rkey": "r", "record": {"facets": ' + deep + "}}}\n")
    result = ingest_one(events, case_dir)
    assert (result.rows_read, result.rows_stored, result.rows_quarantined) == (2, 1, 1)
    tweets = tmp_path / "deep.json"
    tweet = '{"id_str": "1",\n "user": {"id_str": "2", "screen_name": "a"}}\n'
    tweets.write_text(tweet + '{"x": ' + "[" * 5000 + "]" * 5000 + "}\n" + tweet.replace('"1"', '"3"'), encoding="utf-8")
    result = ingest_one(tweets, tmp_path / "v1case")
    assert (result.format, result.rows_read, result.rows_stored, result.rows_quarantined) == ("twitter-v1", 3, 2, 1)
    assert "nested too deeply" in quarantine(tmp_path / "v1case")[3]


def test_folder_of_fixtures_reads_every_file(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for path in (X_PAGES, JETSTREAM, MASTODON_ARRAY):
        shutil.copy(path, folder / path.name)
    results = ingest([folder], tmp_path / "case")
    assert sorted((Path(r.file).name, r.format) for r in results) == [
        ("jetstream.jsonl", "bluesky-jetstream"), ("search.jsonl", "x-v2"), ("timeline.json", "mastodon")]
