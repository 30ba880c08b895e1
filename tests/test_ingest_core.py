"""The ingest core: detection, bad input, reconciliation, re-ingest, compression, atomicity."""

from __future__ import annotations

import gzip
import importlib
import shutil
import zipfile
from pathlib import Path

import pytest
import zstandard

from unmask import Workspace
from unmask.ingest import FormatError, ingest, ingest_source
from unmask.ingest.base import Reader, Sink
from unmask.ingest.sources import expand_inputs

FIXTURES = Path(__file__).parent / "fixtures" / "io_archive"


def quarantine(case_dir: Path) -> dict[int, str]:
    with Workspace(case_dir) as ws:
        return dict(ws.con.execute("SELECT line, reason FROM quarantine ORDER BY line").fetchall())


def test_io_archive_tweets_map_to_canonical_posts(case_dir: Path) -> None:
    [result] = ingest([FIXTURES / "tweets_31col_hashed.csv"], case_dir)
    assert (result.format, result.rows_read, result.rows_stored, result.rows_quarantined) == ("io-archive-tweets", 4, 4, 0)
    with Workspace(case_dir) as ws:
        posts = {row[0]: row for row in ws.con.execute(
            "SELECT post_id, kind, account_id, reposted_post_id, reposted_account_id, hashtags, domains, mentions, "
            "created_at, text, reply_to_post_id, quoted_post_id FROM posts").fetchall()}
        accounts = ws.con.execute("SELECT account_id, handle, followers, bio FROM accounts ORDER BY account_id").fetchall()
    repost = posts["1149318001390002178"]
    assert repost[1] == "repost" and repost[3] == "1149318001390000001" and repost[4] == "880000000000000001"
    reply = posts["1149318001390002179"]
    assert reply[1] == "reply" and reply[5] == ["stopthelies", "xinjiang"] and reply[7] == ["777"]
    assert reply[9] == "@critic_li You spread rumours\nagain and again. #StopTheLies #Xinjiang"
    assert reply[10] == "1149318001390000500"
    assert posts["1149318001390002180"][1] == "quote" and posts["1149318001390002180"][11] == "1149318001390000600"
    first = posts["1149318001390002177"]
    assert first[5] == ["新疆"] and first[6] == ["example.cn"] and str(first[8]) == "2019-07-11 13:05:00"
    assert [a[0] for a in accounts] == sorted(a[0] for a in accounts) and len(accounts) == 3
    assert ("q2SMGvHasu+nugbpNMDCjr2qlZp3FCiGYDLht+gW5pw=", "q2SMGvHasu+nugbpNMDCjr2qlZp3FCiGYDLht+gW5pw=", 0,
            "Love my country\nand peace") in accounts


def test_30_and_31_column_files_read_alike(tmp_path: Path) -> None:
    for name in ("tweets_30col.csv", "tweets_31col_hashed.csv"):
        [result] = ingest([FIXTURES / name], tmp_path / name)
        assert (result.rows_read, result.rows_stored) == (4, 4)


def test_bad_rows_are_quarantined_with_line_and_reason_and_counts_reconcile(case_dir: Path) -> None:
    [result] = ingest([FIXTURES / "tweets_bad.csv"], case_dir)
    assert result.rows_read == 9
    assert result.rows_read == result.rows_stored + result.rows_quarantined
    assert result.rows_stored == 2
    reasons = quarantine(case_dir)
    assert "unparsable tweet_time" in reasons[3]
    assert reasons[4] == "missing tweetid"
    assert "Expected Number of Columns: 30 Found: 3" in reasons[5]
    assert "INVALID ENCODING" in reasons[6] or "UTF-8" in reasons[6]
    assert "quote" in reasons[7].lower()
    assert "unparsable list" in reasons[8]
    assert "duplicate post id 3000000000000000001" in reasons[9]
    with Workspace(case_dir) as ws:
        stored = ws.con.execute("SELECT post_id, source_line FROM posts ORDER BY source_line").fetchall()
        logged = ws.con.execute("SELECT rows_read, rows_stored, rows_quarantined FROM ingest_log").fetchall()
        quarantined = ws.con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    assert stored == [("3000000000000000001", 2), ("3000000000000000008", 10)]
    assert logged == [(9, 2, 7)] and quarantined == 7


