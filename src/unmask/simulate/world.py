"""The simulated population: one table of accounts, organic ones first, then each campaign's.

Columns are numpy arrays (or object arrays for strings) indexed by account; every later step (activity,
campaigns, writers, ground truth) reads this table and nothing else about the accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .events import objects
from .ids import twitter_user_ids
from .scenarios import LANGS, Scenario
from .timing import date_ms

# what kind of account this is; campaign members are CAMPAIGN, their role says more
REGULAR, NEWS, SYNDICATION, CELEBRITY, FAN, WEATHER_BOT, ALERT_BOT, CRITIC, CAMPAIGN = range(9)
ROLES = ("organic", "persona", "amplifier", "repurposed")
AVATAR_KINDS = ("photo", "ai_face", "reused", "cartoon", "none")
CLIENTS = ("Twitter for iPhone", "Twitter for Android", "Twitter Web App", "Twitter for iPad", "TweetDeck",
           "SocialFlow", "Hootsuite Inc.", "dlvr.it", "IFTTT", "Buffer")
ACCOUNT_LANGS = {"en": "en", "zh": "zh-cn", "fr": "fr"}


@dataclass
class Accounts:
    """The account table; every column has one entry per account."""

    kind: np.ndarray  # int8: REGULAR ... CAMPAIGN
    role: np.ndarray  # int8 index into ROLES
    campaign: np.ndarray  # int16 index into Scenario.campaigns, -1 for organic accounts
    lang: np.ndarray  # int8 index into LANGS: the language the account posts in
    account_lang: np.ndarray  # object: interface language as exports report it ("zh-cn")
    offset: np.ndarray  # int16 minutes east of UTC where the account lives
    chrono: np.ndarray  # int64 ms: personal shift of the daily rhythm (early birds, night owls)
    rate: np.ndarray  # float64 actions a day
    repost_share: np.ndarray  # float64
    reply_share: np.ndarray  # float64
    quote_share: np.ndarray  # float64
    topics: np.ndarray  # int8 (n, 3) indices into Composer.topics
    followers: np.ndarray  # int64
    following: np.ndarray  # int64
    statuses: np.ndarray  # int64 lifetime post count shown in profiles
    created_ms: np.ndarray  # int64
    verified: np.ndarray  # bool
    avatar: np.ndarray  # int8 index into AVATAR_KINDS
    avatar_group: np.ndarray  # int32: accounts with the same group show the same picture, -1 for their own
    client: np.ndarray  # int8 index into CLIENTS
    fan_of: np.ndarray  # int32 celebrity a fan follows, -1
    outlet_of: np.ndarray  # int32 outlet a syndication account copies, -1
    target: np.ndarray  # int8 index into narratives.TARGETS order for critics, -1
    name: np.ndarray  # object: display name
    handle: np.ndarray  # object: screen name
    bio: np.ndarray  # object
    location: np.ndarray  # object
    website: np.ndarray  # object: profile URL or ""

    def __len__(self) -> int:
        return len(self.kind)

    @classmethod
    def concat(cls, parts: list[Accounts]) -> Accounts:
        """One table with the rows of ``parts`` in order."""
        return cls(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)})


def new_accounts(n: int, kind: int, lang: np.ndarray, offset: np.ndarray, created_ms: np.ndarray) -> Accounts:
    """A block of ``n`` accounts with neutral defaults, to be filled in by the organic or campaign builder."""
    return Accounts(
        kind=np.full(n, kind, np.int8), role=np.zeros(n, np.int8), campaign=np.full(n, -1, np.int16),
        lang=np.asarray(lang, np.int8), account_lang=objects([ACCOUNT_LANGS[LANGS[i]] for i in lang]),
        offset=np.asarray(offset, np.int16), chrono=np.zeros(n, np.int64), rate=np.zeros(n),
        repost_share=np.zeros(n), reply_share=np.zeros(n), quote_share=np.zeros(n), topics=np.zeros((n, 3), np.int8),
        followers=np.zeros(n, np.int64), following=np.zeros(n, np.int64), statuses=np.zeros(n, np.int64),
        created_ms=np.asarray(created_ms, np.int64), verified=np.zeros(n, bool),
        avatar=np.full(n, AVATAR_KINDS.index("none"), np.int8), avatar_group=np.full(n, -1, np.int32),
        client=np.zeros(n, np.int8), fan_of=np.full(n, -1, np.int32), outlet_of=np.full(n, -1, np.int32),
        target=np.full(n, -1, np.int8), name=objects("", n), handle=objects("", n), bio=objects("", n),
        location=objects("", n), website=objects("", n),
    )


@dataclass
class World:
    """A scenario made concrete: its accounts, their numeric ids, and the period covered."""

    scenario: Scenario
    seed: int
    accounts: Accounts
    user_ids: np.ndarray  # int64 numeric (Twitter-style) id of each account
    start_ms: int
    end_ms: int

    @property
    def size(self) -> int:
        """Number of accounts."""
        return len(self.accounts)

    def day_ms(self, day: int) -> int:
        """UTC midnight starting day ``day`` of the window."""
        return self.start_ms + day * 86_400_000

    def members(self, campaign: int) -> np.ndarray:
        """Indices of the accounts of campaign number ``campaign``."""
        return np.flatnonzero(self.accounts.campaign == campaign)


def assemble(scenario: Scenario, seed: int, blocks: list[Accounts]) -> World:
    """The world made of account ``blocks`` (organic first), with statuses counts and numeric ids."""
    accounts = Accounts.concat(blocks)
    start = date_ms(scenario.start)
    age_days = np.maximum(1, (start - accounts.created_ms) // 86_400_000)
    accounts.statuses = np.maximum(accounts.statuses, (accounts.rate * age_days * 0.6).astype(np.int64))
    return World(scenario=scenario, seed=seed, accounts=accounts, user_ids=twitter_user_ids(accounts.created_ms),
                 start_ms=start, end_ms=start + scenario.days * 86_400_000)
