"""The organic accounts' own posts of one day, each kind of account in its own rhythm.

People post in their local daily rhythm; outlets post headlines (some from a shared wire) that their
syndication accounts repeat verbatim minutes later; weather bots report on the hour, all at once; alert
bots describe the same event within seconds of each other; critics post what campaigns attack.
"""

from __future__ import annotations

import numpy as np

from .events import Events
from .ids import IdMint, rng_for
from .narratives import TARGETS
from .scenarios import LANGS, ORGANIC_HOURS
from .text import Composer, random_rows, token
from .timing import DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, sample_times, weekday
from .world import ALERT_BOT, CAMPAIGN, CELEBRITY, CRITIC, FAN, NEWS, REGULAR, SYNDICATION, WEATHER_BOT, World

WEEKEND_FACTOR = 1.1
NEWS_HOURS = tuple([0.2] * 6 + [1.0] * 17 + [0.5])
MENTION_PCT = 7
_TARGET_ORDER = tuple(TARGETS)


class OrganicPosts:
    """Generates the original posts of organic accounts, day by day."""

    def __init__(self, world: World, composer: Composer):
        self.world, self.composer = world, composer
        acc = world.accounts
        self.people = np.flatnonzero(np.isin(acc.kind, (REGULAR, FAN)))
        self.outlets = np.flatnonzero(acc.kind == NEWS)
        self.syndicators = np.flatnonzero(acc.kind == SYNDICATION)
        self.celebrities = np.flatnonzero(acc.kind == CELEBRITY)
        self.weather = np.flatnonzero(acc.kind == WEATHER_BOT)
        self.alerts = np.flatnonzero(acc.kind == ALERT_BOT)
        self.critics = np.flatnonzero(acc.kind == CRITIC)
        own = 1 - acc.repost_share - acc.reply_share - acc.quote_share
        self.own_rate = acc.rate * np.clip(own, 0.02, 1.0)
        # who gets mentioned: popular accounts of each language
        self.mentionable = {lang: np.flatnonzero((acc.lang == lang) & (acc.followers > 1000) & (acc.kind != CAMPAIGN))
                            for lang in range(len(LANGS))}
        self.weather_every = np.where(np.arange(len(self.weather)) % 3 == 0, 3, 1)  # hourly, or every 3 hours

    def day(self, day: int, mint: IdMint) -> Events:
        """All organic original posts of window day ``day``."""
        rng = rng_for(self.world.seed, "organic-day", day)
        day_ms = self.world.day_ms(day)
        news = self._news(rng, day_ms, mint)
        return Events.concat([
            self._people(rng, day_ms, mint),
            news,
            self._syndication(rng, news, mint),
            self._celebrities(rng, day_ms, mint),
            self._weather(rng, day_ms, mint),
            self._alerts(rng, day_ms, mint),
            self._critics(rng, day_ms, mint),
        ])

    def _people(self, rng: np.random.Generator, day_ms: int, mint: IdMint) -> Events:
        acc = self.world.accounts
        factor = WEEKEND_FACTOR if weekday(day_ms) >= 5 else 1.0
        counts = rng.poisson(self.own_rate[self.people] * factor)
        authors = np.repeat(self.people, counts)
        t = sample_times(rng, day_ms, acc.offset[authors], ORGANIC_HOURS) + acc.chrono[authors]
        topics = acc.topics[authors, rng.integers(0, 3, len(authors))]
        rows = random_rows(rng, len(authors))
        texts, mentions = [], []
        for a, k, r in zip(authors, topics, rows):
            lang = acc.lang[a]
            text, tags, urls = self.composer.organic(LANGS[lang], self.composer.topics[k], r)
            mention: tuple[int, ...] = ()
            pool = self.mentionable[lang]
            if r[15] % 100 < MENTION_PCT and len(pool):
                mention = (int(pool[r[15] // 100 % len(pool)]),)
                text += " @" + acc.handle[mention[0]]
            texts.append((text, tags, urls))
            mentions.append(mention)
        return Events.posts(mint, t, authors, acc.lang[authors], [x[0] for x in texts], [x[1] for x in texts],
                            [x[2] for x in texts], mentions)

    def _news(self, rng: np.random.Generator, day_ms: int, mint: IdMint) -> Events:
        """Headlines with a link to the outlet's site; a third come from the day's wire, shared by outlets."""
        acc = self.world.accounts
        counts = rng.poisson(acc.rate[self.outlets])
        authors = np.repeat(self.outlets, counts)
        t = sample_times(rng, day_ms, acc.offset[authors], NEWS_HOURS)
        wire = {lang: random_rows(rng_for(self.world.seed, "wire", day_ms, lang), 12) for lang in range(len(LANGS))}
        texts, urls = [], []
        for a, r in zip(authors, random_rows(rng, len(authors))):
            lang = acc.lang[a]
            source = wire[lang][r[0] % 12] if r[1] % 3 == 0 else r
            texts.append(self.composer.headline(LANGS[lang], source))
            section = ("news", "world", "local", "politics", "business", "sport")[r[2] % 6]
            urls.append((f"{acc.website[a]}/{section}/{token(r[3], 12).lower().replace('_', '-')}",))
        n = len(authors)
        return Events.posts(mint, t, authors, acc.lang[authors], texts, [()] * n, urls, [()] * n)

    def _syndication(self, rng: np.random.Generator, news: Events, mint: IdMint) -> Events:
        """Each syndication account repeats most of its outlet's headlines, same text and link, minutes later."""
        acc = self.world.accounts
        if not len(self.syndicators) or not len(news):
            return Events.empty()
        parent = acc.outlet_of[self.syndicators]
        pairs_post, pairs_synd = np.nonzero(news.author[:, None] == parent[None, :])
        keep = rng.random(len(pairs_post)) < 0.8
        pairs_post, pairs_synd = pairs_post[keep], self.syndicators[pairs_synd[keep]]
        t = news.t[pairs_post] + rng.integers(30 * SECOND_MS, 15 * MINUTE_MS, len(pairs_post))
        n = len(pairs_post)
        return Events.posts(mint, t, pairs_synd, news.lang[pairs_post], list(news.text[pairs_post]), [()] * n,
                            list(news.urls[pairs_post]), [()] * n)

    def _celebrities(self, rng: np.random.Generator, day_ms: int, mint: IdMint) -> Events:
        acc = self.world.accounts
        counts = rng.poisson(acc.rate[self.celebrities])
        authors = np.repeat(self.celebrities, counts)
        t = sample_times(rng, day_ms, acc.offset[authors], ORGANIC_HOURS)
        rows = random_rows(rng, len(authors))
        texts = [self.composer.celebrity(LANGS[acc.lang[a]], r) for a, r in zip(authors, rows)]
        urls = [(f"https://www.youtube.com/watch?v={token(r[6], 11)}",) if r[7] % 4 == 0 else () for r in rows]
        n = len(authors)
        return Events.posts(mint, t, authors, acc.lang[authors], texts, [()] * n, urls, [()] * n)

    def _weather(self, rng: np.random.Generator, day_ms: int, mint: IdMint) -> Events:
        """Weather reports on the hour (within seconds), every bot on the same clock."""
        acc = self.world.accounts
        authors, t, texts = [], [], []
        for bot, every in zip(self.weather, self.weather_every):
            hours = np.arange(0, 24, every)
            local_midnight = day_ms - int(acc.offset[bot]) * MINUTE_MS
            times = local_midnight + hours * HOUR_MS + rng.integers(0, 4 * SECOND_MS, len(hours))
            lang = LANGS[acc.lang[bot]]
            for hour, r in zip(hours, random_rows(rng, len(hours))):
                texts.append(self.composer.weather(lang, acc.location[bot], int(hour), r))
            authors.extend([bot] * len(hours))
            t.extend(times.tolist())
        n = len(authors)
        authors_arr = np.array(authors, np.int64)
        return Events.posts(mint, np.array(t, np.int64), authors_arr, acc.lang[authors_arr], texts, [()] * n, [()] * n,
                            [()] * n)

    def _alerts(self, rng: np.random.Generator, day_ms: int, mint: IdMint) -> Events:
        """A few events a day; every alert bot reports each one within a minute and a half."""
        acc = self.world.accounts
        events = rng.poisson(2.0)
        authors, t, texts = [], [], []
        for r_event in random_rows(rng, events):
            start = day_ms + r_event[10] % DAY_MS
            delays = rng.integers(5 * SECOND_MS, 90 * SECOND_MS, len(self.alerts))
            for bot, delay in zip(self.alerts, delays):
                authors.append(bot)
                t.append(start + int(delay))
                texts.append(self.composer.alert(LANGS[acc.lang[bot]], r_event))
        n = len(authors)
        authors_arr = np.array(authors, np.int64)
        return Events.posts(mint, np.array(t, np.int64), authors_arr, acc.lang[authors_arr], texts,
                            [()] * n, [()] * n, [()] * n)

    def _critics(self, rng: np.random.Generator, day_ms: int, mint: IdMint) -> Events:
        acc = self.world.accounts
        counts = rng.poisson(self.own_rate[self.critics])
        authors = np.repeat(self.critics, counts)
        t = sample_times(rng, day_ms, acc.offset[authors], ORGANIC_HOURS)
        texts, langs = [], []
        for a, r in zip(authors, random_rows(rng, len(authors))):
            target = TARGETS[_TARGET_ORDER[acc.target[a]]]
            others = sorted(set(target.statements) - {target.language})
            lang = others[r[2] % len(others)] if others and r[1] % 4 == 0 else target.language
            texts.append(self.composer.critic(target, lang, r))
            langs.append(LANGS.index(lang))
        n = len(authors)
        return Events.posts(mint, t, authors, np.array(langs, np.int8), texts, [()] * n, [()] * n, [()] * n)
