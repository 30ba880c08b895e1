"""Readers of research and export formats: IRA (CSV and Parquet), CooRTweet, QUT, CrowdTangle, Telegram, and
generic files read through a mapping."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from unmask import Workspace
from unmask.ingest import FileResult, FormatError, ingest
from unmask.ingest.bulk import sql_hashtags_in, sql_list, sql_mentions_in, sql_text_object_id, sql_time, sql_urls_in
from unmask.ingest.values import hashtags_in, mentions_in, parse_list, parse_time, text_object_id, urls_in

FIXTURES = Path(__file__).parent / "fixtures"
CROWDTANGLE = FIXTURES / "crowdtangle"
TELEGRAM = FIXTURES / "telegram"
GENERIC = FIXTURES / "generic"

IRA_AUTHORS = (
    "AndyHashtagger", "Aiden7757", "AntieHarmon", "DaileyJadon", "hipppo_", "SophieKole", "ashleysimpsn",
    "KL_Spen", "Paige_Jam",
)
"""Accounts whose 19,435 tweets include four retweets of @AndyHashtagger tweets that are in the data too."""


def run(paths: list[Path], case: Path, **options: object) -> list[FileResult]:
    results = ingest(paths, case, **options)  # type: ignore[arg-type]
    for result in results:
        assert result.rows_read == result.rows_stored + result.rows_quarantined
    return results


def query(case: Path, sql: str, params: list | None = None) -> list[tuple]:
    with Workspace(case) as ws:
        return ws.con.execute(sql, params or []).fetchall()


def reasons(case: Path) -> dict[int, str]:
    return dict(query(case, "SELECT line, reason FROM quarantine ORDER BY line"))


def counts(result: FileResult) -> tuple[str, int, int, int]:
    return result.format, result.rows_read, result.rows_stored, result.rows_quarantined


# --- detection and the contract every reader keeps ------------------------------------------------------------

SHIPPED = [
    (CROWDTANGLE / "facebook_pages.csv", "crowdtangle-facebook"),
    (CROWDTANGLE / "instagram_accounts.csv", "crowdtangle-instagram"),
    (TELEGRAM / "channel_export" / "result.json", "telegram"),
    (TELEGRAM / "account_export" / "result.json", "telegram"),
]


@pytest.mark.parametrize("path, fmt", SHIPPED, ids=lambda v: v if isinstance(v, str) else v.parent.name + "/" + v.name)
def test_fixtures_are_detected_and_reingesting_adds_nothing(path: Path, fmt: str, case_dir: Path) -> None:
    [first] = run([path], case_dir)
    before = query(case_dir, "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM accounts), "
                             "(SELECT count(*) FROM media), (SELECT count(*) FROM quarantine)")
    [again] = run([path], case_dir)
    assert first.format == fmt and first.skipped is None
    assert again.skipped and "already ingested" in again.skipped
    assert query(case_dir, "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM accounts), "
                           "(SELECT count(*) FROM media), (SELECT count(*) FROM quarantine)") == before


def test_forcing_a_format_on_a_file_without_its_columns_names_found_and_needed(case_dir: Path) -> None:
    with pytest.raises(FormatError) as error:
        ingest([CROWDTANGLE / "instagram_accounts.csv"], case_dir, fmt="crowdtangle-facebook")
    message = str(error.value)
    assert "missing facebook id" in message and "found columns account, user name" in message
    assert "needs facebook id, post created" in message
    with pytest.raises(FormatError, match="missing message_id, user_id, timestamp; found columns page name"):
        ingest([CROWDTANGLE / "facebook_pages.csv"], case_dir, fmt="qut")
    with pytest.raises(FormatError, match=re.escape("missing messages | chats.list")):
        ingest([GENERIC / "shares.jsonl"], case_dir, fmt="telegram")


def test_sql_and_python_text_helpers_agree() -> None:
    texts = [
        "RT @Ten_GOP: Hallo #Welt #新疆 http://t.co/abc). and @Foo_bar x@y https://EXAMPLE.com/a?b=1, done",
        "  Два  пробела\tи #Россия\n@ВсемПривет ##double a#b &#39; #émeute",
        "新疆棉花是世界上最好的棉花！ #新疆 #棉花 感谢 @TruthSeekers",
        "",
    ]
    con = duckdb.connect()
    for text in texts:
        sql = con.execute(
            f"SELECT {sql_text_object_id('$t')}, {sql_hashtags_in('$t')}, {sql_mentions_in('$t')}, {sql_urls_in('$t')}",
            {"t": text},
        ).fetchone()
        assert sql == (text_object_id(text), hashtags_in(text), mentions_in(text), urls_in(text))



def test_sql_list_and_time_parsers_agree_with_python() -> None:
    lists = [str(["a", "b c"]), str(["Don't", "b"]), str(["新疆", "棉花"]), "[]", str(["https://t.co/x?a=1"])]
    times = ["2016-01-01 00:37", "2016-01-01 00:37:05", "2016-01-01T00:37:05", "2016-01-01",
             "2019-07-11T13:05:00+02:00", "Wed May 15 16:00:19 +0000 2019"]
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for text in lists:
        assert con.execute(f"SELECT {sql_list('$t')}", {"t": text}).fetchone()[0] == parse_list(text), text
    for text in times:
        assert con.execute(f"SELECT {sql_time('$t')}", {"t": text}).fetchone()[0] == parse_time(text), text


# --- IRA -------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ira_files(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A slice of the IRA release as Parquet, and the same rows in the FiveThirtyEight CSV layout plus bad rows."""
    folder = tmp_path_factory.mktemp("ira")
    parquet, csv = folder / "ira_slice.parquet", folder / "IRAhandle_tweets_1.csv"
    con = duckdb.connect()
    con.execute(
        f"""
        CREATE TABLE slice AS
        SELECT *, row_number() OVER () AS n
        FROM read_parquet('{shared_data / 'ira' / 'ira_tweets.parquet'}')
        WHERE author_id IN ({', '.join(f"'{a}'" for a in IRA_AUTHORS)})
        """
    )
    con.execute(f"COPY (SELECT * EXCLUDE (n) FROM slice ORDER BY n) TO '{parquet}' (FORMAT parquet)")
    con.execute(
        f"""
        COPY (
            SELECT external_author_id, upper(author_id) AS author, content, region, language,
                   strftime(publish_date, '%-m/%-d/%Y %H:%M') AS publish_date,
                   strftime(harvested_date, '%-m/%-d/%Y %H:%M') AS harvested_date, following, followers, updates,
                   CASE post_type WHEN 'R' THEN 'RETWEET' WHEN 'Q' THEN 'QUOTE_TWEET' ELSE '' END AS post_type,
                   account_type, retweet, account_category, new_june_2018, external_author_id AS alt_external_id,
                   CASE WHEN n % 10 <> 0 THEN 900000000000000000 + n END AS tweet_id,
                   CASE WHEN n % 10 <> 0 THEN 'https://twitter.com/' || external_author_id || '/statuses/'
                        || (900000000000000000 + n) END AS article_url,
                   CASE WHEN n = 7 THEN 'https://www.breitbart.com/politics/2016/' END AS tco1_step1,
                   NULL AS tco2_step1, NULL AS tco3_step1
            FROM slice ORDER BY n
        ) TO '{csv}' (HEADER, DELIMITER ',')
        """
    )
    with open(csv, "a", encoding="utf-8") as out:
        out.write("2532336411,ANDYHASHTAGGER,A tweet with no time,United States,English,,,1,2,3,,Right,0,"
                  "HashtagGamer,0,,,,,,\n")
        out.write(",,A tweet with no author,United States,English,1/2/2016 10:00,1/2/2016 10:00,1,2,3,,Right,0,"
                  "HashtagGamer,0,,,,,,\n")
        out.write("2532336411,ANDYHASHTAGGER,too few columns\n")
    return parquet, csv


