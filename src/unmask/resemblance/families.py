"""The families of a fingerprint and their features: what each one measures and how two values compare.

A feature has a ``kind`` that fixes how it is stored in the JSON file and how two values of it are compared
(:mod:`.compare` holds the arithmetic, one function per kind):

* ``distribution``  -- shares of categories, ``{"web": 0.9, "android": 0.1}``; compared by the share in common;
* ``vector``        -- a fixed-length histogram (168 hours of the week), shares; compared like a distribution;
* ``share``         -- one proportion in [0, 1]; compared on the arcsine-square-root scale (which stretches small
  shares, so 2 % vs 10 % differs more than 52 % vs 60 %);
* ``count_quantiles`` -- quantiles of a count (followers, posts, days); compared on ``log10(1 + x)``;
* ``ratio_quantiles`` -- quantiles of a positive ratio; compared on ``log10(x)``;
* ``count``         -- one non-negative number (hashtags per post, days); compared on ``log10(1 + x)``;
* ``number``        -- one number on a linear scale;
* ``utc_offset``    -- hours from UTC; compared on the circle of the day.

``scale`` is the distance at which a numeric feature's similarity reaches 0 (linear in between).

Categories: handle styles ``anonymised, formulaic, random, default, other`` (the first that applies); client
categories ``web, android, iphone, automation, other``; post kinds ``post, repost, reply, quote``; profile-photo
kinds ``none, ai_face_template, reused, face, no_face``; languages as ISO 639 codes; narratives and claims by
their ids in the claim library.
"""

from __future__ import annotations

from dataclasses import dataclass

QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
INNER_QUANTILES = (0.25, 0.5, 0.75)


@dataclass(frozen=True)
class Feature:
    """One feature of a family: its name in the JSON file, its kind, its scale and how it reads in words."""

    family: str
    name: str
    kind: str
    label: str
    scale: float = 1.0


@dataclass(frozen=True)
class Family:
    """A group of features that come from one kind of data and are present or absent together."""

    name: str
    label: str
    needs: str


FAMILIES: tuple[Family, ...] = (
    Family("creation", "account creation", "account creation dates"),
    Family("handles", "handle style", "handles"),
    Family("schedule", "posting schedule", "post timestamps"),
    Family("clients", "client apps", "client app names"),
    Family("language", "languages", "account or post languages"),
    Family("audience", "followers", "follower counts"),
    Family("tactics", "tactics", "posts"),
    Family("narratives", "narratives", "the narratives stage's claim matches"),
    Family("avatars", "profile photos", "the faces stage's results"),
)
FAMILY_NAMES = tuple(f.name for f in FAMILIES)

FEATURES: tuple[Feature, ...] = (
    Feature("creation", "year_month", "distribution", "creation month"),
    Feature("creation", "busiest_30_days", "share", "share created within the busiest 30 days"),
    Feature("creation", "busiest_7_days", "share", "share created within the busiest 7 days"),
    Feature("creation", "spread_days", "count", "days between the 10th and 90th percentile creation dates", 1.5),
    Feature("creation", "age_at_first_post_days", "count_quantiles", "account age at its first post (days)", 1.5),
    Feature("handles", "styles", "distribution", "handle styles"),
    Feature("handles", "name_unrelated", "share", "share with a display name unrelated to the handle"),
    Feature("schedule", "hour_of_week", "vector", "hour-of-week profile (UTC)"),
    Feature("schedule", "utc_offset", "utc_offset", "best-fitting office-hours UTC offset", 6.0),
    Feature("schedule", "office_share", "share", "share of posts in local office hours"),
    Feature("schedule", "weekend_ratio", "number", "weekend activity per day relative to weekdays", 1.0),
    Feature("schedule", "quiet_share", "share", "share of posts in the quietest 6 hours of the day"),
    Feature("clients", "categories", "distribution", "client apps"),
    Feature("language", "account_languages", "distribution", "account languages"),
    Feature("language", "post_languages", "distribution", "post languages"),
    Feature("audience", "followers", "count_quantiles", "followers", 1.5),
    Feature("audience", "zero_followers", "share", "share with 0 followers"),
    Feature("audience", "following_ratio", "ratio_quantiles", "following per follower", 1.5),
    Feature("tactics", "kinds", "distribution", "post kinds"),
    Feature("tactics", "copypasta", "share", "share of own posts whose text other accounts also posted"),
    Feature("tactics", "links", "share", "share of posts with a link"),
    Feature("tactics", "hashtags_per_post", "count", "hashtags per post", 0.6),
    Feature("tactics", "posts_per_account", "count_quantiles", "posts per account", 1.5),
    Feature("narratives", "claim_share", "share", "share of posts matching a known claim"),
    Feature("narratives", "narratives", "distribution", "known narratives pushed"),
    Feature("narratives", "claims", "distribution", "known claims pushed"),
    Feature("avatars", "kinds", "distribution", "profile photo kinds"),
)