def test_bare_carriage_returns_fall_back_to_the_python_parser(tmp_path: Path, case_dir: Path) -> None:
    source = FIXTURES / "tweets_30col.csv"
    lines = source.read_bytes().decode("utf-8").split("\r\n")
    lines[1] = lines[1].replace("#新疆", "#新疆\rmore")  # a bare CR inside a quoted field: DuckDB's strict mode refuses
    broken = tmp_path / "cr.csv"
    broken.write_bytes("\r\n".join(lines).encode("utf-8"))
    [result] = ingest([broken], case_dir)
    assert (result.rows_read, result.rows_stored, result.rows_quarantined) == (4, 4, 0)
    with Workspace(case_dir) as ws:
        text = ws.con.execute("SELECT text FROM posts WHERE source_line = 2").fetchone()[0]
    assert "#新疆\rmore" in text


def test_reingesting_a_file_adds_nothing(case_dir: Path) -> None:
    ingest([FIXTURES / "tweets_31col_hashed.csv"], case_dir)
    [again] = ingest([FIXTURES / "tweets_31col_hashed.csv"], case_dir)
    assert again.skipped and "already ingested" in again.skipped
    with Workspace(case_dir) as ws:
        assert ws.counts()["posts"] == 4 and ws.counts()["ingest_log"] == 1


def test_overlapping_files_store_each_post_once_and_say_why(tmp_path: Path, case_dir: Path) -> None:
    copy = tmp_path / "renamed_copy.csv"
    copy.write_bytes((FIXTURES / "tweets_31col_hashed.csv").read_bytes() + b"\r\n")  # other bytes, same rows
    ingest([FIXTURES / "tweets_31col_hashed.csv"], case_dir)
    [second] = ingest([copy], case_dir)
    assert (second.rows_read, second.rows_stored, second.rows_quarantined) == (4, 0, 4)
    with Workspace(case_dir) as ws:
        assert ws.counts()["posts"] == 4
        assert ws.counts()["accounts"] == 3


@pytest.mark.parametrize("packing", ["gz", "zst", "zip"])
def test_compressed_inputs_read_directly(tmp_path: Path, packing: str) -> None:
    raw = (FIXTURES / "tweets_31col_hashed.csv").read_bytes()
    packed = tmp_path / f"tweets.csv.{packing}"
    if packing == "gz":
        packed.write_bytes(gzip.compress(raw))
    elif packing == "zst":
        packed.write_bytes(zstandard.ZstdCompressor().compress(raw))
    else:
        with zipfile.ZipFile(packed, "w") as archive:
            archive.writestr("inner/tweets.csv", raw)
            archive.writestr("inner/README.md", "not data")
    [result] = ingest([packed], tmp_path / "case")
    assert (result.rows_read, result.rows_stored) == (4, 4)
    assert result.file.endswith("tweets.csv" if packing == "zip" else packing)


