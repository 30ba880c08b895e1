"""Scenario presets: every parameter of a simulated world, as plain dataclasses.

A :class:`Scenario` holds the organic population (:class:`OrganicSpec`) and its campaigns
(:class:`CampaignSpec`: who the operators are, when they work, which tactics they use, how careful they are).
Rates given "per 100 accounts" scale with a campaign's size, so ``--accounts`` scales a whole scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

LANGS = ("en", "zh", "fr")

# Relative activity by local hour of day (0..23) of ordinary users: quiet nights, lunch and evening peaks.
ORGANIC_HOURS = (
    0.40, 0.25, 0.15, 0.10, 0.08, 0.10, 0.25, 0.50, 0.70, 0.80, 0.80, 0.85,
    1.00, 0.90, 0.80, 0.80, 0.85, 0.90, 1.00, 1.10, 1.20, 1.25, 1.00, 0.70,
)
# An operator's shift: work 9-12 and 14-18, a lunch dip and a supper dip, a short evening shift.
OFFICE_HOURS = (
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.30, 1.00, 1.00, 1.00,
    0.15, 0.50, 1.00, 1.00, 1.00, 1.00, 0.10, 0.35, 0.35, 0.20, 0.0, 0.0,
)


@dataclass(frozen=True)
class Schedule:
    """When a campaign's operators work, in their own time zone."""

    utc_offset_minutes: int = 480
    hours: tuple[float, ...] = OFFICE_HOURS
    weekend_activity: float = 0.0
    holidays: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stealth:
    """How hard a campaign tries to look organic."""

    jitter_seconds: float = 20.0  # random extra delay on every coordinated action
    filler_share: float = 0.15  # share of an account's posts that are organic-looking filler
    participation: float = 0.35  # chance that a member joins one coordinated action
    drip_hours: float = 0.0  # 0: repost bursts; > 0: reposts dripped over this many (working) hours


@dataclass(frozen=True)
class Tactics:
    """What a campaign does on a working day; counts are per 100 member accounts."""

    seeds_per_day: float = 4.0  # narrative posts by personas, each amplified by a repost burst
    burst_delay_seconds: float = 60.0  # median delay of a burst repost after its seed
    copypasta_per_day: float = 0.5  # the same text posted by many members, random strings appended
    paraphrase_per_day: float = 0.5  # one claim rewritten by many members, in several languages
    flood_per_day: float = 0.3  # short posts stuffed with the campaign's hashtags
    critic_reply_share: float = 0.5  # share of a targeted critic's posts that draw coordinated replies
    link_share: float = 0.3  # share of narrative posts carrying a link to the campaign's domains


@dataclass(frozen=True)
class CampaignSpec:
    """One influence campaign: its accounts, narratives, schedule, tactics and stealth."""

    id: str
    size: int
    narratives: tuple[str, ...]
    languages: tuple[tuple[str, float], ...] = (("en", 0.5), ("zh", 0.5))
    roles: tuple[tuple[str, float], ...] = (("persona", 0.6), ("amplifier", 0.3), ("repurposed", 0.1))
    schedule: Schedule = field(default_factory=Schedule)
    tactics: Tactics = field(default_factory=Tactics)
    stealth: Stealth = field(default_factory=Stealth)
    created_from: str = "2021-03-01"  # creation burst: new accounts are made in this many days from here
    created_days: int = 21
    repurposed_years: tuple[int, int] = (2012, 2017)  # repurposed accounts were made in these years
    old_language: str = "fr"  # what repurposed accounts posted in before they went dormant
    handles: tuple[tuple[str, float], ...] = (("default", 0.5), ("formulaic", 0.3), ("random", 0.2))
    avatars: tuple[tuple[str, float], ...] = (("ai_face", 0.7), ("cartoon", 0.15), ("none", 0.15))
    reused_group: int = 5  # accounts sharing one picture when the avatar kind is "reused"
    zero_follower_share: float = 0.8
    client: str = "Twitter Web App"
    active: tuple[float, float] = (0.0, 1.0)  # part of the window the campaign runs in
    posts_per_account_day: float = 1.5  # rough volume of a member's own posts (seeds, text, filler)


