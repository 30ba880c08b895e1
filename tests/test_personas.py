"""Persona signals: each fires where it must and stays quiet where it must not; the score needs two families."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from unmask import schema
from unmask.personas import FLAG_THRESHOLD, SIGNALS, persona_signals
from unmask.personas.bios import is_bio_name, is_generated_bio, normalise_bio
from unmask.personas.creation import robust_baseline
from unmask.personas.handles import handle_signals
from unmask.personas.schedule import fit_schedule, fit_schedules
from unmask.personas.score import combine
from unmask.workspace import Workspace

T0 = dt.datetime(2019, 3, 4)  # a Monday


def _insert(con: Any, table: str, rows: list[dict[str, Any]]) -> None:
    columns = schema.columns(table)
    data = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows],
                                schema=pa.schema([(c, _arrow(t)) for c, t in schema.CANONICAL[table]]))
    con.register("_rows", data)
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
    con.unregister("_rows")


def _arrow(duck_type: str) -> pa.DataType:
    return {"VARCHAR": pa.string(), "TIMESTAMP": pa.timestamp("us"), "BIGINT": pa.int64(), "BOOLEAN": pa.bool_(),
            "VARCHAR[]": pa.list_(pa.string())}[duck_type]


def _account(account_id: str, **fields: Any) -> dict[str, Any]:
    base = {"platform": "twitter", "account_id": account_id, "handle": f"user_{account_id}",
            "display_name": f"User {account_id.title()}", "followers": 120, "following": 150,
            "created_at": dt.datetime(2012, 1, 1) + dt.timedelta(days=7 * len(account_id) + sum(map(ord, account_id)))}
    return base | fields


def _post(account_id: str, n: int, when: dt.datetime, **fields: Any) -> dict[str, Any]:
    return {"platform": "twitter", "post_id": f"{account_id}-{n}", "account_id": account_id, "created_at": when,
            "kind": "post", "text": f"post {n}", "source_file": "posts.jsonl"} | fields


def _signals(case_dir: Path, accounts: list[dict], posts: list[dict] = (), extra_sql: str = "") -> dict[str, dict]:
    with Workspace(case_dir) as ws:
        _insert(ws.con, "accounts", accounts)
        if posts:
            _insert(ws.con, "posts", list(posts))
        if extra_sql:
            ws.con.execute(extra_sql)
        table = persona_signals(ws.con)
        stored = ws.con.execute("SELECT count(*) FROM persona_signals").fetchall()[0][0]
    assert stored == len(accounts)
    return {row["account_id"]: row for row in table.to_pylist()}


# --- handles --------------------------------------------------------------------------------------------------


def test_default_handle_fires_only_on_name_plus_8_digits() -> None:
    assert handle_signals("JaneDav41198277", "Jane Davis").handle_default
    assert not handle_signals("janedavis", "Jane Davis").handle_default
    assert not handle_signals("JaneDav4119827", "Jane Davis").handle_default


def test_random_handle() -> None:
    for handle in ("x8KLy7wO3JssHGO", "sV8jxdXfJwDNZns", "oyhcOEYAENoPUbm"):
        assert handle_signals(handle, "").handle_random, handle
    for handle in ("McDonald1985", "TheresaAndersox", "USANEWSTODAY", "wangduoyu121", "iPhone4Sales"):
        assert not handle_signals(handle, "").handle_random, handle


def test_name_mismatch_across_scripts() -> None:
    assert handle_signals("wangduoyu121", "王多鱼").name_mismatch is False
    assert handle_signals("zhangwei_88", "张伟").name_mismatch is False
    assert handle_signals("sanekkhasanov42", "Санёк Хасанов").name_mismatch is False
    assert handle_signals("TheresaAndersox", "勇敢的心").name_mismatch is True
    assert handle_signals("klementinafomi3", "mark joy").name_mismatch is True
    assert handle_signals("someone", "🌸🌸").name_mismatch is None


def test_formulaic_reduplicated_names() -> None:
    assert handle_signals("abc", "丽丽").name_formulaic
    assert handle_signals("meimei88", "May").name_formulaic
    assert not handle_signals("zhangwei", "张伟").name_formulaic


def test_anonymised_archive_accounts_get_no_handle_signals() -> None:
    hashed = "vMm2zemFOF7kmXoDyX24Bo+TorqhNutpZlATYyxsE="
    signals = handle_signals(hashed, hashed)
    assert signals.anonymised and not (signals.handle_random or signals.handle_default)
    assert signals.name_mismatch is None


# --- creation bursts ------------------------------------------------------------------------------------------


def _spread(n: int, start: dt.datetime, every_days: int) -> list[dict]:
    return [_account(f"s{i:04d}", created_at=start + dt.timedelta(days=every_days * i)) for i in range(n)]


def test_creation_burst_found_against_a_robust_baseline(case_dir: Path) -> None:
    burst_day = dt.datetime(2017, 8, 18, 10)
    accounts = _spread(200, dt.datetime(2016, 1, 1), 4) + [
        _account(f"b{i:03d}", created_at=burst_day + dt.timedelta(minutes=i)) for i in range(40)]
    rows = _signals(case_dir, accounts)
    assert rows["b000"]["created_in_burst"] and "day of 2017-08-18: 40 accounts" in rows["b000"]["creation_burst"]
    assert not rows["s0000"]["created_in_burst"]
    with Workspace(case_dir) as ws:
        days = ws.con.execute("SELECT period_start FROM creation_bursts WHERE unit = 'day'").fetchall()
    assert days == [(dt.date(2017, 8, 18),)]


def test_no_burst_in_evenly_spread_creation(case_dir: Path) -> None:
    rows = _signals(case_dir, _spread(300, dt.datetime(2015, 1, 1), 2))
    assert not any(r["created_in_burst"] for r in rows.values())


def test_robust_baseline_ignores_the_bursts() -> None:
    import numpy as np

    assert robust_baseline(np.array([1] * 95 + [500] * 5)) == 1.0


def test_cluster_creation_burst_uses_account_scores(case_dir: Path) -> None:
    accounts = _spread(300, dt.datetime(2015, 1, 5), 2)
    week = dt.datetime(2016, 3, 7)
    members = [_account(f"c{i}", created_at=week + dt.timedelta(days=i, hours=5)) for i in range(3)]
    scores = ("CREATE TABLE account_scores AS SELECT platform, account_id, CASE WHEN account_id LIKE 'c%' THEN 1 "
              "WHEN CAST(substr(account_id, 2) AS INT) % 30 = 0 THEN 2 END AS cluster_id, "
              "0.9 AS coordination_score, true AS flagged, '' AS reasons FROM accounts")
    rows = _signals(case_dir, accounts + members, extra_sql=scores)
    assert all(rows[f"c{i}"]["cluster_creation_burst"] for i in range(3))
    assert "cluster 1: 3 accounts created in the week of 2016-03-07" in rows["c0"]["cluster_creation_label"]
    assert not rows["s0030"]["cluster_creation_burst"] and not rows["s0001"]["cluster_creation_burst"]
    assert not rows["c0"]["created_in_burst"]


# --- schedule -------------------------------------------------------------------------------------------------


def _office_posts(account_id: str, utc_offset: int, weeks: int = 4) -> list[dict]:
    posts = []
    for week in range(weeks):
        for day in range(5):
            for hour in (9, 10, 11, 13, 14, 15, 16, 17):
                local = T0 + dt.timedelta(weeks=week, days=day, hours=hour, minutes=7 * day)
                posts.append(_post(account_id, len(posts), local - dt.timedelta(hours=utc_offset)))
    return posts


def _round_the_clock(account_id: str, days: int = 10) -> list[dict]:
    return [_post(account_id, n, T0 + dt.timedelta(minutes=47 * n)) for n in range(days * 24 * 60 // 47)]


def test_office_hours_in_beijing_time(case_dir: Path) -> None:
    rows = _signals(case_dir, [_account("office"), _account("clock")],
                    _office_posts("office", 8) + _round_the_clock("clock"))
    office, clock = rows["office"], rows["clock"]
    assert office["utc_offset"] == 8 and office["office_hours"] and office["office_share"] == 1.0
    assert office["weekend_ratio"] == 0.0 and office["lunch_dip"] == 0.0 and not office["active_24_7"]
    assert clock["active_24_7"] and not clock["office_hours"]
    assert "office hours of UTC+8" in office["persona_reasons"]


def test_fit_schedule_finds_other_offsets() -> None:
    import numpy as np

    histogram = np.zeros(168)
    for day in range(5):
        for hour in (9, 10, 11, 13, 14, 15, 16, 17):
            histogram[(day * 24 + hour + 5) % 168] += 3  # New York office hours, UTC-5
    assert fit_schedule(histogram).utc_offset == -5


def test_fit_schedule_breaks_ties_by_the_median_offset() -> None:
    import numpy as np

    histogram = np.zeros(168)
    histogram[[day * 24 + 10 for day in range(5)]] = 7  # 10:00 UTC fits office hours at -1, 0, 1, 3, ..., 7
    assert fit_schedule(histogram).utc_offset == 3
    assert fit_schedule(np.full(168, 2.0)).template_fit == 0.0


def test_fit_schedules_fits_each_row_as_fit_schedule_does() -> None:
    import numpy as np

    histograms = np.random.default_rng(7).poisson(np.linspace(0.1, 4, 168), size=(40, 168)).astype(float)
    assert fit_schedules(histograms) == [fit_schedule(row) for row in histograms]


def test_fixed_seconds_only_where_the_source_has_seconds(case_dir: Path) -> None:
    bot = [_post("bot", n, T0 + dt.timedelta(minutes=13 * n, seconds=7)) for n in range(60)]
    person = [_post("person", n, T0 + dt.timedelta(seconds=769 * n + 11 * n * n % 60)) for n in range(60)]
    archive = [_post("archived", n, T0 + dt.timedelta(minutes=13 * n), source_file="io.csv") for n in range(60)]
    rows = _signals(case_dir, [_account("bot"), _account("person"), _account("archived")], bot + person + archive)
    assert rows["bot"]["seconds_regular"] and rows["bot"]["seconds_top_share"] == 1.0
    assert rows["person"]["seconds_regular"] is False
    assert rows["archived"]["seconds_regular"] is None and rows["archived"]["seconds_top_share"] is None


# --- clients and audience -------------------------------------------------------------------------------------


def test_clients_and_followers(case_dir: Path) -> None:
    posts = ([_post("auto", n, T0 + dt.timedelta(hours=n), client="IFTTT") for n in range(5)]
             + [_post("phone", n, T0 + dt.timedelta(hours=n), client="Twitter for iPhone") for n in range(5)]
             + [_post("web", n, T0 + dt.timedelta(hours=n), client="Twitter Web App") for n in range(5)])
    accounts = [_account("auto"), _account("phone", followers=0, following=0),
                _account("web", followers=3, following=800)]
    rows = _signals(case_dir, accounts, posts)
    assert rows["auto"]["client_automation"] and not rows["phone"]["client_automation"]
    assert rows["web"]["client_web_only"] and not rows["phone"]["client_web_only"]
    assert rows["phone"]["zero_followers"] and not rows["phone"]["follows_far_more"]
    assert rows["web"]["follows_far_more"] and not rows["auto"]["follows_far_more"]
    assert not rows["auto"]["zero_followers"]


# --- templated bios and names ---------------------------------------------------------------------------------


def test_templated_bios_and_names(case_dir: Path) -> None:
    template = "Proud patriot from {}. Truth seeker, family first. DM for {} collabs!"
    accounts = [_account(f"t{i}", bio=template.format(["Ohio", "Texas", "Maine"][i], 2019 + i),
                         display_name=f"Patriot {100 + i}") for i in range(3)]
    accounts += [_account("own", bio="Tiotincta Business", handle="tiotincta", display_name="Tiotincta"),
                 _account("gen", bio="Thinker. Evil tvaholic. Alcohol aficionado. Coffee ninja. Introvert."),
                 _account("plain", bio="Nurse in Leeds. Views my own, dog person.", display_name="Ann Smith")]
    rows = _signals(case_dir, accounts)
    assert all(rows[f"t{i}"]["bio_templated"] and rows[f"t{i}"]["name_templated"] for i in range(3))
    assert rows["t0"]["bio_template_accounts"] == 3
    assert rows["own"]["bio_is_name"] and rows["gen"]["bio_generated"]
    plain = rows["plain"]
    assert not (plain["bio_templated"] or plain["bio_generated"] or plain["bio_is_name"] or plain["name_templated"])


def test_bio_helpers() -> None:
    assert normalise_bio("Visit https://x.co/1 @bob 2020!") == "visit <url> @ ####"
    assert not is_generated_bio("I love cats. I work in Paris. Views my own.")
    assert not is_bio_name("Journalist at the BBC covering Asia", "bbcjohn", "John")


# --- repurposed accounts --------------------------------------------------------------------------------------


def test_repurposed_account(case_dir: Path) -> None:
    old = dt.datetime(2014, 5, 1)
    new = dt.datetime(2019, 6, 1)

    def history(account: str, later_lang: str) -> list[dict]:
        before = [_post(account, n, old + dt.timedelta(days=n), lang="en") for n in range(10)]
        after = [_post(account, 100 + n, new + dt.timedelta(hours=n), lang=later_lang) for n in range(30)]
        return before + after

    steady = [_post("steady", n, old + dt.timedelta(days=30 * n), lang="en") for n in range(70)]
    accounts = [_account(a, created_at=dt.datetime(2013, 1, 1)) for a in ("switch", "same", "steady")]
    rows = _signals(case_dir, accounts, history("switch", "zh-cn") + history("same", "en") + steady)
    assert rows["switch"]["repurposed"] and rows["switch"]["lang_after"] == "zh"
    assert "posts in zh (before: en)" in rows["switch"]["persona_reasons"]
    assert rows["same"]["dormant_then_burst"] and not rows["same"]["repurposed"]
    assert rows["steady"]["repurposed"] is None and rows["steady"]["dormant_then_burst"] is None


# --- the score ------------------------------------------------------------------------------------------------


def test_default_handle_alone_is_not_flagged(case_dir: Path) -> None:
    rows = _signals(case_dir, [_account("d", handle="JaneDav41198277", display_name="Jane Davis")])
    assert rows["d"]["handle_default"] and 0 < rows["d"]["persona_score"] < FLAG_THRESHOLD
    assert not rows["d"]["persona_flagged"] and rows["d"]["persona_reasons"].startswith("default handle")


@pytest.mark.parametrize("signal", SIGNALS, ids=lambda s: s.name)
def test_no_single_signal_flags(signal) -> None:
    record = _words_record() | {signal.name: True}
    score, reasons = combine(record)
    assert 0 < score < FLAG_THRESHOLD and reasons


def test_two_weak_signals_stay_below_and_two_strong_families_flag() -> None:
    weak = _words_record() | {"handle_default": True, "zero_followers": True}
    strong = _words_record() | {"created_in_burst": True, "avatar_reused": True}
    assert combine(weak)[0] < FLAG_THRESHOLD <= combine(strong)[0]


def test_faces_table_feeds_the_avatar_signals(case_dir: Path) -> None:
    faces = ("CREATE TABLE faces AS SELECT 'twitter' AS platform, 'f' AS account_id, 0.9 AS ai_face_score, "
             "true AS flagged, 3 AS reuse_accounts, false AS skipped")
    rows = _signals(case_dir, [_account("f"), _account("g")], extra_sql=faces)
    assert rows["f"]["avatar_template"] and rows["f"]["avatar_reused"]
    assert rows["f"]["persona_score"] == 0.3 and not rows["f"]["persona_flagged"]  # one family: never flags alone
    assert "same or near-same profile photo on 3 accounts" in rows["f"]["persona_reasons"]
    assert rows["g"]["avatar_template"] is None and rows["g"]["persona_score"] == 0.0


def _words_record() -> dict[str, Any]:
    return {"handle": "h", "display_name": "n", "creation_burst": "day", "cluster_creation_label": "c",
            "utc_offset": 8, "office_share": 0.9, "quiet_share": 0.2, "seconds_top_share": 0.9, "client": "IFTTT",
            "following": 900, "followers": 0, "bio_template_accounts": 4, "dormant_days": 400, "posts_after": 30,
            "lang_after": "zh", "lang_before": "en", "ai_face_score": 0.9, "avatar_reuse_accounts": 3}
