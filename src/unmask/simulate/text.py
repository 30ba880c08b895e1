"""Post texts composed from the lexicons and the narratives.

Every method takes ``r``, a list of random non-negative integers (see :func:`random_rows`), and uses one
integer per choice, so texts are drawn in bulk with numpy and composed without touching a random generator.
Texts come without links (writers render those) and without leading ``@mentions`` (callers add them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from . import narratives as nv
from .lexicon import Topic, lexicons

ROW = 16  # random integers used per composed text
_TOKEN = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-"
_TAIL = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_TAIL_EMOJI = ("🌸", "✨", "🌹", "🍀", "⭐", "🌈", "🎈", "💐")
_DIRECTIONS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")

Text = tuple[str, tuple[str, ...], tuple[str, ...]]  # text, hashtags, urls


def random_rows(rng: np.random.Generator, n: int) -> list[list[int]]:
    """``n`` rows of random integers, one row per text to compose."""
    return rng.integers(0, 1 << 30, size=(n, ROW), dtype=np.int64).tolist()


def pick(options: tuple[str, ...], r: int) -> str:
    """The option selected by random integer ``r``."""
    return options[r % len(options)]


def token(r: int, length: int) -> str:
    """A URL-safe random-looking token."""
    chars = []
    for _ in range(length):
        r = (r * 1103515245 + 12345) & 0xFFFFFFFF
        chars.append(_TOKEN[(r >> 16) & 63])
    return "".join(chars)


_SENTENCE_START = re.compile(r"(^|[.!?] )([a-zà-ÿ])")


def _capital(text: str) -> str:
    """Capitalise the first letter of every sentence."""
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


@dataclass(frozen=True)
class _TopicVocab:
    topic: Topic
    comments: tuple[str, ...]


class Composer:
    """Composes the texts of every kind of simulated account."""

    def __init__(self) -> None:
        self.lex = lexicons()
        self.topics = tuple(self.lex["en"].TOPICS)
        self._vocab = {
            (lang, name): _TopicVocab(topic, topic.comments + module.COMMENTS)
            for lang, module in self.lex.items()
            for name, topic in module.TOPICS.items()
        }

    def organic(self, lang: str, topic: str, r: list[int], tag_pct: int = 25, link_pct: int = 15) -> Text:
        """An ordinary post about ``topic``, with hashtags and a link some of the time."""
        lex, vocab = self.lex[lang], self._vocab[(lang, topic)]
        tp = vocab.topic
        text = pick(lex.TEMPLATES, r[0]).format(
            o=pick(lex.OPENERS, r[1]), s=pick(tp.subjects, r[2]), p=pick(tp.predicates, r[3]),
            a=pick(tp.activities, r[4]), c=pick(vocab.comments, r[5]), t=pick(lex.TIMES, r[6]),
            e=pick(lex.ENDINGS, r[7]),
        )
        tags: tuple[str, ...] = ()
        if r[8] % 100 < tag_pct:
            first = r[9] % len(tp.hashtags)
            tags = (tp.hashtags[first],)
            if r[10] % 3 == 0:
                tags += (tp.hashtags[(first + 1 + r[11] % (len(tp.hashtags) - 1)) % len(tp.hashtags)],)
            text += ("\n" if r[10] // 3 % 4 == 1 else " ") + " ".join("#" + t for t in tags)
        urls: tuple[str, ...] = ()
        if r[12] % 100 < link_pct:
            urls = (pick(tp.links, r[13]).replace("{id}", token(r[14], 11)),)
        return _capital(text), tags, urls

    def reply(self, lang: str, r: list[int]) -> str:
        """A short reaction."""
        lex = self.lex[lang]
        return pick(lex.REPLIES, r[0]) + (pick(lex.ENDINGS, r[1]) if r[2] % 3 == 0 else "")

    def quote(self, lang: str, r: list[int]) -> str:
        """A comment on a quoted post."""
        return pick(self.lex[lang].QUOTES, r[3])

    def headline(self, lang: str, r: list[int]) -> str:
        """A news headline."""
        lex = self.lex[lang]
        event = pick(lex.EVENTS, r[0]).replace("{n}", str(2 + r[1] % 40))
        return pick(lex.HEADLINE_TEMPLATES, r[2]).format(place=pick(lex.PLACES, r[3]), event=event,
                                                         event_cap=_capital(event))

    def weather(self, lang: str, city: str, hour: int, r: list[int]) -> str:
        """An hourly weather report."""
        lex = self.lex[lang]
        return lex.WEATHER.format(city=city, hh=f"{hour:02d}", temp=8 + r[0] % 26,
                                  cond=pick(lex.WEATHER_CONDITIONS, r[1]), hum=30 + r[2] % 65, wind=r[3] % 45,
                                  dir=pick(_DIRECTIONS, r[4]))

    def alert(self, lang: str, r: list[int]) -> str:
        """An automatic alert; bots given the same ``r`` describe the same event."""
        lex = self.lex[lang]
        return pick(lex.ALERTS, r[0]).format(
            mag=f"{2.5 + (r[1] % 40) / 10:.1f}", km=5 + r[2] % 90, dir=pick(_DIRECTIONS, r[3]),
            place=pick(lex.PLACES, r[4]),
            hh=f"{r[5] % 24:02d}", mm=f"{r[6] % 60:02d}", depth=2 + r[7] % 30, aqi=101 + r[8] % 200,
            level=pick(lex.AQI_LEVELS, r[9]),
        )

    def celebrity(self, lang: str, r: list[int]) -> str:
        """A celebrity's post to fans."""
        lex = self.lex[lang]
        return pick(lex.CELEBRITY_LINES, r[0]).format(place=pick(lex.PLACES, r[1]), n=2 + r[2] % 15) + (
            pick(lex.ENDINGS, r[3]) if r[4] % 2 else "")

    def fan_reply(self, lang: str, r: list[int]) -> str:
        """A fan's reply to their celebrity."""
        return pick(self.lex[lang].FAN_REPLIES, r[5])

    def critic(self, target: nv.Target, lang: str, r: list[int]) -> str:
        """A post by a critic whom campaigns attack."""
        statements = target.statements.get(lang) or target.statements[target.language]
        return pick(statements, r[0])

    def narrative(self, narrative_id: str, lang: str, r: list[int], target: str | None = None) -> Text:
        """A campaign post for a narrative: an opener, one claim, a closer and up to three hashtags."""
        narrative = nv.NARRATIVES[narrative_id]
        claims = narrative.claims.get(lang) or narrative.claims["en"]
        claim = pick(claims, r[0])
        if "{target}" in claim:
            name_lang = lang if lang in narrative.claims else "en"
            claim = claim.format(target=nv.TARGETS[target or narrative.targets[0]].names[name_lang])
        text = pick(nv.OPENERS[lang], r[1]) + claim + pick(nv.CLOSERS[lang], r[2])
        tags = self._campaign_tags(narrative, lang, r[3] % 4, r[4])
        if tags:
            text += ("\n\n" if r[9] % 3 == 0 else " ") + " ".join("#" + t for t in tags)
        return text, tags, ()

    def flood(self, narrative_id: str, lang: str, r: list[int]) -> Text:
        """A hashtag-flooding post: a few words and three to five hashtags."""
        narrative = nv.NARRATIVES[narrative_id]
        tags = self._campaign_tags(narrative, lang, 3 + r[0] % 3, r[1])
        slogan = pick(nv.CLOSERS[lang][2:], r[2]).strip()
        return slogan + " " + " ".join("#" + t for t in tags), tags, ()

    def link(self, narrative_id: str, r: list[int]) -> tuple[str, ...]:
        """A link to one of the narrative's domains, or none when it has no domains."""
        domains = nv.NARRATIVES[narrative_id].domains
        if not domains:
            return ()
        section = ("news", "article", "world", "health", "opinion")[r[6] % 5]
        return (f"https://{pick(domains, r[5])}/{section}/{token(r[7], 9).lower().replace('_', '-')}",)

    @staticmethod
    def tail(r: list[int]) -> str:
        """The random string operators append to copypasta so that exact-duplicate filters miss it."""
        style = r[8] % 3
        if style == 0:
            return " " + "".join(_TAIL[(r[9] >> (5 * i)) % len(_TAIL)] for i in range(3 + r[10] % 4))
        if style == 1:
            return " " + _TAIL_EMOJI[r[9] % len(_TAIL_EMOJI)] * (1 + r[10] % 3)
        return " " + str(r[9] % 100000)

    @staticmethod
    def _campaign_tags(narrative: nv.Narrative, lang: str, count: int, r: int) -> tuple[str, ...]:
        pool = narrative.hashtags.get(lang) or narrative.hashtags["en"]
        count = min(count, len(pool))
        start = r % len(pool)
        return tuple(pool[(start + i) % len(pool)] for i in range(count))