@dataclass(frozen=True)
class OrganicSpec:
    """The ordinary world: who posts how much, what goes viral, the honest look-alikes of coordination."""

    languages: tuple[tuple[str, float], ...] = (("en", 0.6), ("zh", 0.25), ("fr", 0.15))
    posts_per_account_day: float = 1.1  # mean actions a day of a regular account (heavy-tailed)
    activity_sigma: float = 1.6  # log-normal spread of activity
    repost_share: float = 0.45
    reply_share: float = 0.12
    quote_share: float = 0.03
    default_handle_share: float = 0.2  # sign-up default handles (name + 8 digits), mostly silent
    news_share: float = 0.003
    syndicators_per_outlet: int = 2  # accounts re-posting an outlet's headlines verbatim
    celebrity_share: float = 0.002
    fan_share: float = 0.06
    bot_share: float = 0.003  # honest scheduled bots: weather reports and alerts
    virality_alpha: float = 1.1  # Pareto exponent of content popularity (smaller: more viral hits)
    viral_repost_seconds: float = 150.0  # median repost delay of a viral post
    repost_seconds: float = 1800.0  # median repost delay of an ordinary post


@dataclass(frozen=True)
class Scenario:
    """A whole world: its size, period, organic population and campaigns."""

    name: str
    description: str
    accounts: int
    days: int
    start: str = "2021-06-01"
    organic: OrganicSpec = field(default_factory=OrganicSpec)
    campaigns: tuple[CampaignSpec, ...] = ()

    def scaled(self, accounts: int | None = None, days: int | None = None) -> Scenario:
        """This scenario with another account count (campaigns scale along, 10..2,000 each) or period."""
        scenario = self
        if days is not None:
            if days < 1:
                raise ValueError("days must be at least 1")
            scenario = replace(scenario, days=days)
        if accounts is not None:
            factor = accounts / self.accounts
            campaigns = tuple(replace(c, size=min(2000, max(10, round(c.size * factor)))) for c in self.campaigns)
            if accounts < 2 * sum(c.size for c in campaigns) or accounts < 100:
                raise ValueError(f"{accounts} accounts are too few for scenario {self.name!r}")
            scenario = replace(scenario, accounts=accounts, campaigns=campaigns)
        return scenario


SPAMOUFLAGE_LIKE = CampaignSpec(
    id="C1",
    size=350,
    narratives=("region_denial", "critic_attacks", "us_gun_race", "pandemic_praise"),
    languages=(("en", 0.55), ("zh", 0.45)),
    roles=(("persona", 0.55), ("amplifier", 0.3), ("repurposed", 0.15)),
    schedule=Schedule(utc_offset_minutes=480, holidays=("2021-06-14",)),
    tactics=Tactics(seeds_per_day=2.5, copypasta_per_day=0.6, paraphrase_per_day=0.4, flood_per_day=0.2,
                    critic_reply_share=0.3, link_share=0.25),
    stealth=Stealth(jitter_seconds=20.0, filler_share=0.15, participation=0.12),
    created_from="2021-03-08",
    created_days=18,
    old_language="fr",
    avatars=(("ai_face", 0.7), ("cartoon", 0.15), ("reused", 0.05), ("none", 0.1)),
    client="Twitter Web App",
)

HASHTAG_FLOOD = CampaignSpec(
    id="C2",
    size=150,
    narratives=("vaccine_doubt",),
    languages=(("fr", 0.6), ("en", 0.4)),
    roles=(("persona", 0.2), ("amplifier", 0.8)),
    schedule=Schedule(utc_offset_minutes=180, weekend_activity=0.3),
    tactics=Tactics(seeds_per_day=3.0, burst_delay_seconds=20.0, copypasta_per_day=1.0, paraphrase_per_day=0.0,
                    flood_per_day=2.0, critic_reply_share=0.0, link_share=0.8),
    stealth=Stealth(jitter_seconds=5.0, filler_share=0.05, participation=0.4),
    created_from="2021-05-10",
    created_days=6,
    handles=(("random", 0.6), ("default", 0.4)),
    avatars=(("reused", 0.5), ("none", 0.4), ("photo", 0.1)),
    reused_group=12,
    zero_follower_share=0.9,
    client="Twitter for Android",
    active=(0.2, 0.8),
    posts_per_account_day=0.8,
)

