"""Case folders for the report and UI tests, built table by table so every value is known.

``build_case`` writes a small workspace: the canonical tables (via :func:`unmask.schema.create_sql`) and the
tables the later stages write (``account_scores``, ``clusters``, ``network_edges``, ``trace_evidence``,
``persona_signals``, ``faces``, ``face_clusters``, ``narratives``, ``cluster_narratives``, ``targets``), with
hostile text in handles, names, bios and posts: each payload would set ``window.__pwned`` or change the page
title if it ever ran.  ``build_large_case`` writes 10,000 clustered accounts and 1,000,000 edges.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from PIL import Image

from unmask import schema
from unmask.workspace import WORKSPACE_FILE

T0 = dt.datetime(2021, 8, 2, 1, 0, 0)  # a Monday, 09:00 in UTC+8
PLATFORM = "twitter"
CLUSTERS = {1: 10, 2: 8}
ORGANIC = 12
RLO = "\u202e"
PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1;document.title=\'pwned\'">',
    "javascript:window.__pwned=1",
    "</script><script>document.title='pwned';window.__pwned=1</script>",
    f"{RLO}gnp.exe <!-- \u2028\u2029 --> <svg onload=window.__pwned=1>",
)
COPYPASTA = "The lies fabricated by the West about the region will not stand. Share the truth! " + PAYLOADS[0]
LONG_POST = "A" * 100_000 + PAYLOADS[1]
CONTROL_NAME = "bell\x07and\x00null"  # characters XML 1.0 cannot hold
FORMULA_HANDLE = "=HYPERLINK(\"http://evil.example\",\"x\")"

SCORE_COLUMNS = "platform VARCHAR, account_id VARCHAR, handle VARCHAR, cluster_id BIGINT, coordination_score DOUBLE, " \
                "flagged BOOLEAN, partners BIGINT, reasons VARCHAR"
CLUSTER_COLUMNS = "cluster_id BIGINT, size BIGINT, platforms VARCHAR, score DOUBLE, pairs BIGINT, density DOUBLE, " \
                  "traces VARCHAR, reasons VARCHAR"
EDGE_COLUMNS = "platform VARCHAR, source VARCHAR, target VARCHAR, trace VARCHAR, weight DOUBLE, " \
               "shared_objects BIGINT, co_actions BIGINT, min_dt DOUBLE, median_dt DOUBLE, expected DOUBLE, " \
               "significance DOUBLE"
EVIDENCE_COLUMNS = "trace VARCHAR, platform VARCHAR, account_a VARCHAR, account_b VARCHAR, object_id VARCHAR, " \
                   "post_a VARCHAR, post_b VARCHAR, dt DOUBLE"


@dataclass
class Case:
    """What a built case holds, for assertions."""

    path: Path
    members: dict[int, list[str]] = field(default_factory=dict)
    handles: dict[str, str] = field(default_factory=dict)
    organic: list[str] = field(default_factory=list)


def account_id(n: int) -> str:
    """The id of the n-th account of a built case."""
    return f"{1000 + n}"


def build_case(case_dir: Path) -> Case:
    """Write the small hostile case into ``case_dir`` and return what it holds."""
    case_dir.mkdir(parents=True, exist_ok=True)
    case = Case(case_dir)
    n = 0
    for cid, size in CLUSTERS.items():
        case.members[cid] = [account_id(n + i) for i in range(size)]
        n += size
    case.organic = [account_id(n + i) for i in range(ORGANIC)]
    everyone = [a for ids in case.members.values() for a in ids] + case.organic
    for i, aid in enumerate(everyone):
        case.handles[aid] = _handle(i)
    con = duckdb.connect(str(case_dir / WORKSPACE_FILE))
    for table in schema.CANONICAL:
        con.execute(schema.create_sql(table))
    _accounts(con, case, everyone)
    posts, evidence = _posts(con, case)
    _scores(con, case)
    _edges(con, case, evidence)
    _personas(con, case)
    _faces(con, case)
    _narratives(con, case)
    con.execute("INSERT INTO ingest_log VALUES ('exports/tweets.csv', ?, 'io-archive', ?, ?, 1, 0.5, ?)",
                ["ab" * 32, posts + 1, posts, T0])
    con.execute("INSERT INTO quarantine VALUES ('exports/tweets.csv', 7, 'unparsable date', ?)", [PAYLOADS[1]])
    con.close()
    (case_dir / "run.json").write_text(json.dumps({
        "command": "analyze", "unmask": "0.1.0", "python": "3.11.7", "packages": {"duckdb": "1.2.0"},
        "parameters": {"traces": ["co_post", "co_repost"], "trace_params": {"window_seconds": 60.0},
                       "network_params": {"alpha": 0.01, "min_shared": 2}, "community_method": "louvain"},
        "seconds": {"network": 1.234},
    }), encoding="utf-8")
    return case


def _handle(i: int) -> str:
    if i == 0:
        return "<script>window.__pwned=1</script>"
    if i == 1:
        return FORMULA_HANDLE
    if i == 2:
        return f"{RLO}evil_handle"
    return f"user_{i:03d}"


def _accounts(con: duckdb.DuckDBPyConnection, case: Case, everyone: list[str]) -> None:
    rows = []
    for i, aid in enumerate(everyone):
        created = dt.datetime(2021, 3, 1) + dt.timedelta(days=i % 20) if i < 18 else dt.datetime(2014 + i % 6, 5, 1)
        name = PAYLOADS[i % len(PAYLOADS)] if i < 5 else CONTROL_NAME if i == 5 else f"Name {i}"
        rows.append((PLATFORM, aid, case.handles[aid], name,
                     PAYLOADS[(i + 1) % len(PAYLOADS)] if i < 8 else "Just a person", None, created, 0, 12, 50,
                     "en", None, None, False, "Twitter Web App", "exports/users.csv"))
    insert(con, "accounts", rows)


def _post(pid: str, aid: str, at: dt.datetime, kind: str, text: str, reposted: str | None = None) -> tuple:
    return (PLATFORM, pid, aid, at, kind, text, "en", reposted, None, None, None, None, [], [], [], [], [],
            "Twitter Web App", "exports/tweets.csv", 1)


def _posts(con: duckdb.DuckDBPyConnection, case: Case) -> tuple[int, list[tuple]]:
    """Copypasta and fast reposts inside each cluster, ordinary posts elsewhere; returns evidence rows."""
    rows, evidence = [], []
    for cid, members in case.members.items():
        for day in range(10):
            start = T0 + dt.timedelta(days=day, hours=cid)
            seed = f"seed-{cid}-{day}"
            rows.append(_post(seed, members[0], start, "post", f"Narrative {day} {PAYLOADS[day % len(PAYLOADS)]}"))
            for k, aid in enumerate(members):
                at = start + dt.timedelta(seconds=5 + 3 * k)
                rows.append(_post(f"rp-{cid}-{day}-{k}", aid, at, "repost", f"RT: Narrative {day}", seed))
                text = LONG_POST if (cid, day, k) == (1, 0, 1) else COPYPASTA
                rows.append(_post(f"cp-{cid}-{day}-{k}", aid, at + dt.timedelta(hours=2), "post", text))
            for k in range(1, len(members)):
                evidence.append(("co_repost", PLATFORM, members[0], members[k], seed,
                                 f"rp-{cid}-{day}-0", f"rp-{cid}-{day}-{k}", 3.0 * k))
                evidence.append(("co_post", PLATFORM, members[0], members[k], f"text-{cid}",
                                 f"cp-{cid}-{day}-0", f"cp-{cid}-{day}-{k}", 3.0 * k))
    for i, aid in enumerate(case.organic):
        for day in range(10):
            rows.append(_post(f"org-{i}-{day}", aid, T0 + dt.timedelta(days=day, hours=(i * 7) % 24),
                              "post", f"My own thoughts on day {day} {PAYLOADS[(i + day) % len(PAYLOADS)]}"))
    insert(con, "posts", rows)
    return len(rows), evidence


def _scores(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    con.execute(f"CREATE TABLE account_scores ({SCORE_COLUMNS})")
    rows = []
    for cid, members in case.members.items():
        for k, aid in enumerate(members):
            rows.append((PLATFORM, aid, case.handles[aid], cid, 0.999 - 0.001 * k - 0.05 * (cid - 1), True,
                         len(members) - 1, f"reposted the same posts as {len(members) - 1} other accounts "
                                           f"(up to 10 posts with one of them, median gap 9 s); {PAYLOADS[k % 5]}"))
    for aid in case.organic:
        rows.append((PLATFORM, aid, case.handles[aid], None, 0.0, False, 0, ""))
    insert(con, "account_scores", rows)
    con.execute(f"CREATE TABLE clusters ({CLUSTER_COLUMNS})")
    for cid, members in case.members.items():
        pairs = len(members) - 1
        con.execute("INSERT INTO clusters VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [cid, len(members), PLATFORM, 0.995 - 0.05 * (cid - 1), 2 * pairs,
                     pairs / (len(members) * (len(members) - 1) / 2), "co_post,co_repost",
                     f"{len(members)} accounts with {pairs} significantly coordinated pairs; {PAYLOADS[3]}"])


def _edges(con: duckdb.DuckDBPyConnection, case: Case, evidence: list[tuple]) -> None:
    con.execute(f"CREATE TABLE network_edges ({EDGE_COLUMNS})")
    rows = []
    for members in case.members.values():
        for k in range(1, len(members)):
            a, b = sorted((members[0], members[k]))
            rows.append((PLATFORM, a, b, "co_repost", 0.9, 10, 10, 3.0 * k, 3.0 * k, 0.01, 12.0))
            rows.append((PLATFORM, a, b, "co_post", 0.8, 1, 10, 3.0 * k, 3.0 * k, 0.01, 10.0))
        for k in range(1, len(members) - 1):
            a, b = sorted((members[k], members[k + 1]))
            rows.append((PLATFORM, a, b, "co_repost", 0.7, 10, 10, 3.0, 3.0, 0.02, 8.0))
    insert(con, "network_edges", rows)
    con.execute(f"CREATE TABLE trace_evidence ({EVIDENCE_COLUMNS})")
    insert(con, "trace_evidence", evidence)


def _personas(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    con.execute("CREATE TABLE persona_signals (platform VARCHAR, account_id VARCHAR, utc_offset BIGINT, "
                "bio_templated BOOLEAN, client_automation BOOLEAN, persona_score DOUBLE, persona_reasons VARCHAR)")
    rows = [(PLATFORM, aid, 8, cid == 2 and k < 4, None, 0.8, f"created in a burst; {PAYLOADS[2]}")
            for cid, members in case.members.items() for k, aid in enumerate(members)]
    insert(con, "persona_signals", rows)


def _faces(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    faces_dir = case.path / "faces"
    faces_dir.mkdir(exist_ok=True)
    rng = np.random.default_rng(0)
    records = []
    for cid in case.members:
        montage, blend = faces_dir / f"cluster_{cid}_montage.png", faces_dir / f"cluster_{cid}_blend.png"
        Image.fromarray(rng.integers(0, 255, (96, 384, 3), dtype=np.uint8)).save(montage)
        Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(blend)
        records.append((str(cid), len(case.members[cid]), len(case.members[cid]), len(case.members[cid]), 7,
                        0.7, 0.5, str(blend), str(montage)))
    con.execute("CREATE TABLE face_clusters (cluster_id VARCHAR, accounts BIGINT, images BIGINT, faces BIGINT, "
                "template_matches BIGINT, template_share DOUBLE, blend_sharpness DOUBLE, blend_png VARCHAR, "
                "montage_png VARCHAR)")
    insert(con, "face_clusters", records)
    con.execute("CREATE TABLE faces (platform VARCHAR, account_id VARCHAR, path VARCHAR, flagged BOOLEAN, "
                "reuse_group BIGINT, reuse_accounts BIGINT)")
    members = case.members[1]
    insert(con, "faces", [(PLATFORM, aid, f"avatars/{aid}.jpg", True, 0 if k < 3 else k, 3 if k < 3 else 1)
                          for k, aid in enumerate(members)])


def _narratives(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    con.execute("CREATE TABLE narratives (narrative_id VARCHAR, label VARCHAR, size BIGINT, languages VARCHAR[], "
                "examples VARCHAR[], claims VARCHAR[])")
    con.execute("INSERT INTO narratives VALUES ('n1', 'lies fabricated by the West', 140, ['en', 'zh'], [?], "
                "['Xinjiang: lies fabricated by the West']), ('n2', 'gun violence', 4, ['en'], ['guns'], [])",
                [PAYLOADS[1]])
    con.execute("CREATE TABLE cluster_narratives (cluster_id BIGINT, narrative_id VARCHAR, label VARCHAR, "
                "posts BIGINT, share DOUBLE, background_share DOUBLE, lift DOUBLE, log_odds_z DOUBLE)")
    con.execute("INSERT INTO cluster_narratives VALUES (1, 'n1', 'lies fabricated by the West', 100, 0.5, 0.01, 50, 9),"
                " (1, 'n2', 'gun violence', 4, 0.02, 0.01, 2, 1), (2, 'n1', 'lies fabricated by the West', 30, 0.3,"
                " 0.01, 30, 5)")
    con.execute("CREATE TABLE targets (cluster_id BIGINT, target VARCHAR, kind VARCHAR, mentions BIGINT, "
                "replies BIGINT, reposts BIGINT, accounts BIGINT, hostile_share DOUBLE, example_post_ids VARCHAR[])")
    con.execute("INSERT INTO targets VALUES (1, ?, 'account', 3, 12, 0, 6, 0.75, []), "
                "(2, 'critic_journalist', 'account', 1, 3, 0, 2, 0.5, [])", [PAYLOADS[0]])


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples in column order) into ``table`` in one statement."""
    names = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    data = pa.table({name: pa.array(list(values)) for name, values in zip(names, zip(*rows, strict=True), strict=True)})
    con.register("_rows", data)
    con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
    con.unregister("_rows")


