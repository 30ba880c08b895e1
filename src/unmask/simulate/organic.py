"""The organic population: ordinary people and the honest accounts that look coordinated.

Besides regular users (heavy-tailed activity, many silent sign-up-default accounts) the world holds the hard
negatives of coordination detection: news outlets and the syndication accounts that repeat their headlines
word for word, celebrities whose fans repost them within seconds (and use their photo), weather and alert
bots posting templated text on the same schedule, and outspoken critics that campaigns attack.
"""

from __future__ import annotations

import numpy as np

from . import handles
from .ids import rng_for
from .narratives import TARGETS
from .scenarios import LANGS, OrganicSpec
from .text import Composer, random_rows
from .timing import DAY_MS, HOUR_MS, date_ms
from .lexicon import lexicons
from .world import (ALERT_BOT, AVATAR_KINDS, CELEBRITY, CLIENTS, CRITIC, FAN, NEWS, REGULAR, SYNDICATION, WEATHER_BOT,
                    Accounts, new_accounts)

# where speakers of each language live: (minutes east of UTC, share), summer time included
OFFSETS = {
    "en": ((-420, 0.14), (-360, 0.06), (-300, 0.12), (-240, 0.25), (60, 0.16), (330, 0.1), (600, 0.06), (480, 0.05),
           (0, 0.06)),
    "zh": ((480, 0.86), (-420, 0.05), (-240, 0.05), (60, 0.04)),
    "fr": ((120, 0.7), (-240, 0.15), (0, 0.1), (60, 0.05)),
}
FAN_TOPICS = ("music", "film")


def _avatar(kind: str) -> int:
    return AVATAR_KINDS.index(kind)


def _client(name: str) -> int:
    return CLIENTS.index(name)


def _choose(rng: np.random.Generator, options: tuple[tuple, ...], n: int) -> np.ndarray:
    values = np.array([o[0] for o in options])
    weights = np.array([o[1] for o in options], dtype=float)
    return values[rng.choice(len(options), size=n, p=weights / weights.sum())]


def _langs(rng: np.random.Generator, spec: OrganicSpec, n: int) -> np.ndarray:
    return np.array([LANGS.index(code) for code in _choose(rng, spec.languages, n)], dtype=np.int8)


def _offsets(rng: np.random.Generator, langs: np.ndarray) -> np.ndarray:
    out = np.zeros(len(langs), np.int16)
    for i, code in enumerate(LANGS):
        mask = langs == i
        out[mask] = _choose(rng, OFFSETS[code], int(mask.sum()))
    return out


def _created(rng: np.random.Generator, n: int, first: str, last_ms: int, later: float = 1.5) -> np.ndarray:
    """Creation times between ``first`` and ``last_ms``, skewed towards recent years."""
    lo = date_ms(first)
    return lo + (rng.beta(later, 1.0, size=n) * (last_ms - lo)).astype(np.int64)


def _log_uniform(rng: np.random.Generator, lo: float, hi: float, n: int) -> np.ndarray:
    return (10 ** rng.uniform(lo, hi, size=n)).astype(np.int64)


def _share(rng: np.random.Generator, mean: float, n: int, concentration: float = 4.0) -> np.ndarray:
    return rng.beta(mean * concentration, (1 - mean) * concentration, size=n)