def test_truncated_gzip_keeps_what_was_read_and_says_so(tmp_path: Path, case_dir: Path) -> None:
    header, first, _ = (FIXTURES / "tweets_31col_hashed.csv").read_bytes().split(b"\r\n", 2)
    rows = [first.replace(b"1149318001390002177", str(5_000_000 + i).encode()) for i in range(3000)]
    packed = gzip.compress(b"\r\n".join([header, *rows]) + b"\r\n")
    truncated = tmp_path / "cut.csv.gz"
    truncated.write_bytes(packed[: len(packed) * 2 // 3])
    [result] = ingest([truncated], case_dir)
    assert result.rows_read == result.rows_stored + result.rows_quarantined
    assert result.rows_quarantined >= 1
    assert any("truncated" in reason or "corrupt" in reason for reason in quarantine(case_dir).values())


def test_folder_input_reads_every_data_file(tmp_path: Path) -> None:
    folder = tmp_path / "release"
    shutil.copytree(FIXTURES, folder)
    (folder / "README.md").write_text("notes, not data")
    (folder / "labels.tsv").write_text("3039154799\thuman\n390617262\tbot\n")
    results = ingest([folder], tmp_path / "case")
    assert sorted(Path(r.file).name for r in results) == [
        "labels.tsv", "tweets_30col.csv", "tweets_31col_hashed.csv", "tweets_bad.csv"]
    [labels] = [r for r in results if r.file.endswith("labels.tsv")]
    assert labels.skipped and "not a known format" in labels.skipped and labels.rows_read == 0


def test_unknown_format_names_file_and_columns(tmp_path: Path, case_dir: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("alpha,beta\n1,2\n")
    with pytest.raises(FormatError) as error:
        ingest([odd], case_dir)
    message = str(error.value)
    assert "odd.csv" in message and "alpha, beta" in message and "tweetid" in message


def test_forced_format_without_required_columns_names_what_is_missing(tmp_path: Path, case_dir: Path) -> None:
    partial = tmp_path / "partial.csv"
    partial.write_text("tweetid,tweet_text\n1,hello\n")
    with pytest.raises(FormatError) as error:
        ingest([partial], case_dir, fmt="io-archive-tweets")
    message = str(error.value)
    assert "partial.csv" in message and "missing tweet_time" in message and "found columns tweetid, tweet_text" in message


def test_interrupted_ingest_leaves_the_workspace_as_it_was(monkeypatch: pytest.MonkeyPatch, case_dir: Path) -> None:
    ingest([FIXTURES / "tweets_30col.csv"], case_dir)
    ingest_module = importlib.import_module("unmask.ingest")  # the package, not the function of that name

    def explode(con, file):  # the process dies while rows are being moved into the canonical tables
        con.execute("INSERT INTO posts (platform, post_id) VALUES ('twitter', 'half-written')")
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest_module, "move_stage", explode)
    with pytest.raises(KeyboardInterrupt):
        ingest([FIXTURES / "tweets_31col_hashed.csv"], case_dir)
    with Workspace(case_dir) as ws:
        assert ws.counts()["posts"] == 4 and ws.counts()["ingest_log"] == 1
        assert not ws.con.execute("SELECT count(*) FROM posts WHERE post_id = 'half-written'").fetchone()[0]
        tables = {t for (t,) in ws.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert not any(t.startswith("_stage") for t in tables)


def test_ingest_leaves_no_scratch_tables_or_views(case_dir: Path) -> None:
    with Workspace(case_dir) as ws:
        for source in expand_inputs([FIXTURES / "tweets_bad.csv", FIXTURES / "tweets_30col.csv"]):
            ingest_source(ws, source)
        names = ws.con.execute(
            "SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()
    assert not [name for (name,) in names if name.startswith("_")]


def test_real_io_archive_users_file(shared_data: Path, case_dir: Path) -> None:
    [result] = ingest([shared_data / "twitter-io-china-2019"], case_dir)
    assert (result.format, result.rows_read, result.rows_stored, result.rows_quarantined) == ("io-archive-users", 744, 744, 0)
    with Workspace(case_dir) as ws:
        aug_2017 = ws.con.execute(
            "SELECT count(*) FROM accounts WHERE created_at >= '2017-08-01' AND created_at < '2017-09-01'"
        ).fetchone()[0]
        hashed = ws.con.execute("SELECT count(*) FROM accounts WHERE account_id LIKE '%='").fetchone()[0]
    assert aug_2017 == 237
    assert hashed > 0


def test_real_state_troll_files_with_trimmed_columns(shared_data: Path, case_dir: Path) -> None:
    results = ingest([shared_data / "state-trolls"], case_dir)
    assert {r.format for r in results} == {"io-archive-tweets"}
    for r in results:
        assert r.rows_read == r.rows_stored + r.rows_quarantined
    with Workspace(case_dir) as ws:
        reasons = [r for (r,) in ws.con.execute("SELECT DISTINCT split_part(reason, ' ', 1) FROM quarantine").fetchall()]
        fake = ws.con.execute(
            "SELECT count(*) FROM posts WHERE source_file LIKE '%fake_test.csv'").fetchone()[0]
    assert fake == 1000
    assert set(reasons) <= {"duplicate", "expected"}


def test_avatar_list_links_saved_photos_to_accounts(tmp_path: Path, case_dir: Path) -> None:
    ingest([FIXTURES / "tweets_31col_hashed.csv"], case_dir)
    listing = tmp_path / "avatars.csv"
    listing.write_text("userid,avatar_path\n901234567890123456,avatars/wang.jpg\n,avatars/nobody.jpg\n")
    [result] = ingest([listing], case_dir)
    assert (result.format, result.rows_read, result.rows_stored, result.rows_quarantined) == ("avatar-list", 2, 1, 1)
    with Workspace(case_dir) as ws:
        account = ws.con.execute(
            "SELECT handle, avatar_path FROM accounts WHERE account_id = '901234567890123456'").fetchone()
        media = ws.con.execute("SELECT kind, local_path FROM media").fetchall()
    assert account == ("wangxm2019", str(tmp_path.resolve() / "avatars" / "wang.jpg"))
    assert media == [("avatar", str(tmp_path.resolve() / "avatars" / "wang.jpg"))]
    assert quarantine(case_dir) == {3: "missing account id"}
