"""The shared pairing SQL against brute-force Python references on random data."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta

import duckdb
import numpy as np
import pytest

from unmask.traces.matching import overlap_candidates, overlap_matches_sql, shared_matches_sql, window_matches_sql

EPOCH = datetime(2021, 6, 1)


def actions_table(rows: list[tuple[str, str, float, str]]) -> duckdb.DuckDBPyConnection:
    """A connection with table ``actions(platform, account_id, object_id, ts, post_id)`` of (account, object, t, post)."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE actions (platform VARCHAR, account_id VARCHAR, object_id VARCHAR, ts TIMESTAMP, post_id VARCHAR)"
    )
    con.executemany(
        "INSERT INTO actions VALUES ('x', ?, ?, ?, ?)",
        [(account, obj, EPOCH + timedelta(seconds=t), post) for account, obj, t, post in rows],
    )
    return con


def random_actions(seed: int, n: int = 700) -> list[tuple[str, str, float, str]]:
    rng = random.Random(seed)
    return [(f"u{rng.randrange(40)}", f"o{rng.randrange(25)}", float(rng.randrange(900)), f"p{i}") for i in range(n)]


def brute_force_window(rows, window):
    found = set()
    for (acc1, obj1, t1, p1), (acc2, obj2, t2, p2) in itertools.combinations(rows, 2):
        if obj1 == obj2 and acc1 != acc2 and abs(t1 - t2) <= window:
            (a, pa), (b, pb) = sorted([(acc1, p1), (acc2, p2)])
            found.add((obj1, a, b, pa, pb, abs(t1 - t2)))
    return found


@pytest.mark.parametrize("window", [1.0, 2.5, 30.0, 60.0, 59.0, 400.0])
def test_bucketed_join_equals_brute_force(window):
    boundary = [("edge1", "o0", 100.0, "b1"), ("edge2", "o0", 100.0 + window, "b2")]
    rows = random_actions(seed=int(window * 10)) + boundary
    con = actions_table(rows)
    got = con.execute(
        f"SELECT object_id, account_a, account_b, post_a, post_b, dt FROM ({window_matches_sql('actions', window)})"
    ).fetchall()
    assert len(got) == len(set(got))  # no pair of actions twice
    expected = brute_force_window(rows, window)
    assert set(got) == expected
    assert ("o0", "edge1", "edge2", "b1", "b2", window) in expected  # |Δt| == W is a match


def test_window_boundary_is_inclusive_and_time_far_apart_is_not_a_match():
    con = actions_table([("a", "o", 0, "p1"), ("b", "o", 60, "p2"), ("c", "o", 60.5, "p3"), ("d", "o", 7200, "p4")])
    query = f"SELECT account_a, account_b, dt FROM ({window_matches_sql('actions', 60)}) ORDER BY 1, 2"
    got = con.execute(query).fetchall()
    assert got == [("a", "b", 60.0), ("b", "c", 0.5)]


def test_viral_post_yields_exactly_the_in_window_pairs():
    rng = np.random.default_rng(7)
    times = rng.integers(0, 3600, size=2000)
    rows = [(f"acc{i:04d}", "viral", float(t), f"p{i}") for i, t in enumerate(times)]
    con = actions_table(rows)
    got = con.execute(f"SELECT COUNT(*), MAX(dt) FROM ({window_matches_sql('actions', 60)})").fetchone()
    diffs = np.abs(times[:, None] - times[None, :])
    expected = int(np.count_nonzero(np.triu(diffs <= 60, k=1)))
    assert got == (expected, 60.0)
    assert expected < 2000 * 1999 // 2 / 20  # a small share of all pairs


