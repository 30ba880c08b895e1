"""The coordination network on a small synthetic world with a planted group, heavy users and a viral crowd."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import networkx as nx
import numpy as np
import pyarrow as pa
import pytest

from unmask.network import NetworkParams, build_graph, detect_communities, leiden_available, run_network
from unmask.network.explain import describe, gap
from unmask.network.poisson import log10_poisson_sf
from unmask.workspace import Workspace

WINDOW = 60
WEEK = 7 * 86400


def planted_world(con: duckdb.DuckDBPyConnection, seed: int = 0) -> dict[str, list[str]]:
    """Fill canonical accounts and the three trace tables (one trace, ``co_repost``); returns the account roles.

    * 300 organic accounts acting on 1,500 objects of Zipf popularity at random times over a week;
    * 6 organic heavy users with 2,500 actions each;
    * a viral crowd: 150 accounts, drawn in proportion to their activity, reposting each of 3 viral objects
      within minutes of each other;
    * a planted campaign: 12 accounts reposting 20 objects of their own, each within 40 s, 80 % turnout;
    * a spread campaign: 40 accounts reposting 150 objects of their own within 40 s, each joining only 12 % of them,
      so that no pair of members shares more than a handful of objects.
    """
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, 1501)
    popularity /= popularity.sum()
    rows: list[tuple[str, str, int]] = []
    organic = [f"organic{i:03d}" for i in range(300)]
    heavy = [f"heavy{i}" for i in range(6)]
    campaign = [f"campaign{i:02d}" for i in range(12)]

    def act(account: str, n: int) -> None:
        for obj, ts in zip(rng.choice(1500, size=n, p=popularity), rng.integers(0, WEEK, size=n)):
            rows.append((account, f"o{obj}", int(ts)))

    activity = {account: int(rng.lognormal(2.5, 0.8)) + 1 for account in organic}
    activity.update({account: 2500 for account in heavy})
    for account, n in activity.items():
        act(account, n)
    weights = np.array(list(activity.values()), dtype=float)
    crowd = list(rng.choice(list(activity), size=150, replace=False, p=weights / weights.sum()))
    for v in range(3):
        start = int(rng.integers(0, WEEK - 3600))
        for account in crowd:
            rows.append((str(account), f"viral{v}", start + int(rng.exponential(120))))
    for c in range(20):
        start = int(rng.integers(0, WEEK - 3600))
        for account in campaign:
            if rng.random() < 0.8:
                rows.append((account, f"camp{c}", start + int(rng.integers(0, 40))))
    for account in campaign:
        act(account, 10)
    spread = [f"spread{i:02d}" for i in range(40)]
    for c in range(150):
        start = int(rng.integers(0, WEEK - 3600))
        for account in spread:
            if rng.random() < 0.12:
                rows.append((account, f"spread{c}", start + int(rng.integers(0, 40))))
    for account in spread:
        act(account, 10)
    _store_world(con, rows, organic + heavy + campaign + spread)
    return {"organic": organic, "heavy": heavy, "crowd": [str(a) for a in crowd], "campaign": campaign,
            "spread": spread}


def _store_world(
    con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, int]], accounts: list[str],
    authors: dict[str, str] | None = None,
) -> None:
    """Store actions as trace ``co_repost`` with a naive exact pair join; ``authors`` names reposted posts' authors."""
    actions = pa.table({
        "account_id": [r[0] for r in rows],
        "object_id": [r[1] for r in rows],
        "epoch": [r[2] for r in rows],
        "post_id": [f"p{i}" for i in range(len(rows))],
    })
    con.register("_world", actions)
    con.execute(
        "CREATE OR REPLACE TABLE trace_actions AS SELECT 'co_repost' AS trace, 'x' AS platform, account_id, "
        "object_id, to_timestamp(epoch)::TIMESTAMP AS ts, post_id FROM _world"
    )
    con.unregister("_world")
    con.execute(
        f"""
        CREATE OR REPLACE TABLE trace_evidence AS
        SELECT a.trace, a.platform, a.account_id AS account_a, b.account_id AS account_b, a.object_id,
               a.post_id AS post_a, b.post_id AS post_b, epoch(b.ts) - epoch(a.ts) AS dt
        FROM trace_actions a JOIN trace_actions b
          ON a.trace = b.trace AND a.platform = b.platform AND a.object_id = b.object_id
         AND a.account_id < b.account_id AND abs(epoch(b.ts) - epoch(a.ts)) <= {WINDOW}
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE trace_pairs AS
        SELECT trace, platform, account_a, account_b, count(*) AS co_actions,
               count(DISTINCT object_id) AS shared_objects, min(abs(dt)) AS min_dt, median(abs(dt)) AS median_dt
        FROM trace_evidence GROUP BY ALL
        """
    )
    con.executemany("INSERT INTO accounts (platform, account_id, handle) VALUES ('x', ?, ?)",
                    [(a, "@" + a) for a in accounts])
    con.register("_reposts", actions.append_column(
        "author", pa.array([(authors or {}).get(r[1]) for r in rows], pa.string())
    ))
    con.execute(
        "INSERT INTO posts (platform, post_id, account_id, kind, reposted_post_id, reposted_account_id) "
        "SELECT 'x', post_id, account_id, 'repost', object_id, author FROM _reposts"
    )
    con.unregister("_reposts")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, dict[str, list[str]]]:
    ws = Workspace(tmp_path_factory.mktemp("network") / "case")
    roles = planted_world(ws.con)
    run_network(ws.con, NetworkParams())
    yield ws, roles
    ws.close()


