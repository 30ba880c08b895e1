"""Gazetteer names in post texts, looked up word by word.

A Latin-script name is found where it stands as whole words: at the start of the text or after a character
that is neither a letter nor a digit, and before such a character or the end.  Matches do not overlap and are
taken from left to right, the longest name first where several start at one place; the character that ends a
match is used up, so of two names separated by a single space only the first is found.  This is exactly what
one regular expression ``(?:^|[^\\p{L}\\p{N}])(name1|name2|...)(?:[^\\p{L}\\p{N}]|$)`` over the lower-cased text
finds (alternatives ordered longest first), but a regular expression with thousands of alternatives runs out
of automaton memory and crawls; looking names up by their first word is linear in the text.

Every word of a name (run of letters and digits, Unicode categories L and N, what :meth:`str.isalnum` tests)
is a whole word of the text where the name is found, so only the names whose words the text all has are looked
for (names without any letter or digit always are).

Names with Chinese characters are found anywhere in the original text (Chinese has no spaces between words).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from .text import has_cjk

_WORD = re.compile(r"[^\W_]+")
"""A run of letters and digits: ``\\w`` is letters, digits and the underscore."""


class NameFinder:
    """Finds the names of a gazetteer (lower case) in texts; see the module docstring for what counts."""

    def __init__(self, names: Iterable[str]):
        names = list(names)
        latin = sorted((n for n in names if not has_cjk(n)), key=lambda n: (-len(re.escape(n)), re.escape(n)))
        self._rank = {name: rank for rank, name in enumerate(latin)}
        self._by_word: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
        self._wordless: list[str] = []
        for name in latin:
            words = _WORD.findall(name)
            if words:
                self._by_word[words[0]].append((name, frozenset(words)))
            else:
                self._wordless.append(name)
        self._firsts = frozenset(self._by_word)
        chinese = sorted((re.escape(n) for n in names if has_cjk(n)), key=lambda n: (-len(n), n))
        self._chinese = re.compile("|".join(chinese)) if chinese else None

    def find(self, text: str, lowered: str) -> list[str]:
        """The names written in ``text``, in order: Latin names in ``lowered`` (``text`` lower-cased by the
        caller), then Chinese names in ``text``."""
        found = self._latin(lowered)
        if self._chinese is not None and has_cjk(text):
            found.extend(self._chinese.findall(text))
        return found

    def _latin(self, text: str) -> list[str]:
        words = _WORD.findall(text)
        firsts = self._firsts.intersection(words)
        if not firsts and not self._wordless:
            return []
        present = set(words)
        candidates = []
        named = [name for word in firsts for name, needs in self._by_word[word] if needs <= present]
        for name in named + self._wordless:
            start = text.find(name)
            while start >= 0:
                if _stands_alone(text, start, start + len(name)):
                    candidates.append((start, self._rank[name], name))
                start = text.find(name, start + 1)
        found: list[str] = []
        resume = 0  # where the search goes on after the last match: past the character that ended it
        for start, _, name in sorted(candidates):
            if (start == 0 and resume == 0) or (start > 0 and start - 1 >= resume):
                found.append(name)
                end = start + len(name)
                resume = end + 1 if end < len(text) else end
        return found


def _stands_alone(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` has no letter or digit right before or right after it."""
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