class OrganicBuilder:
    """Builds the organic account blocks in a fixed order (celebrities first, so fans can point at them)."""

    def __init__(self, spec: OrganicSpec, start_ms: int, seed: int, book: handles.HandleBook, composer: Composer):
        self.spec, self.start_ms, self.book, self.composer = spec, start_ms, book, composer
        self.rng = rng_for(seed, "organic-accounts")
        self.blocks: list[Accounts] = []

    @property
    def built(self) -> int:
        """Accounts built so far (the global index of the next one)."""
        return sum(len(b) for b in self.blocks)

    def build(self, n: int) -> list[Accounts]:
        """``n`` organic accounts, as blocks in index order."""
        s = self.spec
        celebrities = max(3, round(n * s.celebrity_share))
        outlets = max(3, round(n * s.news_share))
        bots = max(5, round(n * s.bot_share))
        fans = round(n * s.fan_share)
        special = celebrities + outlets * (1 + s.syndicators_per_outlet) + bots + len(TARGETS) + fans
        if n < special + 50:
            raise ValueError(f"{n} organic accounts are too few for the organic population")
        self._celebrities(celebrities)
        self._news(outlets)
        self._bots(bots)
        self._critics()
        self._fans(fans, celebrities)
        self._regular(n - self.built)
        return self.blocks

    def _block(self, kind: int, n: int, langs: np.ndarray | None = None,
               first: str = "2008-01-01") -> tuple[Accounts, list[list[int]]]:
        rng = self.rng
        langs = _langs(rng, self.spec, n) if langs is None else langs
        block = new_accounts(n, kind, langs, _offsets(rng, langs), _created(rng, n, first, self.start_ms - 30 * DAY_MS))
        block.chrono = np.clip(rng.normal(0, 1.2 * HOUR_MS, size=n), -4 * HOUR_MS, 4 * HOUR_MS).astype(np.int64)
        block.topics = rng.integers(0, len(self.composer.topics), size=(n, 3)).astype(np.int8)
        rows = random_rows(rng, n)
        block.location[:] = [handles.location(LANGS[lang], r) for lang, r in zip(block.lang, rows)]
        return block, rows

    def _people(self, block: Accounts, rows: list[list[int]], default: np.ndarray | None = None) -> None:
        for i, r in enumerate(rows):
            lang = LANGS[block.lang[i]]
            person = handles.default_person if default is not None and default[i] else handles.organic_person
            name, handle = person(lang, r)
            block.name[i], block.handle[i] = name, self.book.claim(handle, r[3])
            block.bio[i] = handles.organic_bio(lang, r)

    def _celebrities(self, n: int) -> None:
        rng = self.rng
        block, rows = self._block(CELEBRITY, n, first="2009-01-01")
        for i, r in enumerate(rows):
            lang = LANGS[block.lang[i]]
            name, handle = handles.organic_person(lang, r)
            handle = handles.ascii_name(name) or handle
            block.name[i] = name
            suffix = ("Official", "Music", "", "HQ")[r[4] % 4]
            block.handle[i] = self.book.claim(handle[: handles.MAX_HANDLE - len(suffix)] + suffix, r[3])
            block.website[i] = f"https://www.{block.handle[i].lower()}.com"
            block.bio[i] = handles.organic_bio(lang, r)
        block.rate = rng.uniform(1.0, 5.0, n)
        block.repost_share[:] = 0.05
        block.reply_share[:] = 0.05
        block.followers = _log_uniform(rng, 5.3, 7.2, n)
        block.following = _log_uniform(rng, 1.5, 3.0, n)
        block.verified[:] = True
        block.avatar[:] = _avatar("photo")
        block.avatar_group = np.arange(n, dtype=np.int32)  # their fans reuse the same picture
        block.client[:] = _client("Twitter for iPhone")
        self.blocks.append(block)

    def _news(self, outlets: int) -> None:
        rng = self.rng
        block, rows = self._block(NEWS, outlets, first="2009-01-01")
        first_outlet = self.built
        domains: set[str] = set()
        for i, r in enumerate(rows):
            name, handle, domain = handles.outlet(LANGS[block.lang[i]], r)
            stem, tld = domain.split(".", 1)
            copy = 1
            while domain in domains:  # two "Chicago Daily"s: the second gets its own site
                copy += 1
                domain = f"{stem}{copy}.{tld}"
            domains.add(domain)
            block.name[i], block.handle[i] = name, self.book.claim(handle, r[3])
            block.website[i] = f"https://www.{domain}"
        block.bio[:] = [self._news_bio(LANGS[lang]) for lang in block.lang]
        block.rate = rng.uniform(12, 40, outlets)
        block.followers = _log_uniform(rng, 4.3, 6.5, outlets)
        block.following = _log_uniform(rng, 1.0, 3.0, outlets)
        block.verified[:] = True
        block.avatar[:] = _avatar("cartoon")
        block.client = rng.choice([_client(c) for c in ("TweetDeck", "SocialFlow", "Hootsuite Inc.")], outlets)
        block.chrono[:] = 0
        self.blocks.append(block)
        per = self.spec.syndicators_per_outlet
        synd, srows = self._block(SYNDICATION, outlets * per, langs=np.repeat(block.lang, per))
        synd.outlet_of = np.repeat(np.arange(first_outlet, first_outlet + outlets, dtype=np.int32), per)
        suffixes = ("Breaking", "Alerts", "Live", "Local", "Now")
        for i, r in enumerate(srows):
            parent = synd.outlet_of[i] - first_outlet
            suffix = suffixes[(i % per + r[0]) % len(suffixes)]
            synd.name[i] = f"{block.name[parent]} {suffix}"
            synd.handle[i] = self.book.claim(block.handle[parent][:9] + suffix, r[3])
            synd.website[i] = block.website[parent]
        synd.bio[:] = [self._news_bio(LANGS[lang]) for lang in synd.lang]
        synd.followers = _log_uniform(rng, 3.0, 4.3, len(synd))
        synd.following = _log_uniform(rng, 0.5, 2.0, len(synd))
        synd.avatar[:] = _avatar("cartoon")
        synd.client = rng.choice([_client("dlvr.it"), _client("IFTTT")], len(synd))
        self.blocks.append(synd)

    @staticmethod
    def _news_bio(lang: str) -> str:
        return {"en": "News, updates and breaking stories. Follow for more.", "zh": "新闻资讯，第一时间为您播报。",
                "fr": "L'actualité en continu. Suivez-nous."}[lang]

    def _bots(self, n: int) -> None:
        rng = self.rng
        alerts = max(2, n * 2 // 5)
        block, rows = self._block(WEATHER_BOT, n, first="2012-01-01")
        block.kind[n - alerts:] = ALERT_BOT
        lex = lexicons()
        for i, r in enumerate(rows):
            lang = LANGS[block.lang[i]]
            if block.kind[i] == WEATHER_BOT:
                cities = lex[lang].WEATHER_CITIES
                block.location[i], block.offset[i] = cities[i % len(cities)]
                name, handle = handles.weather_bot(lang, block.location[i])
            else:
                name, handle = handles.alert_bot(lang, r)
            block.name[i], block.handle[i] = name, self.book.claim(handle, r[3])
            block.bio[i] = {"en": "Automated account.", "zh": "自动播报账号", "fr": "Compte automatisé."}[lang]
        block.followers = _log_uniform(rng, 2.0, 4.0, n)
        block.following[:] = 0
        block.avatar[:] = _avatar("cartoon")
        block.client[:] = _client("IFTTT")
        block.chrono[:] = 0
        block.rate = np.where(block.kind == WEATHER_BOT, 24.0, 2.0)
        self.blocks.append(block)

    def _critics(self) -> None:
        rng = self.rng
        targets = list(TARGETS.values())
        langs = np.array([LANGS.index(t.language) for t in targets], np.int8)
        block, rows = self._block(CRITIC, len(targets), langs=langs, first="2010-01-01")
        for i, (t, r) in enumerate(zip(targets, rows)):
            block.name[i], block.handle[i], block.bio[i] = t.names[t.language], self.book.claim(t.handle, r[3]), t.bio
            block.target[i] = i
        block.offset[:] = -240  # critics live in exile, on the US east coast
        block.rate = rng.uniform(3.0, 6.0, len(targets))
        block.repost_share[:] = 0.25
        block.reply_share[:] = 0.15
        block.followers = _log_uniform(rng, 4.3, 5.6, len(targets))
        block.following = _log_uniform(rng, 2.0, 3.0, len(targets))
        block.verified[:] = True
        block.avatar[:] = _avatar("photo")
        block.client[:] = _client("Twitter for iPhone")
        self.blocks.append(block)

    def _fans(self, n: int, celebrities: int) -> None:
        rng = self.rng
        celeb = self.blocks[0]
        fan_of = rng.integers(0, celebrities, size=n).astype(np.int32)
        block, rows = self._block(FAN, n, langs=celeb.lang[fan_of], first="2014-01-01")
        self._people(block, rows)
        block.fan_of = fan_of
        block.topics = rng.choice([self.composer.topics.index(t) for t in FAN_TOPICS], size=(n, 3)).astype(np.int8)
        block.rate = rng.lognormal(np.log(3.0), 0.8, n)
        block.repost_share = _share(rng, 0.7, n)
        block.reply_share = _share(rng, 0.1, n)
        block.quote_share[:] = 0.02
        block.followers = rng.lognormal(np.log(150), 1.2, n).astype(np.int64)
        block.following = rng.lognormal(np.log(400), 0.8, n).astype(np.int64)
        reused = rng.random(n) < 0.35
        block.avatar = np.where(reused, _avatar("reused"), _avatar("photo")).astype(np.int8)
        block.avatar_group = np.where(reused, fan_of, -1).astype(np.int32)
        block.client = rng.choice([_client("Twitter for iPhone"), _client("Twitter for Android")], n)
        self.blocks.append(block)

    def _regular(self, n: int) -> None:
        rng, s = self.rng, self.spec
        default = rng.random(n) < s.default_handle_share
        block, rows = self._block(REGULAR, n)
        block.created_ms = np.where(default, _created(rng, n, "2017-01-01", self.start_ms - 7 * DAY_MS, 1.0),
                                    block.created_ms)
        self._people(block, rows, default)
        sigma = s.activity_sigma
        rate = rng.lognormal(np.log(s.posts_per_account_day) - sigma**2 / 2, sigma, n)
        block.rate = np.minimum(np.where(default, rate * 0.15, rate), 150.0)
        block.repost_share = _share(rng, s.repost_share, n)
        block.reply_share = _share(rng, s.reply_share, n) * (1 - block.repost_share)
        block.quote_share = _share(rng, s.quote_share, n, 10.0) * (1 - block.repost_share)
        followers = rng.lognormal(np.log(120), 1.7, n) * (block.rate / np.median(block.rate)) ** 0.3
        block.followers = np.where(default, rng.geometric(0.5, n) - 1, followers).astype(np.int64)
        block.following = np.where(default, rng.integers(0, 60, n), rng.lognormal(np.log(250), 1.1, n)).astype(np.int64)
        block.verified = block.followers > 200_000
        kinds = _choose(rng, (("photo", 0.58), ("cartoon", 0.13), ("none", 0.2895), ("ai_face", 0.0005)), n)
        block.avatar = np.array([_avatar(k) for k in kinds], np.int8)
        block.avatar[default & (rng.random(n) < 0.8)] = _avatar("none")
        block.client = _choose(rng, ((_client("Twitter for iPhone"), 0.42), (_client("Twitter for Android"), 0.36),
                                     (_client("Twitter Web App"), 0.17), (_client("Twitter for iPad"), 0.03),
                                     (_client("TweetDeck"), 0.02)), n).astype(np.int8)
        self.blocks.append(block)
