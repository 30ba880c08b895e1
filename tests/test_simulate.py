"""The campaign simulator: realistic organic worlds, planted campaigns, exact ground truth, real export formats."""

from __future__ import annotations

import ast
import csv
import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import orjson
import pytest

from unmask.simulate import SCENARIOS, simulate
from unmask.simulate.scenarios import get_scenario

START = datetime(2021, 6, 1)
TWEET_COLUMNS = 31


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def tweet_time(row: dict[str, str]) -> datetime:
    return datetime.strptime(row["tweet_time"], "%Y-%m-%d %H:%M")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo world (three campaigns) in the IO archive format."""
    out = tmp_path_factory.mktemp("demo")
    simulate(out, "demo", accounts=600, days=10, seed=3)
    return out


@pytest.fixture(scope="module")
def demo_tweets(demo: Path) -> list[dict[str, str]]:
    return read_csv(demo / "sim_demo_tweets_csv_hashed.csv")


@pytest.fixture(scope="module")
def demo_truth(demo: Path) -> dict[str, dict[str, str]]:
    return {row["account_id"]: row for row in read_csv(demo / "ground_truth.csv")}


@pytest.fixture(scope="module")
def formats(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same small world in each export format."""
    out = tmp_path_factory.mktemp("formats")
    for fmt in ("io-archive", "x-v2", "bluesky"):
        simulate(out / fmt, "demo", accounts=400, days=4, seed=11, fmt=fmt)
    return {fmt: out / fmt for fmt in ("io-archive", "x-v2", "bluesky")}