def test_ira_parquet_maps_accounts_kinds_and_derived_ids(ira_files: tuple[Path, Path], case_dir: Path) -> None:
    parquet, _ = ira_files
    [result] = run([parquet], case_dir)
    assert counts(result) == ("ira-tweets", 19_435, 19_435, 0)
    assert query(case_dir, "SELECT kind, count(*) FROM posts GROUP BY kind ORDER BY kind") == [
        ("post", 7_366), ("quote", 281), ("repost", 11_788)]
    accounts = query(case_dir, "SELECT account_id, handle, followers, posts_count, lang FROM accounts ORDER BY 1")
    assert [a[0] for a in accounts] == sorted(a.lower() for a in IRA_AUTHORS)
    assert ("andyhashtagger", "AndyHashtagger", 23_559, 13_921, "en") in accounts  # at the latest tweet
    # the derived id: MD5 of (lower-case author, time, text); exact repeats numbered from -2 in file order
    repeats = query(case_dir, "SELECT post_id FROM posts WHERE post_id LIKE '%-%' ORDER BY source_line")
    assert len(repeats) == 2 and all(p[0].endswith("-2") for p in repeats)
    [(first,)] = query(case_dir, "SELECT post_id FROM posts WHERE source_line = 1")
    [(digest,)] = duckdb.execute(
        "SELECT md5(concat_ws(chr(31), lower(author_id), strftime(publish_date, '%Y-%m-%d %H:%M:%S'), content)) "
        f"FROM read_parquet('{parquet}') LIMIT 1").fetchall()
    assert first == digest
    # publish_date is minute-resolution UTC and stays as it is
    assert query(case_dir, "SELECT min(created_at), max(created_at) FROM posts") == duckdb.execute(
        f"SELECT min(publish_date), max(publish_date) FROM read_parquet('{parquet}')").fetchall()