PARAPHRASE_PERSONAS = CampaignSpec(
    id="C3",
    size=40,
    narratives=("pandemic_praise", "us_gun_race"),
    languages=(("en", 0.4), ("fr", 0.3), ("zh", 0.3)),
    roles=(("persona", 0.9), ("repurposed", 0.1)),
    schedule=Schedule(utc_offset_minutes=60, weekend_activity=0.1),
    tactics=Tactics(seeds_per_day=8.0, burst_delay_seconds=600.0, copypasta_per_day=0.0, paraphrase_per_day=3.0,
                    flood_per_day=0.0, critic_reply_share=0.0, link_share=0.2),
    stealth=Stealth(jitter_seconds=900.0, filler_share=0.4, participation=0.3, drip_hours=6.0),
    created_from="2020-11-02",
    created_days=60,
    old_language="en",
    handles=(("formulaic", 0.7), ("default", 0.3)),
    avatars=(("photo", 0.6), ("ai_face", 0.3), ("none", 0.1)),
    zero_follower_share=0.3,
    client="Twitter for iPhone",
    posts_per_account_day=2.0,
)

STEALTHY_CELL = CampaignSpec(
    id="S1",
    size=30,
    narratives=("region_denial", "pandemic_praise"),
    languages=(("en", 0.7), ("zh", 0.3)),
    roles=(("persona", 0.8), ("repurposed", 0.2)),
    schedule=Schedule(utc_offset_minutes=480, weekend_activity=0.25),
    tactics=Tactics(seeds_per_day=6.0, burst_delay_seconds=1800.0, copypasta_per_day=0.5, paraphrase_per_day=2.0,
                    flood_per_day=0.0, critic_reply_share=0.2, link_share=0.15),
    stealth=Stealth(jitter_seconds=3600.0, filler_share=0.7, participation=0.25, drip_hours=12.0),
    created_from="2019-01-07",
    created_days=300,
    handles=(("formulaic", 0.5), ("default", 0.5)),
    avatars=(("photo", 0.5), ("ai_face", 0.4), ("none", 0.1)),
    zero_follower_share=0.2,
    client="Twitter for iPhone",
    posts_per_account_day=1.0,
)

SCENARIOS: dict[str, Scenario] = {
    "demo": Scenario(
        name="demo",
        description="5,000 accounts, 30 days, three campaigns; C1 is shaped like the 2021 CIR case "
        "(AI faces, denial narrative in en+zh, attacks on critics, UTC+8 office hours, creation burst)",
        accounts=5000,
        days=30,
        campaigns=(SPAMOUFLAGE_LIKE, HASHTAG_FLOOD, PARAPHRASE_PERSONAS),
    ),
    "stealthy": Scenario(
        name="stealthy",
        description="a small cell hiding in 2,000 accounts: jittered, slow drip, mostly filler",
        accounts=2000,
        days=21,
        campaigns=(STEALTHY_CELL,),
    ),
    "organic-only": Scenario(
        name="organic-only",
        description="the demo's organic world without any campaign, for false-positive rates",
        accounts=5000,
        days=30,
    ),
    "large": Scenario(
        name="large",
        description="about 10 million posts: 250,000 accounts over 30 days, the demo's campaigns at scale",
        accounts=250_000,
        days=30,
        campaigns=(replace(SPAMOUFLAGE_LIKE, size=2000), replace(HASHTAG_FLOOD, size=800),
                   replace(PARAPHRASE_PERSONAS, size=200), replace(STEALTHY_CELL, id="S1", size=60)),
    ),
}


def get_scenario(name: str) -> Scenario:
    """The preset called ``name``; raises ``KeyError`` naming the presets when unknown."""
    if name not in SCENARIOS:
        raise KeyError(f"unknown scenario {name!r}; choose one of {', '.join(SCENARIOS)}")
    return SCENARIOS[name]
