"""MinHash signatures, LSH grouping and the numpy union-find."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np

from unmask.traces.components import component_labels
from unmask.traces.minhash import near_duplicate_labels, shingle_hashes, signatures


def shingles(text: str, k: int) -> set[str]:
    return {text[i : i + k] for i in range(len(text) - k + 1)}


def test_shingle_hashes_follow_text_boundaries():
    hashes, offsets = shingle_hashes(["abcde", "abc", "xy"], 3)
    assert offsets.tolist() == [0, 3, 4]
    assert len(hashes) == 5
    assert hashes[0] == hashes[3]  # "abc" in both texts hashes alike
    assert len(set(hashes[:3].tolist())) == 3


def test_estimated_jaccard_tracks_true_jaccard():
    rng = random.Random(3)
    words = [f"w{i}" for i in range(400)]
    base = " ".join(rng.choices(words, k=40))
    variants = [base, base.replace("w1", "zz", 3), " ".join(base.split()[:30]), " ".join(rng.choices(words, k=40))]
    sig = signatures(variants, 4, 200, seed=5)
    for i in range(1, len(variants)):
        a, b = shingles(variants[0], 4), shingles(variants[i], 4)
        assert abs((sig[0] == sig[i]).mean() - len(a & b) / len(a | b)) < 0.1


def test_signatures_are_deterministic_and_seeded():
    texts = ["the same text here", "another text entirely"]
    assert np.array_equal(signatures(texts, 4, 64, seed=1), signatures(texts, 4, 64, seed=1))
    assert not np.array_equal(signatures(texts, 4, 64, seed=1), signatures(texts, 4, 64, seed=2))


def test_near_duplicates_group_and_unrelated_texts_stay_apart():
    texts = [  # normalised texts, as the near-duplicate trace passes them
        "新疆的所谓种族灭绝是美国和西方编造的谎言 请大家看清真相",
        "新疆的所谓种族灭绝是美国和西方编造的谎言 请大家看清楚真相",
        "新疆的所谓种族灭绝是美国和西方捏造的谎言 请大家看清真相",
        "今天天气很好 我们去公园散步吧 顺便买点水果回家",
        "the election was stolen and everybody knows it share before they delete this",
        "the election was stolen and everybody knows it share before they delete this now",
        "the election was not stolen everybody knows it stop sharing this lie",
    ]
    sig = signatures(texts, 3, 100, seed=1)
    labels = near_duplicate_labels(sig, 20, 5, 0.7).tolist()
    assert labels == [0, 0, 0, 3, 4, 4, 6]


def test_a_big_copypasta_cluster_is_one_group_without_all_pairs():
    rng = random.Random(11)
    base = "they are lying to you about the factory fire, the real death toll is hidden from the public"
    letters = "abcdefghijklmnopqrstuvwxyz"
    texts = [base + " " + "".join(rng.choices(letters, k=rng.randrange(1, 4))) for _ in range(3000)]
    labels = near_duplicate_labels(signatures(texts, 3, 100, seed=1), 20, 5, 0.7)
    assert set(labels.tolist()) == {0}


def test_component_labels_match_networkx():
    rng = np.random.default_rng(2)
    n = 500
    u, v = rng.integers(0, n, 420), rng.integers(0, n, 420)
    labels = component_labels(n, u, v)
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(u.tolist(), v.tolist()))
    for component in nx.connected_components(g):
        assert {int(labels[node]) for node in component} == {min(component)}