def scores(ws: Workspace) -> dict[str, float]:
    return dict(ws.con.execute("SELECT account_id, coordination_score FROM account_scores").fetchall())


def test_poisson_tail_matches_direct_sums() -> None:
    k = np.array([1, 2, 5, 20, 20, 3, 40, 0])
    lam = np.array([0.001, 0.5, 5.0, 10.0, 30.0, 1e-9, 40.0, 2.0])
    direct = []
    for kk, ll in zip(k, lam):
        terms = [-ll + j * np.log(ll) - sum(np.log(np.arange(1, j + 1))) for j in range(kk, kk + 400)]
        direct.append(np.logaddexp.reduce(terms) / np.log(10) if kk else 0.0)
    assert np.allclose(log10_poisson_sf(k, lam), direct, rtol=1e-9, atol=1e-12)


def test_planted_group_outranks_heavy_users_and_viral_crowd(world: tuple[Workspace, dict[str, list[str]]]) -> None:
    ws, roles = world
    score = scores(ws)
    lowest_campaign = min(score[a] for a in roles["campaign"])
    highest_other = max(score[a] for a in roles["organic"] + roles["heavy"])
    assert lowest_campaign > 0.99
    assert highest_other < 0.01
    flagged = {a for (a,) in ws.con.execute("SELECT account_id FROM account_scores WHERE flagged").fetchall()}
    assert set(roles["campaign"]) <= flagged <= set(roles["campaign"] + roles["spread"])


def test_partner_test_finds_a_campaign_whose_pairs_are_weak(world: tuple[Workspace, dict[str, list[str]]]) -> None:
    ws, roles = world
    rows = ws.con.execute(
        """
        SELECT s.account_id FROM account_scores s
        WHERE s.flagged AND s.account_id LIKE 'spread%' AND NOT EXISTS (
            SELECT 1 FROM pair_significance p WHERE p.significant AND s.account_id IN (p.account_a, p.account_b))
        """
    ).fetchall()
    assert len(rows) >= 15  # flagged by their many surprising ties alone
    flagged = ws.con.execute("SELECT count(*) FROM account_scores WHERE flagged AND account_id LIKE 'spread%'")
    assert flagged.fetchone()[0] >= 36


def test_fans_of_one_account_are_not_coordinated(tmp_path: Path) -> None:
    """Twenty fans repost every post of their celebrity within seconds: one source, so never evidence."""
    rng = np.random.default_rng(1)
    rows, authors = [], {}
    fans = [f"fan{i:02d}" for i in range(20)]
    ring = [f"ring{i}" for i in range(10)]
    for k in range(60):
        authors[f"celeb_post{k}"] = "celebrity"
        start = int(rng.integers(0, WEEK))
        rows += [(fan, f"celeb_post{k}", start + int(rng.integers(0, 30))) for fan in fans if rng.random() < 0.8]
    for k in range(30):  # a ring amplifying each other's posts
        authors[f"ring_post{k}"] = ring[k % 10]
        start = int(rng.integers(0, WEEK))
        rows += [(member, f"ring_post{k}", start + int(rng.integers(0, 30))) for member in ring if member != ring[k % 10]]
    others = [f"other{i:03d}" for i in range(200)]
    rows += [(a, f"o{int(rng.integers(0, 400))}", int(rng.integers(0, WEEK))) for a in others for _ in range(10)]
    with Workspace(tmp_path / "case") as ws:
        _store_world(ws.con, rows, fans + ring + others, authors)
        run_network(ws.con, NetworkParams())
        flagged = {a for (a,) in ws.con.execute("SELECT account_id FROM account_scores WHERE flagged").fetchall()}
        assert flagged == set(ring)
        most = ws.con.execute("SELECT max(shared_objects) FROM trace_pairs WHERE account_a LIKE 'fan%'").fetchone()[0]
        assert most >= 30  # the fans do share many posts within the window


def test_raw_counts_alone_would_rank_heavy_users_above_the_campaign(
    world: tuple[Workspace, dict[str, list[str]]],
) -> None:
    """The world is hard: heavy users share more objects within the window than some campaign pairs do."""
    ws, _ = world
    heavy_most, campaign_least = ws.con.execute(
        "SELECT max(shared_objects) FILTER (WHERE account_a LIKE 'heavy%' AND account_b LIKE 'heavy%'), "
        "min(shared_objects) FILTER (WHERE account_a LIKE 'campaign%' AND account_b LIKE 'campaign%') FROM trace_pairs"
    ).fetchone()
    assert heavy_most > campaign_least
    kept = ws.con.execute(
        "SELECT count(*) FROM pair_significance WHERE significant AND "
        "(regexp_matches(account_a, '^(organic|heavy)') OR regexp_matches(account_b, '^(organic|heavy)'))"
    ).fetchone()[0]
    assert kept == 0


