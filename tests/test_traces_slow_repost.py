"""The slow co-repost trace: dripped reposts of rarely reposted posts pair up, viral posts and stale reposts do not."""

from __future__ import annotations

import pytest
from test_traces_catalog import pairs, post, repost, run, workspace

from unmask.network.explain import describe

HOUR = 3600


def dripped_and_viral() -> list[dict]:
    """Seeds S1, S2 by ``op0`` reposted by ``op1``, ``op2`` hours later; a viral post V reposted by 25 accounts
    (``op1`` and ``op2`` among them) within seconds; ``late`` reposting S1 two days on."""
    rows = [post("S1", "op0", 0), post("S2", "op0", 10 * HOUR)]
    for seed, start in (("S1", 0), ("S2", 10 * HOUR)):
        rows += [repost(f"{seed}-1", "op1", start + 2 * HOUR, seed), repost(f"{seed}-2", "op2", start + 5 * HOUR, seed)]
    rows += [repost(f"V-{i}", f"fan{i:02d}", 30 * HOUR + i, "V") for i in range(23)]
    rows += [repost("V-op1", "op1", 30 * HOUR + 1, "V"), repost("V-op2", "op2", 30 * HOUR + 2, "V")]
    rows.append(repost("S1-late", "late", 50 * HOUR, "S1"))
    return rows


def test_dripped_reposts_of_rare_posts_pair_and_the_viral_post_does_not():
    con = workspace(dripped_and_viral())
    assert run(con, "slow_repost") == [("op0", "op1", 2, 2), ("op0", "op2", 2, 2), ("op1", "op2", 2, 2)]
    objects = con.execute("SELECT DISTINCT object_id FROM trace_actions WHERE trace = 'slow_repost' ORDER BY 1")
    assert objects.fetchall() == [("S1",), ("S2",)]  # 25 reposters: V is no object
    gaps = con.execute("SELECT min_dt, median_dt FROM trace_pairs WHERE account_a = 'op1' AND account_b = 'op2'")
    assert gaps.fetchone() == (3 * HOUR, 3 * HOUR)
    assert ("op1", "op2", 1, 1) in run(con, "co_repost")  # the burst on V is co-repost's, and the drip is not


def test_the_post_itself_acts_at_posting_time():
    con = workspace(dripped_and_viral())
    run(con, "slow_repost")
    author = con.execute(
        "SELECT account_id, ts, post_id FROM trace_actions WHERE trace = 'slow_repost' AND object_id = 'S1' "
        "ORDER BY ts LIMIT 1").fetchone()
    assert author[0] == "op0" and author[2] == "S1"


def test_window_and_popularity_are_parameters():
    con = workspace(dripped_and_viral())
    assert run(con, "slow_repost", slow_window_seconds=2 * HOUR) == [("op0", "op1", 2, 2)]
    viral = run(con, "slow_repost", slow_max_reposters=25)
    assert ("op1", "op2", 3, 3) in viral and len(viral) == 3 + 2 * 23 + 23 * 22 // 2
    assert ("late", "op0") not in {pair[:2] for pair in pairs(con, "slow_repost")}  # two days late
    with pytest.raises(ValueError, match="slow_window_seconds"):
        run(con, "slow_repost", slow_window_seconds=0)


def test_reason_reads_as_a_sentence():
    assert describe("slow_repost", 12, 5, 9000.0) == (
        "amplified the same rarely reposted posts within a day as 12 other accounts "
        "(up to 5 posts with one of them, median gap 2 h)"
    )