def test_ira_retweets_link_to_the_original_when_it_is_in_the_data(ira_files: tuple[Path, Path], case_dir: Path) -> None:
    run([ira_files[0]], case_dir)
    linked = query(case_dir, """
        SELECT r.account_id, r.reposted_account_id, o.account_id, o.kind, substr(r.text, length('RT @AndyHashtagger: ') + 1) = o.text
        FROM posts r JOIN posts o ON o.post_id = r.reposted_post_id ORDER BY r.account_id""")
    assert linked == [(a, "andyhashtagger", "andyhashtagger", "post", True)
                      for a in ("aiden7757", "antieharmon", "daileyjadon", "hipppo_")]
    elsewhere = query(case_dir, """
        SELECT text, reposted_post_id FROM posts
        WHERE kind = 'repost' AND reposted_account_id = 'danageezus' ORDER BY source_line""")
    assert len(elsewhere) == 3
    for text, object_id in elsewhere:
        assert object_id == text_object_id(text.split(": ", 1)[1])
    # most retweets carry the original text without "RT @handle:": their author is unknown
    assert query(case_dir, "SELECT count(*), count(reposted_account_id) FROM posts WHERE kind = 'repost'") == [(11_788, 60)]
    [(no_prefix,)] = query(case_dir, "SELECT count(*) FROM posts WHERE kind = 'repost' AND text NOT LIKE 'RT @%' "
                                     "AND reposted_post_id = 'text:' || md5(lower(trim(text)))")
    assert no_prefix > 9_000


def test_ira_csv_layout_reads_like_the_parquet_and_quarantines_bad_rows(ira_files: tuple[Path, Path], tmp_path: Path) -> None:
    parquet, csv = ira_files
    [from_parquet] = run([parquet], tmp_path / "parquet")
    [from_csv] = run([csv], tmp_path / "csv")
    assert counts(from_csv) == ("ira-tweets", 19_438, 19_435, 3)
    same = "SELECT account_id, created_at, kind, text, reposted_account_id, hashtags, mentions, lang FROM posts ORDER BY ALL"
    assert query(tmp_path / "csv", same) == query(tmp_path / "parquet", same)
    assert query(tmp_path / "csv", "SELECT account_id, handle FROM accounts WHERE account_id = 'andyhashtagger'") == [
        ("andyhashtagger", "ANDYHASHTAGGER")]
    bad = reasons(tmp_path / "csv")
    assert bad[19_437] == "unparsable publish_date (empty)"
    assert bad[19_438] == "missing author"
    assert "21" in bad[19_439] and "3" in bad[19_439]  # expected 21 columns, found 3
    # tweet_id is the post id when present, the derived id otherwise; links go to the original's tweet_id
    ids = query(tmp_path / "csv", "SELECT count(*) FILTER (WHERE post_id LIKE '9000%'), count(*) FROM posts")
    assert ids == [(17_492, 19_435)]
    assert query(tmp_path / "csv", "SELECT count(*) FROM posts r JOIN posts o ON o.post_id = r.reposted_post_id") == [(4,)]
    assert query(tmp_path / "csv", "SELECT urls, domains FROM posts WHERE source_line = 8") == [
        (["https://www.breitbart.com/politics/2016/"], ["breitbart.com"])]