def test_activity_is_heavy_tailed(demo_tweets: list[dict[str, str]], demo_truth: dict[str, dict[str, str]]) -> None:
    organic = Counter(r["userid"] for r in demo_tweets if not demo_truth[r["userid"]]["campaign_id"])
    silent = sum(1 for a, row in demo_truth.items() if row["role"] == "organic" and a not in organic)
    counts = np.sort(np.array(list(organic.values()) + [0] * silent))[::-1]
    assert counts[: len(counts) // 10].sum() > 0.45 * counts.sum()  # the top 10 % write about half
    assert np.median(counts) < counts.mean() / 2
    assert counts.max() > 20 * max(1.0, float(np.median(counts)))


def test_organic_world_has_honest_repost_cliques(tmp_path: Path) -> None:
    simulate(tmp_path, "organic-only", accounts=2000, days=2, seed=2)
    assert all(not row["campaign_id"] for row in read_csv(tmp_path / "ground_truth.csv"))
    tweets = read_csv(tmp_path / "sim_organic-only_tweets_csv_hashed.csv")
    posted = {r["tweetid"]: tweet_time(r) for r in tweets}
    fast: dict[str, set[str]] = defaultdict(set)
    for r in tweets:
        original = posted.get(r["retweet_tweetid"])
        if r["is_retweet"] == "True" and original and tweet_time(r) - original <= timedelta(minutes=5):
            fast[r["retweet_tweetid"]].add(r["userid"])
    biggest = max(len(users) for users in fast.values())
    assert biggest >= 40  # one viral post: dozens of honest accounts repost it within five minutes
    assert sum(len(users) >= 10 for users in fast.values()) >= 5


def test_campaign_works_office_hours_in_its_zone(demo_tweets: list[dict[str, str]],
                                                 demo_truth: dict[str, dict[str, str]]) -> None:
    offset = timedelta(minutes=SCENARIOS["demo"].campaigns[0].schedule.utc_offset_minutes)
    local = [tweet_time(r) + offset for r in demo_tweets
             if demo_truth[r["userid"]]["campaign_id"] == "C1" and tweet_time(r) >= START]
    assert len(local) > 150
    assert all(t.weekday() < 5 for t in local)  # weekends off
    assert all(8 <= t.hour < 22 for t in local)
    hours = Counter(t.hour for t in local)
    office = sum(n for h, n in hours.items() if 9 <= h < 18)
    assert office > 0.85 * len(local)
    assert hours[12] < 0.3 * hours[10]  # lunch dip


def test_campaign_accounts_come_in_a_creation_burst(demo: Path, demo_truth: dict[str, dict[str, str]],
                                                    demo_tweets: list[dict[str, str]]) -> None:
    spec = SCENARIOS["demo"].campaigns[0]
    users = {r["userid"]: r for r in read_csv(demo / "sim_demo_users_csv_hashed.csv")}
    members = [a for a, row in demo_truth.items() if row["campaign_id"] == "C1"]
    burst_from = datetime.fromisoformat(spec.created_from)
    new = [a for a in members if demo_truth[a]["role"] != "repurposed"]
    old = [a for a in members if demo_truth[a]["role"] == "repurposed"]
    assert new and old
    for a in new:
        created = datetime.fromisoformat(users[a]["account_creation_date"])
        assert burst_from <= created < burst_from + timedelta(days=spec.created_days + 3)
    for a in old:  # repurposed: years older, posted in another language, dormant for a year, then back
        assert datetime.fromisoformat(users[a]["account_creation_date"]).year <= spec.repurposed_years[1]
        mine = [r for r in demo_tweets if r["userid"] == a]
        before = [r for r in mine if tweet_time(r) < START]
        assert before and all(r["tweet_language"] == spec.old_language for r in before)
        assert max(tweet_time(r) for r in before) < START - timedelta(days=365)


def test_ground_truth_names_every_account_of_the_data(formats: dict[str, Path]) -> None:
    for fmt, folder in formats.items():
        truth = {row["account_id"] for row in read_csv(folder / "ground_truth.csv")}
        assert _accounts_in(fmt, folder) == truth, fmt
        assert any(row["campaign_id"] for row in read_csv(folder / "ground_truth.csv"))


def _accounts_in(fmt: str, folder: Path) -> set[str]:
    seen: set[str] = set()
    if fmt == "io-archive":
        for r in read_csv(folder / "sim_demo_tweets_csv_hashed.csv"):
            seen |= {r["userid"], r["retweet_userid"], r["in_reply_to_userid"], *ast.literal_eval(r["user_mentions"])}
        seen |= {r["userid"] for r in read_csv(folder / "sim_demo_users_csv_hashed.csv")}
    elif fmt == "x-v2":
        for line in (folder / "sim_demo_twarc2.jsonl").read_bytes().splitlines():
            page = orjson.loads(line)
            users = {u["id"] for u in page["includes"]["users"]}
            for t in page["data"]:
                assert t["author_id"] in users
                assert {m["id"] for m in t.get("entities", {}).get("mentions", [])} <= users
            seen |= users
    else:
        for line in (folder / "sim_demo_jetstream.jsonl").read_bytes().splitlines():
            seen.add(orjson.loads(line)["did"])
    return seen - {""}


def test_same_seed_same_bytes_other_seed_other_world(tmp_path: Path) -> None:
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        simulate(tmp_path / name, "stealthy", accounts=300, days=3, seed=seed, fmt="x-v2")
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == ["ground_truth.csv", "scenario.json", "sim_stealthy_twarc2.jsonl"]
    for file in files:
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file
    assert (tmp_path / "a" / files[2]).read_bytes() != (tmp_path / "c" / files[2]).read_bytes()


def test_io_archive_follows_the_release_conventions(formats: dict[str, Path]) -> None:
    path = formats["io-archive"] / "sim_demo_tweets_csv_hashed.csv"
    lines = path.read_text(encoding="utf-8")
    header = lines.split("\n", 1)[0]
    assert header.count('","') == TWEET_COLUMNS - 1 and header.startswith('"tweetid"')
    rows = read_csv(path)
    hashed = re.compile(r"^[A-Za-z0-9+/]{43}=$")
    for r in rows:
        assert len(r) == TWEET_COLUMNS
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", r["tweet_time"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", r["account_creation_date"])
        assert r["is_retweet"] in ("True", "False")
        for column in ("hashtags", "urls", "user_mentions"):
            assert isinstance(ast.literal_eval(r[column]), list)
        small = int(r["follower_count"]) < 5000
        assert bool(hashed.match(r["userid"])) == small
        if r["is_retweet"] == "True":
            assert r["tweet_text"].startswith("RT @") and r["retweet_tweetid"]
    ids = {r["userid"] for r in rows}
    assert {r["retweet_userid"] for r in rows if r["retweet_userid"]} & {i for i in ids if hashed.match(i)}
    assert any("\n" in r["tweet_text"] for r in rows)  # line breaks inside quoted text survive the round trip


def test_x_v2_pages_look_like_twarc2(formats: dict[str, Path]) -> None:
    pages = [orjson.loads(line) for line in (formats["x-v2"] / "sim_demo_twarc2.jsonl").read_bytes().splitlines()]
    assert all(set(p) == {"data", "includes", "meta", "__twarc"} for p in pages)
    assert all(len(p["data"]) <= 100 and p["meta"]["result_count"] == len(p["data"]) for p in pages)
    assert "next_token" not in pages[-1]["meta"] and all("next_token" in p["meta"] for p in pages[:-1])
    tweets = [t for p in pages for t in p["data"]]
    included = {t["id"] for p in pages for t in p["includes"].get("tweets", [])}
    for t in tweets:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", t["created_at"])
        refs = t.get("referenced_tweets", [])
        if refs:
            assert refs[0]["type"] in ("retweeted", "quoted", "replied_to") and refs[0]["id"] in included
        if refs and refs[0]["type"] == "retweeted":
            assert t["text"].startswith("RT @")
        for url in t.get("entities", {}).get("urls", []):
            assert t["text"][url["start"]:url["end"]] == url["url"]
    users = [u for p in pages for u in p["includes"]["users"]]
    needed = {"id", "name", "username", "created_at", "public_metrics", "verified", "protected"}
    assert all(needed <= set(u) for u in users)


