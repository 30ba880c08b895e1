"""Vocabularies for generated text, one module per language (``en``, ``zh``, ``fr``).

Every module defines the same names; :mod:`unmask.simulate.text` combines them.  Sentences are built from
parts (subject + predicate + comment, templates with slots), so a few hundred phrases give millions of
distinct posts.  All phrases were written for unmask.
"""

from __future__ import annotations

from types import ModuleType
from typing import NamedTuple


class Topic(NamedTuple):
    """What ordinary people say about one topic.  Subjects take the predicates (they agree in number)."""

    subjects: tuple[str, ...]
    predicates: tuple[str, ...]
    activities: tuple[str, ...]  # fits the language's activity templates ("Just {a}.", "刚刚{a}", "Je viens de {a}")
    comments: tuple[str, ...]
    hashtags: tuple[str, ...]
    links: tuple[str, ...]  # URL patterns; "{id}" is replaced by a random token


def lexicons() -> dict[str, ModuleType]:
    """The vocabulary module of each language, by language code."""
    from . import en, fr, zh

    return {"en": en, "zh": zh, "fr": fr}