def test_ira_account_ties_resolve_the_same_way_every_run(ira_files: tuple[Path, Path], tmp_path: Path) -> None:
    """Four tweets in the same minute, two English and two Russian: the latest line wins, and the tie in
    languages goes to the greater code, whatever the thread timing."""
    tied = tmp_path / "tied.parquet"
    duckdb.execute(f"""
        COPY (SELECT * REPLACE (TIMESTAMP '2017-01-02 14:39' AS publish_date, 100 + n AS followers,
                                CASE WHEN n % 2 = 0 THEN 'English' ELSE 'Russian' END AS language)
              FROM (SELECT *, row_number() OVER () AS n FROM read_parquet('{ira_files[0]}')
                    WHERE author_id = 'KL_Spen' LIMIT 4) ORDER BY n)
        TO '{tied}' (FORMAT parquet)""")
    for attempt in range(3):
        run([tied], tmp_path / f"case{attempt}")
        assert query(tmp_path / f"case{attempt}", "SELECT followers, lang FROM accounts") == [(104, "ru")]


# --- CooRTweet ---------------------------------------------------------------------------------------------------

def test_coortweet_shares_become_reposts_of_the_shared_object(shared_data: Path, case_dir: Path) -> None:
    [result] = run([shared_data / "coortweet" / "russian_coord_tweets.csv"], case_dir)
    assert counts(result) == ("coortweet", 35_125, 35_085, 40)
    assert query(case_dir, "SELECT platform, kind, count(*), count(DISTINCT account_id) FROM posts GROUP BY ALL") == [
        ("unknown", "repost", 35_085, 9_509)]
    assert query(case_dir, "SELECT post_id, account_id, reposted_post_id, created_at FROM posts WHERE source_line = 2") == [
        ("114e22f1b2b648528277b76f0b0224e7", "0fb4232d1b7b37069c13ee17579bd10e", "85d2d12251a735ce05255061f7f231e2",
         datetime(2021, 6, 16, 22, 4, 51))]
    assert all("duplicate post id" in reason for reason in reasons(case_dir).values())
    assert query(case_dir, "SELECT count(*) FROM accounts") == [(9_509,)]


def test_coortweet_multi_object_rows_merge_into_posts_with_urls_tags_and_images(shared_data: Path, case_dir: Path) -> None:
    [result] = run([shared_data / "coortweet" / "german_elections.parquet"], case_dir)
    assert counts(result) == ("coortweet-objects", 218_971, 194_791, 24_180)
    assert query(case_dir, "SELECT platform, count(*) FROM posts GROUP BY 1 ORDER BY 1") == [
        ("facebook", 81_566), ("twitter", 112_757)]
    assert query(case_dir, "SELECT account_id, urls, domains, hashtags, media, created_at FROM posts "
                           "WHERE platform = 'twitter' AND post_id = '30127'") == [
        ("tw_28119", ["21108"], ["2243"], [], ["19488", "29343", "36375"], datetime(2021, 9, 17, 12, 8, 49))]
    assert query(case_dir, "SELECT media_id, kind, phash FROM media WHERE post_id = '30127' ORDER BY 1") == [
        (p, "image", p) for p in ("19488", "29343", "36375")]
    bad = reasons(case_dir)
    assert sum(r == "missing post_id" for r in bad.values()) == 3
    assert sum(r.startswith("repeats line") for r in bad.values()) == 24_177
    assert query(case_dir, "SELECT count(*) FROM accounts") == [(58_314,)]  # 3 appear only on refused rows


# --- QUT -------------------------------------------------------------------------------------------------------

