"""Resemblance: comparing fingerprints, the file format, the library and the wording (no data sets needed)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from unmask.resemblance import (
    Fingerprint,
    FingerprintError,
    LibraryError,
    compare,
    default_library,
    fingerprint_workspace,
    load_library,
    percentile,
    rank,
    save_references,
)
from unmask.resemblance.calibrate import random_sets, statement
from unmask.resemblance.compare import similarity
from unmask.resemblance.families import FAMILY_NAMES, FEATURES
from unmask.resemblance.features import handle_style
from unmask.traces import TraceParams, run_traces
from unmask.workspace import Workspace

ATTRIBUTING = re.compile(r"\battribut(ed|es|ing)\b|\boperated by\b|\brun by\b|\bbehind (it|this)\b", re.IGNORECASE)

WEEK = [0.0] * 168
for _day in range(5):
    for _hour in range(1, 10):
        WEEK[_day * 24 + _hour] = 1 / 45


def office_network(name: str = "office network") -> Fingerprint:
    """A UTC+8 office-hours network with a creation burst, web clients and Chinese and English posts."""
    return Fingerprint(name=name, accounts=120, posts=4000, period=("2021-03", "2021-06"), families={
        "creation": {"year_month": {"2021-03": 0.9, "2020-11": 0.1}, "busiest_30_days": 0.88, "busiest_7_days": 0.4,
                     "spread_days": 40.0, "age_at_first_post_days": [60.0, 70.0, 80.0, 90.0, 110.0]},
        "handles": {"styles": {"default": 0.5, "formulaic": 0.3, "other": 0.2}, "name_unrelated": 0.4},
        "schedule": {"hour_of_week": WEEK, "utc_offset": 8, "office_share": 0.9, "weekend_ratio": 0.05,
                     "quiet_share": 0.01},
        "clients": {"categories": {"web": 1.0}},
        "language": {"account_languages": {"zh": 0.6, "en": 0.4}, "post_languages": {"en": 0.55, "zh": 0.45}},
        "audience": {"followers": [0.0, 0.0, 0.0, 2.0, 20.0], "zero_followers": 0.75,
                     "following_ratio": [10.0, 50.0, 150.0]},
        "tactics": {"kinds": {"post": 0.5, "repost": 0.3, "reply": 0.2}, "links": 0.2, "hashtags_per_post": 1.3,
                    "posts_per_account": [20.0, 30.0, 40.0], "copypasta": 0.25},
    })


def ordinary_people() -> Fingerprint:
    """Ordinary accounts: spread creation, phones, round-the-clock posting, real audiences."""
    evening = [1 / 168] * 168
    return Fingerprint(name="ordinary people", accounts=500, posts=20000, families={
        "creation": {"year_month": {f"{y}-06": 0.1 for y in range(2010, 2020)}, "busiest_30_days": 0.02,
                     "busiest_7_days": 0.01, "spread_days": 3000.0, "age_at_first_post_days": [300, 700, 1500, 2600, 3600]},
        "handles": {"styles": {"other": 0.85, "default": 0.15}, "name_unrelated": 0.15},
        "schedule": {"hour_of_week": evening, "utc_offset": -1, "office_share": 0.3, "weekend_ratio": 1.0,
                     "quiet_share": 0.2},
        "clients": {"categories": {"iphone": 0.5, "android": 0.4, "web": 0.1}},
        "language": {"account_languages": {"en": 0.9, "fr": 0.1}, "post_languages": {"en": 0.9, "fr": 0.1}},
        "audience": {"followers": [1.0, 10.0, 80.0, 300.0, 1000.0], "zero_followers": 0.09,
                     "following_ratio": [0.6, 2.8, 12.0]},
        "tactics": {"kinds": {"repost": 0.46, "post": 0.45, "reply": 0.07, "quote": 0.02}, "links": 0.37,
                    "hashtags_per_post": 0.17, "posts_per_account": [3.0, 10.0, 35.0], "copypasta": 0.02},
    })


def test_a_fingerprint_compared_with_itself_gives_one(tmp_path: Path) -> None:
    fingerprint = office_network()
    assert compare(fingerprint, fingerprint).similarity == 1.0
    loaded = Fingerprint.load(fingerprint.save(tmp_path / "f.json"))
    result = compare(loaded, fingerprint)
    assert result.similarity == 1.0
    assert set(result.families.values()) == {1.0}
    assert not result.differing() and not result.missing


def test_different_networks_score_lower_and_every_similarity_is_in_the_unit_interval() -> None:
    result = compare(office_network(), ordinary_people())
    assert result.similarity is not None and 0.0 <= result.similarity < 0.5
    assert all(0.0 <= f.similarity <= 1.0 for f in result.features)
    assert any(words.startswith("client apps: web 100% vs") for words in result.differing(limit=20))
    assert any("UTC+8 vs UTC-1" in words for words in result.differing(limit=20))


def test_families_missing_on_one_side_are_reported_not_treated_as_mismatches() -> None:
    full = office_network()
    users_only = replace(full, name="users file", families={k: full.families[k]
                                                           for k in ("creation", "handles", "language", "audience")})
    result = compare(full, users_only)
    assert result.similarity == 1.0
    assert set(result.families) == {"creation", "handles", "language", "audience"}
    assert sorted(m.split(":")[0] for m in result.missing) == ["client apps", "posting schedule", "tactics"]
    assert all("not in the reference" in m for m in result.missing)
    assert "not in users file" in compare(users_only, full).missing[0]
    assert compare(full, replace(full, families={})).similarity is None


def test_similarity_kinds_behave_at_their_edges() -> None:
    base = office_network()
    other_zone = replace(base, families={**base.families, "schedule": {**base.families["schedule"], "utc_offset": -16}})
    assert compare(base, other_zone).families["schedule"] == 1.0  # +8 and -16 are the same hour of the day
    disjoint = replace(base, families={"clients": {"categories": {"android": 1.0}}})
    assert compare(base, disjoint).families == {"clients": 0.0}


def test_every_feature_kind_has_a_similarity_and_words() -> None:
    fingerprint = office_network()
    stored = {(family, name) for family, values in fingerprint.families.items() for name in values}
    assert stored <= {(f.family, f.name) for f in FEATURES}
    assert {f.family for f in FEATURES} == set(FAMILY_NAMES)
    words = [f.words for f in compare(fingerprint, ordinary_people()).features]
    assert len(words) == len(stored) and all(": " in w and " vs " in w for w in words)


def test_similarity_alone_equals_the_full_comparison() -> None:
    full, people = office_network(), ordinary_people()
    users_only = replace(full, name="users file", families={k: full.families[k] for k in ("creation", "audience")})
    for subject, reference in [(full, people), (people, full), (full, users_only), (full, replace(full, families={}))]:
        assert similarity(subject, reference) == compare(subject, reference).similarity


def test_rank_puts_the_closest_reference_first() -> None:
    subject = replace(office_network(), name="cluster 7")
    ranked = rank(subject, [ordinary_people(), office_network("spamouflage-like"), replace(ordinary_people(), name="x",
                                                                                          families={})])
    assert [c.reference for c in ranked] == ["spamouflage-like", "ordinary people", "x"]
    assert ranked[-1].similarity is None


def test_file_format_is_versioned_and_checked(tmp_path: Path) -> None:
    path = office_network().save(tmp_path / "f.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "unmask-fingerprint" and document["version"] == 1
    assert list(document["families"]) == [f for f in FAMILY_NAMES if f in document["families"]]
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**document, "version": 99}), encoding="utf-8")
    with pytest.raises(FingerprintError, match="newer"):
        Fingerprint.load(newer)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": 1}), encoding="utf-8")
    with pytest.raises(FingerprintError, match="not an unmask fingerprint"):
        Fingerprint.load(other)


def test_library_keeps_one_file_per_reference_and_an_index(tmp_path: Path) -> None:
    library = tmp_path / "library"
    save_references([office_network("Net A"), ordinary_people()], library)
    save_references([replace(office_network("Net A"), accounts=7)], library)
    assert sorted(p.name for p in library.iterdir()) == ["index.json", "net-a.json", "ordinary-people.json"]
    loaded = load_library(library)
    assert [f.name for f in loaded] == ["Net A", "ordinary people"]
    assert loaded[0].accounts == 7
    index = json.loads((library / "index.json").read_text(encoding="utf-8"))
    assert index["references"][0]["families"] == list(office_network().families)
    with pytest.raises(LibraryError, match="no index.json"):
        load_library(tmp_path)


def test_shipped_references_load_and_hold_no_ids_handles_or_text() -> None:
    references = load_library(default_library())
    names = {f.name for f in references}
    assert {"IRA RightTroll", "IRA LeftTroll", "IRA NewsFeed", "IRA HashtagGamer", "IRA Fearmonger",
            "IRA NonEnglish"} <= names
    assert any(name.startswith("Twitter IO China 2019-08") for name in names)
    for path in default_library().glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://|@\w{3,}|\bRT\b", text), path


def test_percentile_and_random_sets_are_deterministic() -> None:
    null = np.array([0.1, 0.2, 0.3, 0.4])
    assert percentile(0.35, null) == 75.0
    assert percentile(0.3, null) == 62.5
    assert percentile(0.5, np.array([])) is None
    pool = [("x", f"a{i}") for i in range(50)]
    assert random_sets(pool, 5, 3, 0) == random_sets(list(reversed(pool)), 5, 3, 0)
    assert all(len(set(s)) == 5 for s in random_sets(pool, 5, 3, 0).values())


def test_statements_say_resembles_and_never_attribute() -> None:
    null = np.linspace(0.2, 0.6, 100)
    sentences = [
        statement("cluster 3", "IRA RightTroll", 0.9, percentile(0.9, null), null, "unflagged accounts"),
        statement("cluster 3", "IRA RightTroll", 0.4, percentile(0.4, null), null, "unflagged accounts"),
        statement("cluster 3", "IRA RightTroll", 0.4, None, np.array([]), "unflagged accounts"),
    ]
    assert "closer than 100% of 100 random same-size sets" in sentences[0]
    assert "no closer than random" in sentences[1]
    assert "not calibrated" in sentences[2]
    for sentence in sentences:
        assert "resembles" in sentence and "Resemblance is not attribution." in sentence
        assert not ATTRIBUTING.search(sentence)
    assert "no resemblance can be stated" in statement("cluster 3", "X", None, None, np.array([]), "accounts")


def test_handle_styles_come_from_the_persona_signals() -> None:
    assert handle_style("JaneDav41198277", "Jane Davis")[0] == "default"
    assert handle_style("x8KLy7wO3JssHGO", "Anna")[0] == "random"
    hashed = "vMm2zemFOF7kmXoDyX24Bo+TorqhNutpZlATYyxsE="
    assert handle_style(hashed, hashed)[0] == "anonymised"
    assert handle_style("ten_gop", "Tennessee")[0] == "other"  # IRA ids are lower-case handles


def test_avatar_and_narrative_families_come_from_the_faces_and_narratives_tables(case_dir: Path) -> None:
    start = dt.datetime(2021, 3, 1, 9)
    with Workspace(case_dir) as ws:
        con = ws.con
        for i in range(4):
            con.execute("INSERT INTO accounts (platform, account_id, handle, followers, following, created_at) "
                        "VALUES ('x', ?, ?, 0, 10, ?)", [f"a{i}", f"user{i}", start])
            for k in range(12):
                con.execute("INSERT INTO posts (platform, post_id, account_id, created_at, kind, text) "
                            "VALUES ('x', ?, ?, ?, 'post', ?)",
                            [f"p{i}-{k}", f"a{i}", start + dt.timedelta(hours=k), f"words {i} {k}"])
        con.execute("""CREATE TABLE faces AS SELECT * FROM (VALUES
            ('x', 'a0', true, 1, true, false), ('x', 'a1', false, 2, true, false), ('x', 'a2', false, 1, true, false))
            t(platform, account_id, flagged, reuse_accounts, face_found, skipped)""")
        con.execute("""CREATE TABLE claim_matches AS SELECT 'x' AS platform, 'p' || i || '-0' AS post_id,
                       'xinjiang_denial' AS narrative, 'western_fabrication' AS claim FROM range(3) r(i)""")
        [fingerprint] = fingerprint_workspace(con, "tables")
    assert fingerprint.families["avatars"]["kinds"] == {"ai_face_template": 0.25, "face": 0.25, "none": 0.25,
                                                       "reused": 0.25}
    assert fingerprint.families["narratives"] == {
        "claim_share": round(3 / 4 / 12, 4), "narratives": {"xinjiang_denial": 1.0},
        "claims": {"xinjiang_denial/western_fabrication": 1.0}}


def test_copypasta_from_the_co_post_trace_equals_copypasta_computed_here(case_dir: Path) -> None:
    start = dt.datetime(2021, 3, 1, 9)
    texts = ["Stop the lies about our region, see the truth here", "my own thoughts on the weather today, nothing more"]
    with Workspace(case_dir) as ws:
        con = ws.con
        for i in range(4):
            for k in range(5):
                text = texts[0] + " x7f3a" * (i % 2) if k < i else f"{texts[1]} {i} {k}"
                con.execute("INSERT INTO posts (platform, post_id, account_id, created_at, kind, text) "
                            "VALUES ('x', ?, ?, ?, 'post', ?)", [f"p{i}-{k}", f"a{i}", start, text])
        computed = fingerprint_workspace(con, "computed")[0].families["tactics"]["copypasta"]
        run_traces(con, TraceParams(), ["co_post"])
        assert con.execute("SELECT count(*) FROM trace_actions WHERE trace = 'co_post'").fetchall() == [(20,)]
        from_trace = fingerprint_workspace(con, "from trace")[0].families["tactics"]["copypasta"]
    assert computed == from_trace == round((0 + 1 / 5 + 2 / 5 + 3 / 5) / 4, 4)