def test_bluesky_events_look_like_jetstream(formats: dict[str, Path]) -> None:
    lines = (formats["bluesky"] / "sim_demo_jetstream.jsonl").read_bytes().splitlines()
    events = [orjson.loads(line) for line in lines]
    kinds = Counter((e["kind"], e.get("commit", {}).get("collection")) for e in events)
    assert kinds[("identity", None)] == kinds[("commit", "app.bsky.actor.profile")] > 0
    assert kinds[("commit", "app.bsky.feed.post")] > 0 and kinds[("commit", "app.bsky.feed.repost")] > 0
    times = [e["time_us"] for e in events]
    assert times == sorted(times)
    posts = {f"at://{e['did']}/app.bsky.feed.post/{e['commit']['rkey']}"
             for e in events if e.get("commit", {}).get("collection") == "app.bsky.feed.post"}
    for e in events:
        record = e.get("commit", {}).get("record", {})
        text = record.get("text", "").encode()
        for facet in record.get("facets", []):
            piece = text[facet["index"]["byteStart"]:facet["index"]["byteEnd"]].decode()
            feature = facet["features"][0]
            if feature["$type"].endswith("#tag"):
                assert piece == "#" + feature["tag"]
            if feature["$type"].endswith("#mention"):
                assert piece.startswith("@")
        if "reply" in record and record["createdAt"] >= "2021-06-02":  # parents of early replies may predate the window
            assert record["reply"]["parent"]["uri"] in posts


def test_ingest_stores_every_row(formats: dict[str, Path], tmp_path: Path) -> None:
    ingest = pytest.importorskip("unmask.ingest").ingest
    for fmt, folder in formats.items():
        exports = sorted(p for p in folder.iterdir() if p.name.startswith("sim_"))
        results = ingest(exports, tmp_path / fmt)
        assert results and all(r.rows_quarantined == 0 and r.rows_read > 0 for r in results), fmt


def test_avatars_are_written_for_a_face_pipeline(tmp_path: Path, shared_data: Path) -> None:
    fake, real = shared_data / "faces/fake/sfhq-stylegan2", shared_data / "faces/real/dlib-examples"
    simulate(tmp_path, "demo", accounts=400, days=2, seed=4, avatars=(fake, real))
    truth = {r["account_id"]: r for r in read_csv(tmp_path / "ground_truth.csv")}
    listed = {r["account_id"]: tmp_path / r["avatar_path"] for r in read_csv(tmp_path / "avatars.csv")}
    assert set(listed) == {a for a, r in truth.items() if r["avatar_kind"] != "none"}
    sources = {p.read_bytes() for p in fake.iterdir()}
    by_kind: dict[str, list[bytes]] = defaultdict(list)
    for account, path in listed.items():
        by_kind[truth[account]["avatar_kind"]].append(path.read_bytes())
    assert all(data in sources for data in by_kind["ai_face"])  # copied byte for byte
    assert all(data.startswith(b"\x89PNG") for data in by_kind["cartoon"])
    assert len(set(by_kind["reused"])) < len(by_kind["reused"])  # shared pictures
    assert len(set(by_kind["photo"])) == len(by_kind["photo"])  # each photo account its own crop


def test_scenarios_scale_and_refuse_unknown_names() -> None:
    small = get_scenario("demo").scaled(accounts=500, days=3)
    assert small.days == 3 and small.accounts == 500
    assert all(10 <= c.size <= 2000 for c in small.campaigns)
    with pytest.raises(KeyError, match="demo"):
        get_scenario("nope")
    with pytest.raises(ValueError, match="too few"):
        get_scenario("demo").scaled(accounts=50)


def test_narrative_claims_are_reusable_in_every_language() -> None:
    from unmask.simulate.narratives import NARRATIVES, TARGETS, claims

    attacks = claims("critic_attacks", "zh")
    assert any(TARGETS["gao_wenming"].names["zh"] in c for c in attacks) and not any("{target}" in c for c in attacks)
    for narrative in NARRATIVES:
        assert all(claims(narrative, lang) for lang in ("en", "zh", "fr"))