def test_qut_fixture_with_bom_reads_seconds_from_zero(shared_data: Path, case_dir: Path) -> None:
    [result] = run([shared_data / "qut-fixtures" / "coretweet_test_input.csv"], case_dir)
    assert counts(result) == ("qut", 15, 15, 0)
    first = query(case_dir, "SELECT post_id, account_id, kind, reposted_post_id, created_at FROM posts ORDER BY source_line LIMIT 3")
    assert first == [("0", "uid0", "repost", "rtid0", datetime(1970, 1, 1, 0, 0)),
                     ("1", "uid1", "repost", "rtid0", datetime(1970, 1, 1, 0, 0, 59)),
                     ("2", "uid2", "repost", "rtid1", datetime(1970, 1, 1, 0, 1))]
    assert query(case_dir, "SELECT account_id, handle FROM accounts WHERE account_id = 'uid0'") == [("uid0", "username0")]


def test_qut_list_urls_fractional_seconds_and_authors_of_reposted_messages(shared_data: Path, case_dir: Path) -> None:
    [result] = run([shared_data / "qut-fixtures" / "sample_data.csv"], case_dir)
    assert counts(result) == ("qut", 100, 100, 0)
    assert query(case_dir, "SELECT kind, count(*) FROM posts GROUP BY 1 ORDER BY 1") == [
        ("post", 58), ("reply", 15), ("repost", 27)]
    assert query(case_dir, "SELECT urls, domains, created_at, reposted_post_id, reposted_account_id FROM posts WHERE post_id = '2'") == [
        (["http://example.com/4", "http://example.com/6"], ["example.com"], datetime(2020, 11, 27, 4, 26, 10, 518142), "1", "4")]


def test_qut_bad_rows_are_quarantined(tmp_path: Path, case_dir: Path) -> None:
    path = tmp_path / "qut.csv"
    path.write_text(
        "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
        "1,7,alice,,,hello #World @Bob,1606451170.5,http://a.example/x https://www.b.example/y\n"
        ",7,alice,,,no id,1606451171,\n"
        "3,7,alice,,,bad time,soon,\n"
        "4,8,bob,1,,too,few\n"
        "5,8,bob,,1,broken list,1606451172,\"['http://a.example\"\n",
        encoding="utf-8",
    )
    [result] = run([path], case_dir)
    assert counts(result) == ("qut", 5, 1, 4)
    assert query(case_dir, "SELECT urls, domains, hashtags, mentions FROM posts") == [
        (["http://a.example/x", "https://www.b.example/y"], ["a.example", "b.example"], ["world"], ["bob"])]
    bad = reasons(case_dir)
    assert bad[3] == "missing message_id" and bad[4] == "unparsable timestamp soon"
    assert "8" in bad[5] and "7" in bad[5]  # expected 8 columns, found 7
    assert bad[6] == "unparsable list in urls"


# --- CrowdTangle -------------------------------------------------------------------------------------------------

def test_crowdtangle_facebook_export(case_dir: Path) -> None:
    [result] = run([CROWDTANGLE / "facebook_pages.csv"], case_dir)
    assert counts(result) == ("crowdtangle-facebook", 9, 5, 4)
    posts = {row[0]: row[1:] for row in query(case_dir, """
        SELECT post_id, account_id, created_at, kind, urls, domains, hashtags FROM posts""")}
    assert posts["283920174638291"] == (
        "104839201938475", datetime(2021, 3, 1, 19, 3, 5), "post",
        ["https://www.harmony-news.net/xinjiang/facts-2021?utm_source=fb"], ["harmony-news.net"], ["xinjiang", "stopthelies"])
    # EDT in July is UTC-4; a photo's link to itself is not a shared link
    assert posts["283999911111111"] == ("104839201938475", datetime(2021, 7, 4, 13, 30), "post", [], [], ["新疆", "棉花"])
    assert posts["3019283746501928"][0] == "2847561029384756"  # a group post: /groups/ID/permalink/ID
    assert posts["3019283746501928"][4] == ["youtu.be"]
    assert "104839201938475_20210301T190500" in posts  # no URL: Facebook Id + UTC time
    assert query(case_dir, "SELECT text FROM posts WHERE post_id = '398472615243901'") == [
        ("Everyone needs to see this.\nShare before they delete it! #StopTheLies",)]
    assert query(case_dir, "SELECT account_id, handle, display_name, bio, location, created_at, followers FROM accounts ORDER BY 1") == [
        ("104839201938475", "GlobalHarmonyTimes", "Global Harmony Times", "Truth about China, for the world.", "HK",
         datetime(2020, 6, 11, 4, 12, 33), 23_530),
        ("110293847562019", "truthseekersalliance", "Truth Seekers Alliance", "Independent voices.", "US",
         datetime(2021, 1, 20, 18, 44, 2), 6_004),
        ("2847561029384756", None, "Patriots for Peace", None, "US", None, 41_872)]
    assert reasons(case_dir) == {
        7: reasons(case_dir)[7], 8: "unparsable Post Created last Tuesday", 9: "missing Facebook Id",
        10: "unparsable Post Created 2021-03-04 10:00:00 XST"}
    assert "40" in reasons(case_dir)[7] and "5" in reasons(case_dir)[7]  # expected 40 columns, found 5