def test_single_shared_object_never_flags(tmp_path: Path) -> None:
    with Workspace(tmp_path / "case") as ws:
        rows = []
        for obj in range(40):  # two quiet accounts repost 40 times one object each, within a second, with many others
            rows.append(("loner_a", "only", 1000 + obj))
            rows.append(("loner_b", "only", 1000 + obj))
        for i in range(50):
            rows.append((f"other{i}", f"o{i}", 10_000 * i))
        _store_world(ws.con, rows, ["loner_a", "loner_b"] + [f"other{i}" for i in range(50)])
        run_network(ws.con, NetworkParams())
        assert ws.con.execute("SELECT count(*) FROM pair_significance").fetchone()[0] == 0
        flagged, score = ws.con.execute(
            "SELECT flagged, coordination_score FROM account_scores WHERE account_id = 'loner_a'"
        ).fetchone()
        assert not flagged and score == 0.0


def test_campaign_is_one_cluster_with_reasons_that_count_right(world: tuple[Workspace, dict[str, list[str]]]) -> None:
    ws, roles = world
    clusters = ws.con.execute(
        "SELECT DISTINCT cluster_id FROM account_scores WHERE account_id LIKE 'campaign%'"
    ).fetchall()
    assert len(clusters) == 1
    size, score, reasons = ws.con.execute(
        "SELECT size, score, reasons FROM clusters WHERE cluster_id = ?", [clusters[0][0]]
    ).fetchone()
    assert size == 12 and score > 0.99
    assert reasons.startswith("12 accounts with ")
    member = roles["campaign"][0]
    partners, most_shared, median_gap = ws.con.execute(
        """
        SELECT count(*), max(shared_objects), median(median_dt) FROM trace_pairs
        WHERE ? IN (account_a, account_b) AND account_a LIKE 'campaign%' AND account_b LIKE 'campaign%'
        """,
        [member],
    ).fetchone()
    reason = ws.con.execute("SELECT reasons FROM account_scores WHERE account_id = ?", [member]).fetchone()[0]
    accounts = ws.con.execute("SELECT count(DISTINCT account_id) FROM trace_actions").fetchone()[0]
    assert partners == 11
    assert reason == (
        f"had 11 surprising ties (p <= 0.001 each) where chance explains {0.001 * (accounts - 1):.2g}; "
        f"reposted the same posts as 11 other accounts (up to {most_shared} posts with one of them, "
        f"median gap {round(median_gap)} s)"
    )


def test_reason_wording() -> None:
    assert describe("co_repost", 37, 14, 8.0) == (
        "reposted the same posts as 37 other accounts (up to 14 posts with one of them, median gap 8 s)"
    )
    assert describe("co_post", 12, 8, 180.0) == (
        "posted identical text as 12 other accounts (up to 8 distinct texts with one of them, median gap 3 min)"
    )
    assert describe("co_link", 1, 1, 300.0) == "shared the same links as 1 other account (up to 1 link with one of them, median gap 5 min)"
    assert gap(7200) == "2 h" and gap(3 * 86400) == "3 days"


@pytest.mark.parametrize("method", ["louvain", "leiden"])
def test_communities_are_deterministic(method: str) -> None:
    if method == "leiden" and not leiden_available():
        pytest.skip("the optional leiden extra (igraph, leidenalg) is not installed")
    graph = nx.planted_partition_graph(6, 15, 0.5, 0.03, seed=3)
    edges = [(f"x:{a:03d}", f"x:{b:03d}", {"weight": 0.1 + (a * b) % 7 / 10}) for a, b in graph.edges]
    params = NetworkParams(method=method, seed=7)
    found = []
    for order in range(3):
        shuffled = list(edges)
        random.Random(order).shuffle(shuffled)
        g = nx.Graph()
        g.add_edges_from(shuffled)
        found.append(detect_communities(g, params))
    assert found[0] == found[1] == found[2]
    assert max(found[0].values()) >= 5
    sizes = [list(found[0].values()).count(c) for c in sorted(set(found[0].values()))]
    assert sizes == sorted(sizes, reverse=True)


def test_graph_keeps_per_trace_evidence(world: tuple[Workspace, dict[str, list[str]]]) -> None:
    ws, _ = world
    graph = build_graph(ws.con)
    a, b, data = next(iter(sorted(graph.edges(data=True))))
    assert data["traces"] == "co_repost"
    assert data["co_repost_shared_objects"] >= 2
    assert data["weight"] == pytest.approx(data["co_repost_weight"])
    assert data["significance"] >= 2