def build_large_case(case_dir: Path, accounts: int = 10_000, edges: int = 1_000_000, cluster_size: int = 100) -> None:
    """A workspace of ``accounts`` clustered accounts (``cluster_size`` each) and ``edges`` distinct significant
    pairs: account ``a`` is tied to the next ``edges / accounts`` accounts, so neighbours share a cluster."""
    case_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(case_dir / WORKSPACE_FILE))
    for table in schema.CANONICAL:
        con.execute(schema.create_sql(table))
    con.execute(f"""
        INSERT INTO accounts (platform, account_id, handle, display_name, created_at)
        SELECT 'twitter', CAST(i AS VARCHAR), 'acct_' || i, 'Account ' || i,
               TIMESTAMP '2020-01-01' + to_days(CAST(i % 400 AS INTEGER))
        FROM range({accounts}) t(i)""")
    con.execute(f"""
        INSERT INTO posts (platform, post_id, account_id, created_at, kind, text)
        SELECT 'twitter', 'p' || i, CAST(i % {accounts} AS VARCHAR),
               TIMESTAMP '2021-06-01' + to_seconds(CAST(i * 97 % 5000000 AS BIGINT)), 'post', 'post ' || i
        FROM range({accounts * 5}) t(i)""")
    con.execute(f"CREATE TABLE account_scores ({SCORE_COLUMNS})")
    con.execute(f"""
        INSERT INTO account_scores
        SELECT 'twitter', CAST(i AS VARCHAR), 'acct_' || i, i // {cluster_size},
               0.5 + 0.5 * ((i * 7919) % 1000) / 1000.0, true, 3, 'reposted the same posts as 3 other accounts'
        FROM range({accounts}) t(i)""")
    con.execute(f"CREATE TABLE clusters ({CLUSTER_COLUMNS})")
    con.execute("""
        INSERT INTO clusters SELECT cluster_id, count(*), 'twitter', median(coordination_score), 0, 0.0, 'co_repost', ''
        FROM account_scores GROUP BY cluster_id""")
    con.execute(f"CREATE TABLE network_edges ({EDGE_COLUMNS})")
    con.execute(f"""
        INSERT INTO network_edges
        SELECT 'twitter', CAST(least(a, b) AS VARCHAR), CAST(greatest(a, b) AS VARCHAR), 'co_repost',
               ((i * 31) % 997) / 997.0, 3, 3, 1.0, 2.0, 0.1, 2.0 + ((i * 17) % 1000) / 100.0
        FROM (SELECT i, i % {accounts} AS a, (i % {accounts} + 1 + i // {accounts}) % {accounts} AS b
              FROM range({edges}) t(i))""")
    con.close()