def test_crowdtangle_instagram_export(case_dir: Path) -> None:
    [result] = run([CROWDTANGLE / "instagram_accounts.csv"], case_dir)
    assert counts(result) == ("crowdtangle-instagram", 4, 3, 1)
    assert query(case_dir, "SELECT post_id, account_id, created_at, text, urls, hashtags, mentions, media FROM posts ORDER BY source_line") == [
        ("CLx5Zt9hKqV", "lily.chen.daily", datetime(2021, 3, 1, 19, 3, 5),
         "Beautiful day in Urumqi ☀️ #xinjiang #travel @globalharmonytimes https://harmony-news.net/travel",
         ["https://harmony-news.net/travel"], ["xinjiang", "travel"], ["globalharmonytimes"], ["CLx5Zt9hKqV/photo"]),
        ("CLx5aB2hQwe", "markdavies_77", datetime(2021, 3, 1, 19, 3, 41), "Same view, same day. #Xinjiang #Travel",
         [], ["xinjiang", "travel"], [], ["CLx5aB2hQwe/photo"]),
        ("CL9aaaaaaaa", "markdavies_77", datetime(2021, 3, 5, 10, 0), "The truth about cotton", [], [], [],
         ["CL9aaaaaaaa/photo"])]
    assert query(case_dir, "SELECT media_id, kind, url LIKE 'https://scontent-%' FROM media ORDER BY 1")[0] == (
        "CL9aaaaaaaa/photo", "image", True)
    assert query(case_dir, "SELECT account_id, handle, display_name, followers FROM accounts ORDER BY 1") == [
        ("lily.chen.daily", "lily.chen.daily", "Lily Chen 陈丽", 1_208), ("markdavies_77", "markdavies_77", "Mark Davies", 90)]
    assert reasons(case_dir) == {5: "missing User Name"}


# --- Telegram ------------------------------------------------------------------------------------------------------

def test_telegram_channel_export(case_dir: Path) -> None:
    [result] = run([TELEGRAM / "channel_export" / "result.json"], case_dir)
    assert counts(result) == ("telegram", 8, 7, 1)  # the service message is stored without a post
    posts = {row[0]: row[1:] for row in query(case_dir, """
        SELECT post_id, account_id, created_at, kind, reposted_post_id, reposted_account_id, reply_to_post_id,
               reply_to_account_id, urls, domains, hashtags, mentions, media FROM posts""")}
    assert sorted(posts) == [f"1503928471/{i}" for i in (2, 3, 4, 5, 6, 8)]
    # date_unixtime is UTC; the export's "date" is the exporting machine's clock (here UTC+8)
    assert posts["1503928471/2"][:2] == ("channel1503928471", datetime(2021, 3, 1, 14, 3, 5))
    assert posts["1503928471/2"][7:10] == (["https://www.harmony-news.net/xinjiang/facts-2021"], ["harmony-news.net"], ["xinjiang"])
    assert posts["1503928471/3"][9:] == (["新疆", "棉花"], ["truthseekers"], ["1503928471/3/photo"])
    forward = posts["1503928471/4"]
    assert forward[2:4] == ("forward", text_object_id("Share before they delete it! #StopTheLies Full story"))
    assert forward[4] == "truth seekers alliance" and forward[7] == ["https://bit.ly/3xQ9abc"]
    assert posts["1503928471/5"][2] == "reply" and posts["1503928471/5"][5:7] == ("1503928471/2", "channel1503928471")
    assert posts["1503928471/6"][1] == datetime(2021, 3, 2, 0, 0)  # no date_unixtime: "date" as written
    media = query(case_dir, "SELECT media_id, kind, local_path FROM media ORDER BY 1")
    assert media[0][:2] == ("1503928471/3/photo", "image")
    assert Path(media[0][2]) == (TELEGRAM / "channel_export" / "photos" / "photo_3@01-03-2021_22-10-00.jpg").resolve()
    assert media[1] == ("1503928471/8/video", "video", None)  # the export left the file out
    assert reasons(case_dir) == {7: "unparsable time 'not a date'"}
    assert query(case_dir, "SELECT account_id, display_name FROM accounts") == [("channel1503928471", "Global Harmony Times")]


