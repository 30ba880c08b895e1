"""Organic reposts, replies and quotes: who reacts to what, and how fast.

Each language's people have a daily budget of reactions (the sum of their reaction rates); it is shared out
over the day's posts in proportion to their appeal, the author's reach times a Pareto draw, so a few posts go
viral and are reposted by hundreds or thousands of honest accounts, mostly within minutes.  Fans react to
their celebrity within seconds.  Nobody reacts in their own night: those reactions wait for the morning.
"""

from __future__ import annotations

import numpy as np

from .events import POST, QUOTE, REPLY, REPOST, Events
from .ids import IdMint, rng_for
from .scenarios import LANGS, OrganicSpec
from .text import Composer, random_rows
from .timing import DAY_MS, SECOND_MS, wake_up, weekday
from .world import ALERT_BOT, CAMPAIGN, CELEBRITY, CRITIC, FAN, REGULAR, SYNDICATION, WEATHER_BOT, World

VIRAL = 30  # reposts from which a post spreads fast
CROSS_LANGUAGE = 0.05  # share of reactions by people of another language
MAX_DELAY_MS = 2 * DAY_MS
REPLY_SECONDS, QUOTE_SECONDS, FAN_SECONDS = 900.0, 2700.0, 40.0
FAN_REPLY_SHARE = 0.1
# how much attention a post gets for the kind of account that wrote it
APPEAL = {CAMPAIGN: 0.05, SYNDICATION: 0.3, WEATHER_BOT: 0.05, ALERT_BOT: 0.3}


