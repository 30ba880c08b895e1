"""Known claims: a library the investigator edits (TOML), matched against posts in any language.

A library holds narratives; a narrative holds claims; a claim holds example wordings in any language, a polarity
(``attack``: hostile to its targets, ``praise``: amplifies them, ``assert``: neither) and the targets it is about.
A narrative may list ``counter`` wordings: texts on the same topic that are *not* the narrative (a critic's
claim, a neutral news line).  Targets name people, outlets and organisations with their names in every language.
See ``library/starter.toml`` for the format; every wording is the project's own.

A post matches a claim when its cosine similarity to the claim's nearest wording reaches the threshold *and*
beats the nearest counter wording of the narrative by ``margin``: embeddings place "the camps are a lie" close to
"survivors describe the camps", and the counter wordings are how an investigator tells them apart.  Each post
matches at most one claim per narrative (its best); the wording that matched is kept as the evidence.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from .embed import Embedder
from .text import readable

POLARITIES = ("attack", "praise", "assert")
TARGET_KINDS = ("person", "outlet", "organisation", "government", "group", "place")


class LibraryError(ValueError):
    """A claim library that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Claim:
    """One claim of a narrative, with its example wordings."""

    narrative: str
    id: str
    polarity: str
    targets: tuple[str, ...]
    wordings: tuple[str, ...]


@dataclass(frozen=True)
class Target:
    """A person, outlet or organisation that claims are about, with its names in every language."""

    id: str
    kind: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class ClaimLibrary:
    """Narratives (id -> title), their claims and counter wordings, and the targets."""

    path: str
    titles: dict[str, str]
    claims: tuple[Claim, ...]
    counters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)


@dataclass(frozen=True)
class ClaimMatch:
    """A text (by index) matching a claim, with the similarity and the wording that matched."""

    text: int
    narrative: str
    claim: str
    similarity: float
    wording: str


def starter_library_path() -> Path:
    """The starter library shipped with unmask (the motivating case, in en, zh and fr)."""
    return Path(str(resources.files("unmask.narratives") / "library" / "starter.toml"))


def load_library(path: Path | str | None = None) -> ClaimLibrary:
    """Read and check a claim library; ``None`` reads the starter library.  Raises :class:`LibraryError`."""
    path = Path(path) if path else starter_library_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LibraryError(f"{path}: cannot read the claim library: {exc}") from exc
    targets = {tid: _target(path, tid, entry) for tid, entry in sorted(data.get("targets", {}).items())}
    titles: dict[str, str] = {}
    counters: dict[str, tuple[str, ...]] = {}
    claims: list[Claim] = []
    for nid, entry in sorted(data.get("narratives", {}).items()):
        titles[nid] = str(entry.get("title", nid))
        counters[nid] = _strings(path, f"narratives.{nid}.counter", entry.get("counter", []))
        for claim in entry.get("claims", []):
            claims.append(_claim(path, nid, claim, targets))
    if not claims:
        raise LibraryError(f"{path}: no claims (expected [[narratives.<id>.claims]] entries with wordings)")
    return ClaimLibrary(str(path), titles, tuple(claims), counters, targets)


def match_claims(vectors: np.ndarray, library: ClaimLibrary, embedder: Embedder, threshold: float,
                 margin: float) -> list[ClaimMatch]:
    """Every (text, narrative) best claim match of the unit ``vectors`` against ``library`` (see module doc)."""
    wordings = [(c, w) for c in library.claims for w in c.wordings]
    counters = [(nid, w) for nid, ws in library.counters.items() for w in ws]
    encoded = embedder.encode([readable(w) for _, w in wordings] + [readable(w) for _, w in counters])
    claim_sims = vectors @ encoded[: len(wordings)].T
    counter_sims = vectors @ encoded[len(wordings):].T
    counter_best = {nid: counter_sims[:, [i for i, (n, _) in enumerate(counters) if n == nid]].max(axis=1)
                    for nid in {n for n, _ in counters}}
    matches: list[ClaimMatch] = []
    for nid in library.titles:
        columns = [i for i, (c, _) in enumerate(wordings) if c.narrative == nid]
        if not columns:
            continue
        sims = claim_sims[:, columns]
        best = sims.argmax(axis=1)
        best_sim = sims[np.arange(len(vectors)), best]
        floor = np.maximum(threshold, counter_best[nid] + margin) if nid in counter_best else threshold
        for text in np.flatnonzero(best_sim >= floor):
            claim, wording = wordings[columns[best[text]]]
            matches.append(ClaimMatch(int(text), nid, claim.id, round(float(best_sim[text]), 4), wording))
    return sorted(matches, key=lambda m: (m.text, -m.similarity, m.narrative))


def hostile_claims(library: ClaimLibrary) -> set[tuple[str, str]]:
    """``(narrative, claim)`` of the claims whose polarity is ``attack``."""
    return {(c.narrative, c.id) for c in library.claims if c.polarity == "attack"}


def _claim(path: Path, nid: str, entry: dict, targets: dict[str, Target]) -> Claim:
    where = f"narratives.{nid}.claims[{entry.get('id', '?')}]"
    if "id" not in entry:
        raise LibraryError(f"{path}: a claim of narrative {nid!r} has no id")
    polarity = entry.get("polarity", "assert")
    if polarity not in POLARITIES:
        raise LibraryError(f"{path}: {where}: polarity must be one of {', '.join(POLARITIES)}, not {polarity!r}")
    claim_targets = _strings(path, f"{where}.targets", entry.get("targets", []))
    unknown = [t for t in claim_targets if t not in targets]
    if unknown:
        raise LibraryError(f"{path}: {where}: unknown targets {unknown} (define them under [targets.<id>])")
    wordings = _strings(path, f"{where}.wordings", entry.get("wordings", []))
    if not wordings:
        raise LibraryError(f"{path}: {where}: no wordings")
    return Claim(nid, str(entry["id"]), polarity, claim_targets, wordings)


def _target(path: Path, tid: str, entry: dict) -> Target:
    kind = entry.get("kind", "person")
    if kind not in TARGET_KINDS:
        raise LibraryError(f"{path}: targets.{tid}: kind must be one of {', '.join(TARGET_KINDS)}, not {kind!r}")
    names = _strings(path, f"targets.{tid}.names", entry.get("names", []))
    if not names:
        raise LibraryError(f"{path}: targets.{tid}: no names")
    return Target(tid, kind, names)


def _strings(path: Path, where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LibraryError(f"{path}: {where} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)

