"""Handle and name patterns of fabricated personas.

* ``handle_default``: a sign-up default, a name prefix plus 8 digits (``JaneDav41198277``), Twitter's default
  since 2017.  Millions of real people keep it, so it is weak evidence on its own.
* ``handle_random``: a string with no word in it (``x8KLy7wO3JssHGO``): at least two of several digit runs,
  upper-case letters inside a word, too few vowels, 14 or more characters.
* ``name_formulaic``: reduplicated-character names of the Spamouflage kind (``丽丽``, ``美美庭``, ``lili``).
* ``name_mismatch``: the display name shares nothing with the handle, compared across scripts (Chinese names
  through their pinyin and initials, Cyrillic through a transliteration); ``None`` when the two cannot be
  compared (a script without transliteration, too few letters, an anonymised handle).

Twitter's IO archives replace the handle and display name of small accounts by the hashed account id; such
accounts are ``anonymised`` and get no handle signals at all.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

DEFAULT_HANDLE = re.compile(r"^[A-Za-z][A-Za-z_]{0,14}[0-9]{8}$")
HASHED_ID = re.compile(r"^[A-Za-z0-9+/=_-]{32,}$")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
DOUBLED_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff])\1")
VOWELS = set("aeiouy")
MIN_COMPARABLE = 3
MIN_COMMON = 4
SHARED_FRACTION = 0.6

_CYRILLIC_LATIN = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "i", "ye", "g", "u"],
))


@dataclass(frozen=True)
class HandleSignals:
    """Handle and name signals of one account (``None``: not applicable)."""

    anonymised: bool
    handle_default: bool
    handle_random: bool
    name_formulaic: bool
    name_mismatch: bool | None


def handle_signals(handle: str | None, display_name: str | None) -> HandleSignals:
    """All handle and name signals of one account."""
    handle = (handle or "").strip().lstrip("@")
    name = (display_name or "").strip()
    if is_anonymised(handle):
        return HandleSignals(True, False, False, False, None)
    return HandleSignals(
        anonymised=False,
        handle_default=bool(DEFAULT_HANDLE.match(handle)) and len(handle) <= 15,
        handle_random=is_random_handle(handle),
        name_formulaic=is_formulaic_name(name, handle),
        name_mismatch=name_mismatch(name, handle),
    )


def is_anonymised(handle: str) -> bool:
    """True when the handle is the archive's hashed stand-in, i.e. hash-shaped (a readable handle that merely
    equals the account id, as in exports keyed by handle, is not anonymised)."""
    return bool(HASHED_ID.match(handle))


def is_random_handle(handle: str) -> bool:
    """True for a handle of 10+ characters showing at least two cues of a random string."""
    if len(handle) < 10:
        return False
    letters = [c for c in handle if c.isalpha()]
    digit_runs = len(re.findall(r"[0-9]+", handle))
    has_lower = any(c.islower() for c in handle)
    case_noise = sum(1 for i, c in enumerate(handle) if c.isupper() and not handle[i + 1: i + 2].islower())
    vowel_ratio = sum(1 for c in letters if c.lower() in VOWELS) / len(letters) if letters else 1.0
    cues = [
        digit_runs >= 2 and bool(letters),
        has_lower and case_noise >= 3,
        len(letters) >= 8 and vowel_ratio < 0.2,
        len(handle) >= 14,
    ]
    return sum(cues) >= 2


def is_formulaic_name(name: str, handle: str) -> bool:
    """True for a reduplicated Chinese name (two equal Han characters in a row) or a handle that is a doubled
    syllable (``lili``, ``meimei``, optionally followed by digits)."""
    if DOUBLED_HAN.search(name) and len(HAN.findall(name)) <= 4:
        return True
    letters = re.sub(r"[0-9_]+$", "", handle.lower())
    half = len(letters) // 2
    return 2 <= half <= 4 and len(letters) % 2 == 0 and letters.isalpha() and letters[:half] == letters[half:]


def name_mismatch(name: str, handle: str) -> bool | None:
    """True when the display name and the handle share no part; None when they cannot be compared."""
    handle_letters = re.sub(r"[^a-z]", "", _fold(handle))
    whole, partial = name_forms(name)
    if len(handle_letters) < MIN_COMPARABLE or not (whole or partial):
        return None
    if any(form in handle_letters for form in whole):
        return False
    return not any(_shares_run(form, handle_letters) for form in partial)


def _shares_run(form: str, handle_letters: str) -> bool:
    """A Latin word relates to the handle when they share a run of at least 4 letters and 60 % of the word
    (words of up to 4 letters must appear whole)."""
    if len(form) <= MIN_COMMON:
        return form in handle_letters
    run = max(MIN_COMMON, math.ceil(SHARED_FRACTION * len(form)))
    return any(form[i: i + run] in handle_letters for i in range(len(form) - run + 1))


@lru_cache(maxsize=65536)
def name_forms(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Latin-letter forms of a display name: forms that must appear whole in the handle (pinyin of the Chinese
    part: all syllables, initials, adjacent syllable pairs) and forms that may match in part (Latin and
    transliterated words, and the words joined)."""
    whole: list[str] = []
    han = "".join(HAN.findall(name))
    if han:
        syllables = [s for s in lazy_pinyin(han, style=Style.NORMAL, errors="ignore") if s]
        whole += ["".join(syllables), "".join(s[0] for s in syllables)]
        whole += [a + b for a, b in zip(syllables, syllables[1:])]
    words = [w for w in re.split(r"[^a-z]+", _fold(name)) if len(w) >= MIN_COMPARABLE]
    partial = words + (["".join(words)] if len(words) > 1 else [])
    return (tuple(dict.fromkeys(f for f in whole if len(f) >= 2)), tuple(dict.fromkeys(partial)))


def _fold(text: str) -> str:
    """Lower-case Latin letters of ``text``: accents dropped, Cyrillic transliterated, other scripts removed."""
    lowered = text.lower()
    if CYRILLIC.search(lowered):
        lowered = "".join(_CYRILLIC_LATIN.get(c, c) for c in lowered)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if "a" <= c <= "z" or c in " _-.0123456789")