class OrganicReactions:
    """Generates the reactions of organic people to one day's original posts."""

    def __init__(self, world: World, spec: OrganicSpec, composer: Composer):
        self.world, self.spec, self.composer = world, spec, composer
        acc = world.accounts
        self.people = np.flatnonzero(np.isin(acc.kind, (REGULAR, FAN, CRITIC)))
        self.rates = {
            REPOST: acc.rate * acc.repost_share,
            REPLY: acc.rate * acc.reply_share,
            QUOTE: acc.rate * acc.quote_share,
        }
        self.appeal_factor = np.ones(len(acc))
        for kind, factor in APPEAL.items():
            self.appeal_factor[acc.kind == kind] = factor
        fans = np.flatnonzero(acc.kind == FAN)
        self.fans_of = {int(c): fans[acc.fan_of[fans] == c] for c in np.flatnonzero(acc.kind == CELEBRITY)}
        self.fan_engagement = rng_for(world.seed, "fan-engagement").uniform(0.2, 0.9, len(acc))

    def day(self, day: int, originals: Events, mint: IdMint) -> Events:
        """Reactions to ``originals`` (the day's original posts, organic and campaign)."""
        rng = rng_for(self.world.seed, "reactions", day)
        factor = 1.1 if weekday(self.world.day_ms(day)) >= 5 else 1.0
        acc = self.world.accounts
        originals_idx = np.flatnonzero(originals.kind == POST)
        pareto = rng.pareto(self.spec.virality_alpha, len(originals_idx)) + 1
        appeal = (acc.followers[originals.author[originals_idx]] + 20.0) ** 0.7 * pareto
        appeal *= self.appeal_factor[originals.author[originals_idx]]
        parts = [self._fans(rng, originals, originals_idx, mint)]
        for kind, power in ((REPOST, 1.0), (REPLY, 0.8), (QUOTE, 0.9)):
            for lang in range(len(LANGS)):
                mine = originals.lang[originals_idx] == lang
                if mine.any():
                    parts.append(self._react(rng, kind, lang, factor, originals, originals_idx[mine],
                                             appeal[mine] ** power, mint))
        return _once_per_person(Events.concat(parts))

    def _react(self, rng: np.random.Generator, kind: int, lang: int, factor: float, originals: Events,
               targets: np.ndarray, appeal: np.ndarray, mint: IdMint) -> Events:
        acc = self.world.accounts
        weights = self.rates[kind][self.people]
        local = acc.lang[self.people] == lang
        budget = rng.poisson(weights[local].sum() * factor)
        if budget == 0:
            return Events.empty()
        counts = rng.multinomial(budget, appeal / appeal.sum())
        target = np.repeat(targets, counts)
        cross = rng.random(budget) < CROSS_LANGUAGE
        reactor = np.where(cross, rng.choice(self.people, budget, p=weights / weights.sum()),
                           rng.choice(self.people[local], budget, p=weights[local] / weights[local].sum()))
        # one reaction per person and post, never to oneself
        _, first = np.unique(target.astype(np.int64) * len(acc) + reactor, return_index=True)
        first = np.sort(first)
        target, reactor = target[first], reactor[first]
        keep = reactor != originals.author[target]
        target, reactor = target[keep], reactor[keep]
        if kind == REPOST:
            viral = np.repeat(counts >= VIRAL, counts)[first][keep]
            median = np.where(viral, self.spec.viral_repost_seconds, self.spec.repost_seconds)
        else:
            median = REPLY_SECONDS if kind == REPLY else QUOTE_SECONDS
        delay = np.minimum(median * SECOND_MS * rng.lognormal(0.0, 1.0, len(target)), MAX_DELAY_MS)
        t = wake_up(rng, originals.t[target] + delay.astype(np.int64), acc.offset[reactor].astype(np.int64))
        if kind == REPOST:
            return Events.reposts_of(mint, originals, target, t, reactor)
        rows = random_rows(rng, len(target))
        if kind == REPLY:
            texts = [f"@{acc.handle[originals.author[j]]} {self.composer.reply(LANGS[acc.lang[a]], r)}"
                     for j, a, r in zip(target, reactor, rows)]
            mentions = [(int(originals.author[j]),) for j in target]
        else:
            texts = [self.composer.quote(LANGS[acc.lang[a]], r) for a, r in zip(reactor, rows)]
            mentions = [()] * len(target)
        n = len(target)
        return Events.posts(mint, t, reactor, acc.lang[reactor], texts, [()] * n, [()] * n, mentions, kind,
                            originals, target)

    def _fans(self, rng: np.random.Generator, originals: Events, originals_idx: np.ndarray, mint: IdMint) -> Events:
        """Fans repost (and now and then answer) their celebrity's posts within seconds to minutes."""
        acc = self.world.accounts
        posts = originals_idx[acc.kind[originals.author[originals_idx]] == CELEBRITY]
        target_parts, fan_parts = [], []
        for j in posts:
            fans = self.fans_of[int(originals.author[j])]
            joined = fans[rng.random(len(fans)) < self.fan_engagement[fans]]
            target_parts.append(np.full(len(joined), j))
            fan_parts.append(joined)
        if not target_parts:
            return Events.empty()
        target, fan = np.concatenate(target_parts), np.concatenate(fan_parts)
        offsets = acc.offset[fan].astype(np.int64)
        delay = (FAN_SECONDS * SECOND_MS * rng.lognormal(0.0, 1.0, len(fan))).astype(np.int64)
        reposts = Events.reposts_of(mint, originals, target, wake_up(rng, originals.t[target] + delay, offsets), fan)
        answer = rng.random(len(fan)) < FAN_REPLY_SHARE
        target, fan, offsets = target[answer], fan[answer], offsets[answer]
        delay = (3 * FAN_SECONDS * SECOND_MS * rng.lognormal(0.0, 1.0, len(fan))).astype(np.int64)
        texts = [f"@{acc.handle[originals.author[j]]} {self.composer.fan_reply(LANGS[acc.lang[f]], r)}"
                 for j, f, r in zip(target, fan, random_rows(rng, len(fan)))]
        n = len(fan)
        mentions = [(int(originals.author[j]),) for j in target]
        replies = Events.posts(mint, wake_up(rng, originals.t[target] + delay, offsets), fan, acc.lang[fan], texts,
                               [()] * n, [()] * n, mentions, REPLY, originals, target)
        return Events.concat([reposts, replies])


def _once_per_person(events: Events) -> Events:
    """Drop repeated reposts of one post by one account (a fan can also be drawn from the general budget)."""
    reposts = np.flatnonzero(events.kind == REPOST)
    _, first = np.unique(np.stack([events.ref_id[reposts], events.author[reposts].astype(np.int64)]), axis=1,
                         return_index=True)
    keep = np.ones(len(events), bool)
    keep[reposts] = False
    keep[reposts[first]] = True
    return events.take(keep)