def brute_force_crowd_cap(rows, window, max_crowd):
    """The actions whose object has at most ``max_crowd`` actions in their time bucket and the two beside it."""
    bucket = {i: (obj, int(t // window)) for i, (_, obj, t, _) in enumerate(rows)}
    sizes: dict[tuple[str, int], int] = {}
    for key in bucket.values():
        sizes[key] = sizes.get(key, 0) + 1
    return [row for i, row in enumerate(rows)
            if sum(sizes.get((bucket[i][0], bucket[i][1] + d), 0) for d in (-1, 0, 1)) <= max_crowd]


@pytest.mark.parametrize("max_crowd", [3, 10, 40])
def test_crowd_cap_pairs_exactly_the_actions_outside_crowds(max_crowd):
    rows = random_actions(seed=max_crowd, n=900)
    con = actions_table(rows)
    got = con.execute(
        f"SELECT object_id, account_a, account_b, post_a, post_b, dt FROM ({window_matches_sql('actions', 30, max_crowd)})"
    ).fetchall()
    assert set(got) == brute_force_window(brute_force_crowd_cap(rows, 30, max_crowd), 30)
    assert len(got) <= max_crowd * len(rows)


def test_viral_burst_pairs_with_nobody_while_a_small_group_still_does():
    burst = [(f"fan{i:03d}", "viral", float(i % 50), f"v{i}") for i in range(150)]
    group = [(f"op{i}", f"seed{k}", 1000.0 * k + i, f"s{k}-{i}") for k in range(4) for i in range(5)]
    con = actions_table(burst + group)
    capped = con.execute(
        f"SELECT DISTINCT object_id FROM ({window_matches_sql('actions', 60, 100)}) ORDER BY 1"
    ).fetchall()
    assert capped == [(f"seed{k}",) for k in range(4)]
    uncapped = con.execute(f"SELECT COUNT(*) FROM ({window_matches_sql('actions', 60)}) WHERE object_id = 'viral'")
    assert uncapped.fetchone() == (150 * 149 // 2,)


def test_same_account_never_pairs_with_itself():
    con = actions_table([("a", "o", 0, "p1"), ("a", "o", 5, "p2")])
    assert con.execute(f"SELECT COUNT(*) FROM ({window_matches_sql('actions', 60)})").fetchone() == (0,)


def test_shared_pairs_use_first_action_and_skip_objects_too_many_accounts_share():
    rows = [("a", "img", 0, "p1"), ("a", "img", 999, "p2"), ("b", "img", 10_000, "p3")]
    rows += [(f"c{i}", "egg", 0, f"q{i}") for i in range(6)]
    con = actions_table(rows)
    query = f"SELECT object_id, account_a, account_b, post_a, post_b, dt FROM ({shared_matches_sql('actions', 5)})"
    got = con.execute(query).fetchall()
    assert got == [("img", "a", "b", "p1", "p3", 10_000.0)]


def brute_force_overlap(sets: dict[str, set[str]], min_objects: int, threshold: float):
    pairs = set()
    for a, b in itertools.combinations(sorted(sets), 2):
        x, y = sets[a], sets[b]
        if len(x) >= min_objects and len(y) >= min_objects and len(x & y) / len(x | y) >= threshold - 1e-12:
            pairs.add((a, b, len(x & y)))
    return pairs


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 1.0])
def test_lsh_candidates_then_exact_overlap_equal_brute_force(threshold):
    rng = random.Random(int(threshold * 100))
    bins = [f"b{i:03d}" for i in range(120)]
    sets: dict[str, set[str]] = {}
    for group in range(12):  # groups of accounts sharing a schedule, with noise
        base = set(rng.sample(bins, rng.randrange(6, 30)))
        for member in range(rng.randrange(1, 6)):
            noisy = {b for b in base if rng.random() > 0.15} | set(rng.sample(bins, rng.randrange(0, 4)))
            sets[f"g{group}m{member}"] = noisy
    sets["twin"] = set(sets["g0m0"])  # an exact copy: Jaccard 1
    rows = [(acc, b, float(int(b[1:]) * 1800 + rng.randrange(1800)), f"{acc}-{b}")
            for acc, bin_set in sets.items() for b in bin_set]
    con = actions_table(rows)
    overlap_candidates(con, "SELECT * FROM actions", "candidates", 8, threshold, seed=1)
    got = con.execute(
        f"SELECT account_a, account_b, COUNT(*) FROM ({overlap_matches_sql('actions', 'candidates', 8, threshold)}) "
        "GROUP BY 1, 2"
    ).fetchall()
    expected = brute_force_overlap(sets, 8, threshold)
    assert set(got) == expected
    assert expected  # the data has positives


def test_partner_cap_keeps_each_accounts_closest_partners():
    rng = random.Random(3)
    schedule = set(range(40))
    sets = {f"m{i:02d}": schedule - set(rng.sample(sorted(schedule), rng.randrange(0, 5))) for i in range(30)}
    rows = [(acc, f"b{b}", float(b * 1800), f"{acc}-{b}") for acc, bins in sets.items() for b in bins]
    con = actions_table(rows)
    overlap_candidates(con, "SELECT account_id, object_id, platform FROM actions", "all_pairs", 8, 0.8, seed=1)
    overlap_candidates(con, "SELECT account_id, object_id, platform FROM actions", "capped", 8, 0.8, seed=1,
                       max_partners=3)
    everyone = con.execute("SELECT account_a, account_b FROM all_pairs").fetchall()
    capped = set(con.execute("SELECT account_a, account_b FROM capped").fetchall())

    def jaccard(x, y):
        return len(sets[x] & sets[y]) / len(sets[x] | sets[y])

    closest = {}
    for acc in sets:
        partners = sorted((p for pair in everyone for p in pair if acc in pair and p != acc),
                          key=lambda p: (-jaccard(acc, p), p))
        closest[acc] = set(partners[:3])
    assert capped == {(a, b) for a, b in everyone if b in closest[a] or a in closest[b]}
    assert len(everyone) == 30 * 29 // 2 and len(capped) < 30 * 3 * 2
