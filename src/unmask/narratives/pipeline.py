"""``run_narratives``: from the posts of a case to narratives, known claims, targets and per-cluster profiles.

Steps, each reading and writing tables of ``CASE/workspace.duckdb``:

1. ``keys``      -- a copypasta key per post, one row per distinct text (:mod:`.dedupe`);
2. ``language``  -- the language of every distinct text, then of every post: ``post_language``;
3. ``embed``     -- the texts within the budget, embedded once each (:mod:`.embed`);
4. ``cluster``   -- narratives (:mod:`.cluster`), labelled by c-TF-IDF (:mod:`.labels`): ``narratives``,
   ``post_narrative``;
5. ``claims``    -- matches against the claim library (:mod:`.claims`): ``claim_matches``;
6. ``targets``   -- who each cluster attacks or amplifies (:mod:`.targets`): ``targets``;
7. ``profiles``  -- narrative mix against the background (:mod:`.profile`): ``cluster_narratives``,
   ``cluster_narrative_summary``, ``account_narratives``;
8. ``export``    -- ``CASE/narratives.csv`` and ``CASE/targets.csv``.

Coordination clusters come from ``account_scores`` when `unmask analyze` has run; without them every account is
background and the narratives, claims and languages are still found.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from ..exports.csv import write_csv
from .claims import ClaimMatch, load_library, match_claims
from .cluster import NOISE, ClusterParams, cluster_texts
from .dedupe import TextSet, build_keys, choose_texts, drop_temp_tables
from .embed import Embedder, Thresholds, make_embedder
from .labels import class_tfidf, label_of
from .language import LanguageDetector, detect_post_languages
from .options import NarrativeOptions
from .profile import COPYPASTA_ACCOUNTS, build_profiles
from .tables import count, write_table
from .targets import build_targets

STEPS = ("keys", "language", "embed", "cluster", "claims", "targets", "profiles", "export")


@dataclass
class NarrativeSummary:
    """What one run found, how much it embedded, and how long each step took."""

    posts: int = 0
    distinct_texts: int = 0
    embedded_texts: int = 0
    narratives: int = 0
    posts_in_narratives: int = 0
    claim_matches: int = 0
    targets: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    model: str = ""
    library: str = ""
    files: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def run_narratives(
    con: duckdb.DuckDBPyConnection,
    case_dir: Path | str,
    options: NarrativeOptions | None = None,
    on_step: Callable[[str], None] | None = None,
    embedder: Embedder | None = None,
) -> NarrativeSummary:
    """Find narratives, claim matches, targets and cluster profiles in the workspace behind ``con``.

    Writes the tables listed in :mod:`unmask.narratives.tables` and ``narratives.csv`` / ``targets.csv`` into
    ``case_dir``.  ``on_step`` is called with each step's name as it starts; ``embedder`` replaces the model
    named in the options (tests pass a loaded one).  Raises ``LibraryError`` for an unusable claim library and
    ``ValueError`` for an unknown model.
    """
    options = options or NarrativeOptions()
    library = load_library(options.library)
    embedder = embedder or make_embedder(options.model, options.threads)
    thresholds = _thresholds(options, embedder)
    summary = NarrativeSummary(model=embedder.name, library=library.path)
    clock = _Clock(summary.seconds, on_step)

    clock.step("keys")
    summary.distinct_texts = build_keys(con)
    summary.posts = count(con, "SELECT count(*) FROM nv_post_keys")

    clock.step("language")
    detector = LanguageDetector(options.short_text_chars, options.min_language_confidence, workers=options.threads)
    summary.languages = detect_post_languages(con, detector, options.min_language_confidence)

    clock.step("embed")
    texts = choose_texts(con, options)
    vectors = embedder.encode(texts.texts)
    summary.embedded_texts = len(texts)

    clock.step("cluster")
    summary.narratives = _cluster(con, texts, vectors, options, thresholds)

    clock.step("claims")
    matches = match_claims(vectors, library, embedder, thresholds.claim, options.claim_margin)
    summary.claim_matches = _claim_tables(con, texts, matches)
    _narratives_table(con, options.examples_per_language)

    clock.step("targets")
    summary.targets = build_targets(con, library, options.max_targets, options.min_name_accounts,
                                    options.threads)

    clock.step("profiles")
    build_profiles(con, options.min_text_chars)
    summary.posts_in_narratives = count(con, "SELECT count(*) FROM post_narrative")

    clock.step("export")
    summary.files = export_narratives(con, Path(case_dir))
    drop_temp_tables(con)
    clock.stop()
    return summary


def export_narratives(con: duckdb.DuckDBPyConnection, case_dir: Path) -> dict[str, Path]:
    """Write ``narratives.csv`` and ``targets.csv`` into ``case_dir`` (cells safe from spreadsheet formulas)."""
    case_dir.mkdir(parents=True, exist_ok=True)
    files = {"narratives": case_dir / "narratives.csv", "targets": case_dir / "targets.csv"}
    write_csv(files["narratives"], con.sql("SELECT * FROM narratives ORDER BY narrative_id").to_arrow_table())
    write_csv(files["targets"], con.sql(
        "SELECT * FROM targets "
        "ORDER BY cluster_id NULLS LAST, kind = 'member', mentions + replies + reposts DESC, target"
    ).to_arrow_table())
    return files


def _cluster(con: duckdb.DuckDBPyConnection, texts: TextSet, vectors: np.ndarray, options: NarrativeOptions,
             thresholds: Thresholds) -> int:
    """Cluster and name: ``nv_text_narrative`` (every embedded text), ``post_narrative``, ``nv_narrative_terms``."""
    params = ClusterParams(
        merge_similarity=thresholds.merge, bridge_similarity=thresholds.bridge, assign_similarity=thresholds.assign,
        pca_dims=options.pca_dims, min_cluster_size=options.min_cluster_size, min_samples=options.min_samples,
        copy_min_accounts=options.copy_min_accounts, seed=options.seed, workers=options.threads,
    )
    clustering = cluster_texts(vectors, texts.authors, texts.langs, params)
    ids = narrative_ids(clustering.labels, texts)
    terms = class_tfidf(texts.texts, clustering.labels, options.top_terms)
    write_table(con, "nv_text_narrative", pa.table({
        "key": pa.array(texts.keys, pa.string()),
        "text": pa.array(texts.texts, pa.string()),
        "narrative_id": pa.array([ids.get(int(label)) for label in clustering.labels], pa.string()),
        "similarity": pa.array(np.round(clustering.similarity, 4), pa.float64()),
    }), temp=True)
    con.execute("""
        CREATE OR REPLACE TABLE post_narrative AS
        SELECT p.platform, p.post_id, t.narrative_id, t.similarity
        FROM nv_post_keys p JOIN nv_text_narrative t USING (key)
        WHERE t.narrative_id IS NOT NULL ORDER BY p.platform, p.post_id""")
    names = sorted(ids.values())
    by_id = {nid: label for label, nid in ids.items()}
    write_table(con, "nv_narrative_terms", pa.table({
        "narrative_id": pa.array(names, pa.string()),
        "top_terms": pa.array([terms.get(by_id[n], []) for n in names], pa.list_(pa.string())),
        "label": pa.array([label_of(terms.get(by_id[n], [])) for n in names], pa.string()),
    }), temp=True)
    return len(names)


def narrative_ids(labels: np.ndarray, texts: TextSet) -> dict[int, str]:
    """Stable ids ``N001``, ``N002``... for cluster labels: by posts (most first), then by smallest key."""
    order = []
    for label in sorted(set(labels.tolist()) - {NOISE}):
        members = np.flatnonzero(labels == label)
        order.append((-int(texts.posts[members].sum()), min(texts.keys[i] for i in members), label))
    return {label: f"N{rank + 1:03d}" for rank, (_, _, label) in enumerate(sorted(order))}


def _narratives_table(con: duckdb.DuckDBPyConnection, examples_per_language: int) -> None:
    """``narratives``: size, accounts, languages, terms, examples per language and the claims its posts match."""
    con.execute(f"""
        CREATE OR REPLACE TABLE narratives AS
        WITH members AS (
            SELECT t.narrative_id, t.key, t.text, t.similarity, k.posts, l.lang
            FROM nv_text_narrative t JOIN nv_keys k USING (key) JOIN nv_key_language l USING (key)
            WHERE t.narrative_id IS NOT NULL),
        posts AS (
            SELECT t.narrative_id, p.platform, p.post_id, p.account_id, p.flagged, p.kind, p.key, pl.lang
            FROM nv_post_keys p JOIN nv_text_narrative t USING (key) JOIN post_language pl USING (platform, post_id)
            WHERE t.narrative_id IS NOT NULL),
        stats AS (
            SELECT narrative_id, count(*) AS size, count(DISTINCT key) AS texts,
                   count(DISTINCT (platform, account_id)) AS accounts,
                   round(avg(CASE WHEN flagged THEN 1.0 ELSE 0.0 END), 4) AS flagged_share
            FROM posts GROUP BY narrative_id),
        copies AS (
            SELECT p.narrative_id, round(avg(CASE WHEN k.authors >= {COPYPASTA_ACCOUNTS} THEN 1.0 ELSE 0.0 END), 4)
                   AS copypasta_share
            FROM posts p JOIN nv_keys k USING (key)
            WHERE p.kind IS NULL OR p.kind NOT IN ('repost', 'forward') GROUP BY p.narrative_id),
        langs AS (
            SELECT narrative_id, lang, count(*) AS n,
                   row_number() OVER (PARTITION BY narrative_id ORDER BY count(*) DESC, lang) AS lang_rank,
                   sum(count(*)) OVER (PARTITION BY narrative_id) AS total
            FROM posts GROUP BY narrative_id, lang),
        examples AS (
            SELECT m.narrative_id, m.lang, l.lang_rank, m.text,
                   (SELECT min(post_id) FROM nv_post_keys p WHERE p.key = m.key) AS post_id,
                   row_number() OVER (PARTITION BY m.narrative_id, m.lang
                                      ORDER BY m.posts DESC, m.similarity DESC, m.key) AS rank
            FROM members m JOIN langs l USING (narrative_id, lang)
            WHERE l.lang_rank <= 3),
        claims AS (
            SELECT narrative_id, list(printf('%s/%s (%d)', narrative, claim, posts)
                                      ORDER BY posts DESC, narrative, claim)[1:3] AS claims
            FROM (SELECT pn.narrative_id, m.narrative, m.claim, count(*) AS posts
                  FROM post_narrative pn JOIN claim_matches m USING (platform, post_id) GROUP BY ALL)
            GROUP BY narrative_id)
        SELECT s.narrative_id, t.label, s.size, s.texts, s.accounts, s.flagged_share,
               coalesce(c.copypasta_share, 0.0) AS copypasta_share,
               (SELECT list(printf('%s %.0f%%', lang, 100 * n / total) ORDER BY lang_rank)
                FROM langs l WHERE l.narrative_id = s.narrative_id AND lang_rank <= 5) AS languages,
               t.top_terms,
               (SELECT list('[' || lang || '] ' || left(text, 280) ORDER BY lang_rank, rank)
                FROM examples e WHERE e.narrative_id = s.narrative_id AND rank <= {int(examples_per_language)})
                   AS examples,
               (SELECT list(post_id ORDER BY lang_rank, rank)
                FROM examples e WHERE e.narrative_id = s.narrative_id AND rank <= {int(examples_per_language)})
                   AS example_post_ids,
               coalesce(cl.claims, []::VARCHAR[]) AS claims
        FROM stats s JOIN nv_narrative_terms t USING (narrative_id) LEFT JOIN copies c USING (narrative_id)
        LEFT JOIN claims cl USING (narrative_id)
        ORDER BY s.narrative_id""")
    con.execute("DROP TABLE nv_narrative_terms")


def _claim_tables(con: duckdb.DuckDBPyConnection, texts: TextSet, matches: list[ClaimMatch]) -> int:
    """``claim_matches`` for every post whose text matched a claim; returns its row count."""
    write_table(con, "nv_text_claims", pa.table({
        "key": pa.array([texts.keys[m.text] for m in matches], pa.string()),
        "narrative": pa.array([m.narrative for m in matches], pa.string()),
        "claim": pa.array([m.claim for m in matches], pa.string()),
        "similarity": pa.array([m.similarity for m in matches], pa.float64()),
        "matched_wording": pa.array([m.wording for m in matches], pa.string()),
    }), temp=True)
    con.execute("""
        CREATE OR REPLACE TABLE claim_matches AS
        SELECT p.platform, p.post_id, c.narrative, c.claim, c.similarity, c.matched_wording
        FROM nv_post_keys p JOIN nv_text_claims c USING (key)
        ORDER BY p.platform, p.post_id, c.similarity DESC, c.narrative""")
    return count(con, "SELECT count(*) FROM claim_matches")


def _thresholds(options: NarrativeOptions, embedder: Embedder) -> Thresholds:
    """The similarity thresholds of this run: the options' where set, else the model's calibration."""
    model = embedder.thresholds
    return Thresholds(
        claim=model.claim if options.claim_similarity is None else options.claim_similarity,
        merge=model.merge if options.merge_similarity is None else options.merge_similarity,
        bridge=model.bridge if options.bridge_similarity is None else options.bridge_similarity,
        assign=model.assign if options.assign_similarity is None else options.assign_similarity,
    )


class _Clock:
    """Times the steps of a run into ``seconds`` and reports each step as it starts."""

    def __init__(self, seconds: dict[str, float], on_step: Callable[[str], None] | None):
        self.seconds, self.on_step = seconds, on_step
        self.name: str | None = None
        self.started = 0.0

    def step(self, name: str) -> None:
        self.stop()
        if self.on_step:
            self.on_step(name)
        self.name, self.started = name, time.perf_counter()

    def stop(self) -> None:
        if self.name is not None:
            self.seconds[self.name] = round(time.perf_counter() - self.started, 3)
        self.name = None