def test_telegram_full_account_export(case_dir: Path) -> None:
    [result] = run([TELEGRAM / "account_export" / "result.json"], case_dir)
    assert counts(result) == ("telegram", 7, 5, 2)
    assert query(case_dir, """
        SELECT post_id, account_id, kind, reposted_account_id, reply_to_post_id, reply_to_account_id, mentions, hashtags
        FROM posts ORDER BY source_line""") == [
        ("1766540021/102", "user5512093847", "post", None, None, None, [], ["xinjiang"]),
        ("1766540021/103", "user5512093847", "forward", "channel1503928471", None, None, [], ["xinjiang"]),
        ("1766540021/104", "user6620184472", "reply", None, "1766540021/102", "user5512093847", ["user5512093847"], ["新疆"]),
        ("6620184472/9001", "user6620184472", "post", None, None, None, [], [])]
    assert reasons(case_dir) == {5: "missing message id", 6: "missing from_id"}
    assert query(case_dir, "SELECT account_id, display_name FROM accounts ORDER BY 1") == [
        ("user5512093847", "Mark Davies"), ("user6620184472", "Lily Chen 陈丽")]


def test_telegram_broken_document_is_quarantined_whole(tmp_path: Path, case_dir: Path) -> None:
    whole = (TELEGRAM / "channel_export" / "result.json").read_text(encoding="utf-8")
    path = tmp_path / "result.json"
    path.write_text(whole[: len(whole) // 2], encoding="utf-8")
    [result] = run([path], case_dir)
    assert counts(result) == ("telegram", 1, 0, 1)
    [(line, reason)] = query(case_dir, "SELECT line, reason FROM quarantine")
    assert line is None and reason.startswith("JSON document does not parse")


# --- generic, with a mapping ---------------------------------------------------------------------------------------

def test_generic_csv_with_time_format_and_zone(case_dir: Path) -> None:
    [result] = run([GENERIC / "messages.csv"], case_dir, mapping=GENERIC / "messages.toml")
    assert counts(result) == ("generic", 8, 4, 4)
    assert query(case_dir, """
        SELECT platform, post_id, account_id, created_at, kind, reposted_post_id, reply_to_post_id, domains, hashtags, mentions
        FROM posts ORDER BY source_line""") == [
        ("telegram", "5001", "u1001", datetime(2021, 3, 1, 14, 3), "post", None, None, ["harmony-news.net"],
         ["xinjiang", "stopthelies"], []),
        ("telegram", "5002", "u1002", datetime(2021, 3, 1, 14, 3), "repost", "5001", None, ["bit.ly", "harmony-news.net"],
         ["新疆"], []),
        ("telegram", "5003", "u1003", datetime(2021, 3, 1, 14, 4), "reply", None, "5001", [], [], ["harmony_news"]),
        ("telegram", "5008", "u1004", datetime(2021, 7, 1, 8, 5), "repost", "5001", None, [], ["xinjiang"], [])]
    bad = reasons(case_dir)
    assert bad[5] == "unparsable created_at yesterday" and bad[6] == "missing account_id"
    assert "9" in bad[7] and "4" in bad[7] and bad[8] == "unparsable list in urls, hashtags"
    assert query(case_dir, "SELECT account_id, handle FROM accounts ORDER BY 1")[0] == ("u1001", "harmony_news")


def test_generic_json_lines_with_dotted_paths_and_derived_ids(case_dir: Path) -> None:
    [result] = run([GENERIC / "shares.jsonl"], case_dir, mapping=GENERIC / "shares.toml")
    assert counts(result) == ("generic", 7, 5, 2)
    posts = query(case_dir, "SELECT post_id, account_id, created_at, kind, reposted_post_id FROM posts ORDER BY source_line")
    assert [p[2] for p in posts] == [datetime(2021, 3, 1, 14, 3, 5), datetime(2021, 3, 1, 14, 3, 10),
                                     datetime(2021, 3, 1, 14, 3, 9), datetime(2021, 3, 1, 14, 3, 5),
                                     datetime(2021, 3, 2, 8, 0)]
    assert {p[3] for p in posts} == {"repost"} and posts[0][4] == "https://harmony-news.net/a"
    assert posts[3][0] == posts[0][0] + "-2"  # an exact repeat gets the next ordinal
    assert query(case_dir, "SELECT account_id, handle, followers FROM accounts ORDER BY 1") == [
        ("2001", "AmyTruth", 15), ("2002", "BenFacts", 7), ("2003", "CarlaNews", 0)]
    bad = reasons(case_dir)
    assert bad[5].startswith("line does not parse as JSON") and bad[6] == "missing account_id"


def test_generic_parquet_with_typed_columns(tmp_path: Path, case_dir: Path) -> None:
    path = tmp_path / "shares.parquet"
    duckdb.execute(f"""
        COPY (SELECT * FROM (VALUES
            ('a1', TIMESTAMP '2021-03-01 14:03:05', 'one #Tag', ['https://x.example/1', 'https://www.y.example/2']),
            ('a2', TIMESTAMP '2021-03-01 14:03:06', 'two', []),
            (NULL, TIMESTAMP '2021-03-01 14:03:07', 'three', NULL)) t(who, posted, body, links))
        TO '{path}' (FORMAT parquet)""")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\naccount_id = "who"\ncreated_at = "posted"\ntext = "body"\nurls = "links"\n', encoding="utf-8")
    [result] = run([path], case_dir, mapping=mapping)
    assert counts(result) == ("generic", 3, 2, 1)
    assert query(case_dir, "SELECT platform, account_id, created_at, urls, domains, hashtags FROM posts ORDER BY 2") == [
        ("unknown", "a1", datetime(2021, 3, 1, 14, 3, 5), ["https://x.example/1", "https://www.y.example/2"],
         ["x.example", "y.example"], ["tag"]),
        ("unknown", "a2", datetime(2021, 3, 1, 14, 3, 6), [], [], [])]
    assert reasons(case_dir) == {3: "missing account_id"}


@pytest.mark.parametrize("mapping, message", [
    ('[columns]\naccount_id = "user"\ncreated_at = "when"\ntext = "body"\n',
     'missing created_at = "when"; found msg_id, user, username, ts, body'),
    ('[columns]\naccount_id = "user"\n', "must name created_at"),
    ('[columns]\naccount_id = "user"\ncreated_at = "ts"\nauthor = "user"\n', "unknown key(s) in the mapping's [columns]: author"),
    ('[columns]\naccount_id = "user"\ncreated_at = "ts"\n[options]\ntimezone = "Mars/Olympus"\n', "Unknown TimeZone"),
])
def test_generic_mapping_problems_are_format_errors(mapping: str, message: str, tmp_path: Path, case_dir: Path) -> None:
    path = tmp_path / "map.toml"
    path.write_text(mapping, encoding="utf-8")
    with pytest.raises(FormatError) as error:
        ingest([GENERIC / "messages.csv"], case_dir, mapping=path)
    assert message in str(error.value)
    assert query(case_dir, "SELECT count(*) FROM ingest_log") == [(0,)]


def test_generic_format_without_a_mapping_says_so(case_dir: Path) -> None:
    with pytest.raises(FormatError, match="needs a mapping file"):
        ingest([GENERIC / "messages.csv"], case_dir, fmt="generic")


def test_generic_reader_is_never_guessed(tmp_path: Path, case_dir: Path) -> None:
    path = tmp_path / "odd.csv"
    shutil.copy(GENERIC / "messages.csv", path)
    with pytest.raises(FormatError, match="unknown format"):
        ingest([path], case_dir)
