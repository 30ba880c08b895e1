"""What a campaign does on one day: seed posts and repost bursts, copypasta, paraphrases, hashtag floods,
coordinated replies to critics, and filler that makes its accounts look ordinary.

Operators work their schedule: every action lands in their office hours (bursts follow a seed within
seconds or minutes, so they stay inside), nothing happens on days off.  Stealth knobs thin out participation,
add jitter, and drip reposts over hours instead of bursting them.
"""

from __future__ import annotations

import numpy as np

from .events import POST, REPLY, Events
from .ids import IdMint, rng_for
from .narratives import NARRATIVES, TARGETS
from .scenarios import LANGS
from .text import Composer, Text, random_rows
from .timing import HOUR_MS, MINUTE_MS, SECOND_MS, WorkWeek
from .world import CELEBRITY, CRITIC, NEWS, ROLES, World

CRITIC_NARRATIVE = "critic_attacks"
_TARGET_ORDER = tuple(TARGETS)


class CampaignRunner:
    """Generates the daily actions of one campaign."""

    def __init__(self, world: World, number: int, composer: Composer):
        self.world, self.number, self.composer = world, number, composer
        self.spec = spec = world.scenario.campaigns[number]
        acc = world.accounts
        self.members = world.members(number)
        role = acc.role[self.members]
        self.amplifiers = self.members[role == ROLES.index("amplifier")]
        self.writers = self.members[role != ROLES.index("amplifier")]  # personas and repurposed accounts
        self.week = WorkWeek(spec.schedule)
        codes, weights = zip(*spec.languages)
        self.langs = np.array([LANGS.index(c) for c in codes], np.int8)
        self.lang_p = np.array(weights) / sum(weights)
        critics = np.flatnonzero(acc.kind == CRITIC)
        self.critic_of_target = {_TARGET_ORDER[acc.target[c]]: int(c) for c in critics}
        self.targets = tuple(t for n in spec.narratives for t in NARRATIVES[n].targets if t in self.critic_of_target)
        self.text_narratives = tuple(n for n in spec.narratives if n != CRITIC_NARRATIVE) or spec.narratives
        days = world.scenario.days
        self.first_day, self.last_day = int(spec.active[0] * days), max(1, int(round(spec.active[1] * days)))

    def day(self, day: int, organic: Events, mint: IdMint) -> Events:
        """Every action of the campaign on window day ``day`` (``organic`` holds the day's organic posts)."""
        day_ms = self.world.day_ms(day)
        activity = self.week.day_activity(day_ms)
        if not (self.first_day <= day < self.last_day) or activity == 0:
            return Events.empty()
        rng = rng_for(self.world.seed, "campaign-day", self.number, day)
        scale = len(self.members) / 100 * activity
        t = self.spec.tactics
        seeds = self._seeds(rng, day_ms, rng.poisson(t.seeds_per_day * scale), mint)
        return Events.concat([
            seeds,
            self._bursts(rng, seeds, mint),
            self._copypasta(rng, day_ms, rng.poisson(t.copypasta_per_day * scale), mint),
            self._paraphrases(rng, day_ms, rng.poisson(t.paraphrase_per_day * scale), mint),
            self._floods(rng, day_ms, rng.poisson(t.flood_per_day * scale), mint),
            self._critic_replies(rng, organic, mint),
            self._filler(rng, day_ms, activity, organic, mint),
        ])

    # --- helpers -----------------------------------------------------------------------------------------

    def _join(self, rng: np.random.Generator, pool: np.ndarray, boost: float = 1.0) -> np.ndarray:
        """The members of ``pool`` taking part in one action (partial participation)."""
        return pool[rng.random(len(pool)) < min(1.0, self.spec.stealth.participation * boost)]

    def _authors(self, rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
        weights = self.world.accounts.rate[pool]
        return rng.choice(pool, size=n, p=weights / weights.sum())

    def _lang(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(self.langs, size=n, p=self.lang_p)

    def _delay(self, rng: np.random.Generator, start: np.ndarray, median_ms: float, spread: float = 0.5) -> np.ndarray:
        """Times after ``start``: a burst delay, or a drip over hours; plus jitter; inside working hours."""
        n = len(start)
        stealth = self.spec.stealth
        if stealth.drip_hours > 0:
            delay = rng.random(n) * stealth.drip_hours * HOUR_MS
        else:
            delay = median_ms * rng.lognormal(0.0, spread, n)
        jitter = rng.exponential(stealth.jitter_seconds * SECOND_MS, n) if stealth.jitter_seconds > 0 else 0
        return self.week.defer(rng, start + (delay + jitter).astype(np.int64))

    def _narrative_post(self, narrative: str, lang: int, r: list[int],
                        target: str | None) -> tuple[Text, tuple[int, ...]]:
        """One narrative text; attacks name and mention their target; some posts carry a campaign link."""
        code = LANGS[lang]
        text, tags, _ = self.composer.narrative(narrative, code, r, target)
        mentions: tuple[int, ...] = ()
        if target is not None:
            critic = self.critic_of_target[target]
            text += " @" + self.world.accounts.handle[critic]
            mentions = (critic,)
        urls = self.composer.link(narrative, r) if r[15] % 100 < self.spec.tactics.link_share * 100 else ()
        return (text, tags, urls), mentions

    def _target_for(self, rng: np.random.Generator, narrative: str) -> str | None:
        if narrative != CRITIC_NARRATIVE or not self.targets:
            return None
        return self.targets[rng.integers(len(self.targets))]

    def _posts(self, mint: IdMint, t: np.ndarray, authors: np.ndarray, langs: np.ndarray,
               made: list[tuple[Text, tuple[int, ...]]], kind: int = POST, parents: Events | None = None,
               parent_idx: np.ndarray | None = None) -> Events:
        return Events.posts(mint, t, authors, langs, [m[0][0] for m in made], [m[0][1] for m in made],
                            [m[0][2] for m in made], [m[1] for m in made], kind, parents, parent_idx)

    # --- tactics -----------------------------------------------------------------------------------------

    def _seeds(self, rng: np.random.Generator, day_ms: int, n: int, mint: IdMint) -> Events:
        """Narrative posts by personas, in office hours."""
        authors = self._authors(rng, self.writers, n)
        t = self.week.sample(rng, day_ms, n)
        langs = self._lang(rng, n)
        narratives = rng.choice(self.spec.narratives, size=n)
        made = [self._narrative_post(nv, lang, r, self._target_for(rng, nv))
                for nv, lang, r in zip(narratives, langs, random_rows(rng, n))]
        return self._posts(mint, t, authors, langs, made)

    def _bursts(self, rng: np.random.Generator, seeds: Events, mint: IdMint) -> Events:
        """Members repost each seed within seconds to minutes (or drip it over hours)."""
        if not len(seeds):
            return Events.empty()
        pool = np.concatenate([self.amplifiers, self.writers])
        p = np.concatenate([np.full(len(self.amplifiers), 1.6), np.full(len(self.writers), 0.6)])
        p = np.minimum(1.0, p * self.spec.stealth.participation)
        joins = rng.random((len(seeds), len(pool))) < p
        seed_idx, member = np.nonzero(joins)
        authors = pool[member]
        keep = authors != seeds.author[seed_idx]
        seed_idx, authors = seed_idx[keep], authors[keep]
        t = self._delay(rng, seeds.t[seed_idx], self.spec.tactics.burst_delay_seconds * SECOND_MS)
        return Events.reposts_of(mint, seeds, seed_idx, t, authors)

    def _copypasta(self, rng: np.random.Generator, day_ms: int, n: int, mint: IdMint) -> Events:
        """One text posted by many members, each copy with a random string appended."""
        parts = []
        for _ in range(n):
            narrative = rng.choice(self.text_narratives)
            lang = self._lang(rng, 1)[0]
            group = self._join(rng, self.members, 1.3)
            rows = random_rows(rng, len(group) + 1)
            (text, tags, urls), mentions = self._narrative_post(narrative, lang, rows[0], None)
            made = [((text + self.composer.tail(r), tags, urls), mentions) for r in rows[1:]]
            start = np.full(len(group), self.week.sample(rng, day_ms, 1)[0])
            t = self._delay(rng, start, 8 * MINUTE_MS, 1.0)
            parts.append(self._posts(mint, t, group, np.full(len(group), lang, np.int8), made))
        return Events.concat(parts)

    def _paraphrases(self, rng: np.random.Generator, day_ms: int, n: int, mint: IdMint) -> Events:
        """Personas rewrite one narrative in their own words and in several languages, within hours."""
        parts = []
        for _ in range(n):
            narrative = rng.choice(self.spec.narratives)
            target = self._target_for(rng, narrative)
            group = self._join(rng, self.writers, 1.5)
            langs = self._lang(rng, len(group))
            rows = random_rows(rng, len(group))
            made = [self._narrative_post(narrative, lang, r, target) for lang, r in zip(langs, rows)]
            start = np.full(len(group), self.week.sample(rng, day_ms, 1)[0])
            t = self._delay(rng, start + (rng.random(len(group)) * 2 * HOUR_MS).astype(np.int64), 5 * MINUTE_MS, 1.0)
            parts.append(self._posts(mint, t, group, langs, made))
        return Events.concat(parts)

    def _floods(self, rng: np.random.Generator, day_ms: int, n: int, mint: IdMint) -> Events:
        """Short posts stuffed with the campaign's hashtags, from many members within the hour."""
        parts = []
        for _ in range(n):
            narrative = rng.choice(self.text_narratives)
            group = self._join(rng, self.members, 1.5)
            langs = self._lang(rng, len(group))
            rows = random_rows(rng, len(group))
            made = [(self.composer.flood(narrative, LANGS[lang], r), ()) for lang, r in zip(langs, rows)]
            start = np.full(len(group), self.week.sample(rng, day_ms, 1)[0])
            t = self._delay(rng, start + (rng.random(len(group)) * HOUR_MS).astype(np.int64), MINUTE_MS, 1.0)
            parts.append(self._posts(mint, t, group, langs, made))
        return Events.concat(parts)

    def _critic_replies(self, rng: np.random.Generator, organic: Events, mint: IdMint) -> Events:
        """Members swarm the posts of targeted critics with attacks, replying in their office hours."""
        share = self.spec.tactics.critic_reply_share
        if CRITIC_NARRATIVE not in self.spec.narratives or share <= 0 or not self.targets:
            return Events.empty()
        critics = np.array([self.critic_of_target[t] for t in dict.fromkeys(self.targets)])
        posts = np.flatnonzero((organic.kind == POST) & np.isin(organic.author, critics))
        posts = posts[rng.random(len(posts)) < share]
        parts = []
        target_of = {c: t for t, c in self.critic_of_target.items()}
        for j in posts:
            critic = int(organic.author[j])
            group = self._join(rng, self.members)
            langs = self._lang(rng, len(group))
            handle = self.world.accounts.handle[critic]
            made = []
            for lang, r in zip(langs, random_rows(rng, len(group))):
                text, tags, urls = self.composer.narrative(CRITIC_NARRATIVE, LANGS[lang], r, target_of[critic])
                made.append(((f"@{handle} {text}", tags, urls), (critic,)))
            t = self._delay(rng, np.full(len(group), organic.t[j]), 3 * MINUTE_MS, 1.2)
            parts.append(self._posts(mint, t, group, langs, made, REPLY, organic, np.full(len(group), j)))
        return Events.concat(parts)

    def _filler(self, rng: np.random.Generator, day_ms: int, activity: float, organic: Events, mint: IdMint) -> Events:
        """Organic-looking posts (hobbies, food, travel) and reposts of popular posts, in office hours."""
        stealth = self.spec.stealth
        acc = self.world.accounts
        share = stealth.filler_share
        if share <= 0:
            return Events.empty()
        counts = rng.poisson(acc.rate[self.members] * share / (1 - share) * activity)
        authors = np.repeat(self.members, counts)
        t = self.week.sample(rng, day_ms, len(authors))
        is_repost = (acc.role[authors] == ROLES.index("amplifier")) & (rng.random(len(authors)) < 0.5)
        posters, t_post = authors[~is_repost], t[~is_repost]
        topics = acc.topics[posters, rng.integers(0, 3, len(posters))]
        texts = [self.composer.organic(LANGS[acc.lang[a]], self.composer.topics[k], r)
                 for a, k, r in zip(posters, topics, random_rows(rng, len(posters)))]
        own = Events.posts(mint, t_post, posters, acc.lang[posters], [x[0] for x in texts], [x[1] for x in texts],
                           [x[2] for x in texts], [()] * len(posters))
        return Events.concat([own, self._popular_reposts(rng, authors[is_repost], t[is_repost], organic, mint)])

    def _popular_reposts(self, rng: np.random.Generator, authors: np.ndarray, t: np.ndarray, organic: Events,
                         mint: IdMint) -> Events:
        acc = self.world.accounts
        popular = np.flatnonzero((organic.kind == POST) & np.isin(acc.kind[organic.author], (CELEBRITY, NEWS)))
        if not len(popular) or not len(authors):
            return Events.empty()
        idx = rng.choice(popular, size=len(authors))
        t = self.week.defer(rng, np.maximum(t, organic.t[idx] + rng.integers(MINUTE_MS, HOUR_MS, len(idx))))
        return Events.reposts_of(mint, organic, idx, t, authors)
