"""DISARM (v1.6) techniques that a cluster's evidence supports, each with the sentence that justifies it.

A technique is listed only when the workspace holds evidence for it; the rule and its threshold are stated in
the report's methods section (:data:`RULES`), so a reader can check every code against the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..network.explain import gap

COPY_TRACES = ("co_post", "near_dup")
REPOST_TRACE = "co_repost"
FAST_REPOST_SECONDS = 60.0
MIN_ACCOUNTS = 2
MIN_SHARE = 0.10
ROUND_CLOCK_MIN_POSTS = 240
ROUND_CLOCK_QUIETEST = 0.5


@dataclass(frozen=True)
class Technique:
    """A DISARM technique: its id (``T0084.001``) and name."""

    id: str
    name: str


CATALOGUE: dict[str, Technique] = {t.id: t for t in (
    Technique("T0049.003", "Bots Amplify via Automated Forwarding and Reposting"),
    Technique("T0084.001", "Use Copypasta"),
    Technique("T0119.002", "Post across Platform"),
    Technique("T0143.002", "Fabricated Persona"),
    Technique("T0144.002", "Persona Template"),
    Technique("T0145.001", "Copy Account Imagery"),
    Technique("T0145.002", "AI-Generated Account Imagery"),
    Technique("T0146.007", "Automated Account Asset"),
)}

RULES: dict[str, str] = {
    "T0084.001": "pairs of the cluster significant in the co_post (identical text) or near_dup (near-identical "
                 "text) trace",
    "T0049.003": f"pairs significant in {REPOST_TRACE} with a median gap of at most {FAST_REPOST_SECONDS:.0f} s",
    "T0145.002": f"at least {MIN_ACCOUNTS} members, and at least {MIN_SHARE:.0%} of the members with an analysed "
                 "avatar, whose face sits where StyleGAN/FFHQ alignment puts it",
    "T0145.001": f"at least {MIN_ACCOUNTS} members whose avatar is the same or a near-same image as another "
                 "account's (pHash within 8 of 64 bits)",
    "T0144.002": f"at least {MIN_ACCOUNTS} members, and at least {MIN_SHARE:.0%} of the members, with a "
                 "templated bio or display name, a generator-style bio or a formulaic name (persona stage)",
    "T0143.002": "T0145.002 or T0144.002 applies: the personas are invented rather than borrowed",
    "T0146.007": f"at least {MIN_ACCOUNTS} members, and at least {MIN_SHARE:.0%} of the members, posting from an "
                 "automation client, around the clock or on fixed seconds (persona stage); or the members together "
                 f"active in every hour of the day (UTC) with the quietest hour at least {ROUND_CLOCK_QUIETEST:.0%} "
                 f"of the average hour, over at least {ROUND_CLOCK_MIN_POSTS} posts",
    "T0119.002": "the cluster's coordinated accounts are on more than one platform",
}


@dataclass(frozen=True)
class TechniqueUse:
    """A technique that applies to one cluster, and why."""

    technique: Technique
    evidence: str


@dataclass(frozen=True)
class TraceFacts:
    """One trace inside a cluster: significant pairs and the median of their median gaps (seconds)."""

    pairs: int
    median_gap: float | None


@dataclass
class ClusterFacts:
    """What the techniques are derived from (counts are of cluster members)."""

    members: int
    platforms: int = 1
    traces: dict[str, TraceFacts] = field(default_factory=dict)
    avatars_analysed: int = 0
    ai_faces: int = 0
    reused_avatars: int = 0
    templated: int = 0
    automated: int = 0
    hourly_posts: list[int] = field(default_factory=list)


def techniques(facts: ClusterFacts) -> list[TechniqueUse]:
    """Every technique ``facts`` support, in catalogue order."""
    uses = {use.technique.id: use for use in _derive(facts)}
    return [uses[tid] for tid in CATALOGUE if tid in uses]


def _derive(facts: ClusterFacts) -> list[TechniqueUse]:
    uses: list[TechniqueUse] = []
    copy = {t: facts.traces[t].pairs for t in COPY_TRACES if t in facts.traces}
    if copy:
        parts = [f"{n:,} pairs posted {'identical' if t == COPY_TRACES[0] else 'near-identical'} text"
                 for t, n in copy.items()]
        uses.append(_use("T0084.001", "; ".join(parts)))
    repost = facts.traces.get(REPOST_TRACE)
    if repost and repost.median_gap is not None and repost.median_gap <= FAST_REPOST_SECONDS:
        uses.append(_use("T0049.003", f"{repost.pairs:,} pairs reposted the same posts, median gap "
                                      f"{gap(repost.median_gap)}"))
    if _enough(facts.ai_faces, facts.avatars_analysed):
        uses.append(_use("T0145.002", f"{facts.ai_faces:,} of {facts.avatars_analysed:,} analysed avatars match "
                                      "the StyleGAN face template"))
    if facts.reused_avatars >= MIN_ACCOUNTS:
        uses.append(_use("T0145.001", f"{facts.reused_avatars:,} accounts show the same or a near-same avatar "
                                      "as another account"))
    if _enough(facts.templated, facts.members):
        uses.append(_use("T0144.002", f"{facts.templated:,} of {facts.members:,} accounts have a templated or "
                                      "formulaic name or bio"))
    if any(u.technique.id in ("T0145.002", "T0144.002") for u in uses):
        uses.append(_use("T0143.002", "invented personas: " + "; ".join(
            u.technique.name.lower() for u in uses if u.technique.id in ("T0145.002", "T0144.002"))))
    automation = []
    if _enough(facts.automated, facts.members):
        automation.append(f"{facts.automated:,} of {facts.members:,} accounts post from an automation client, "
                          "around the clock or on fixed seconds")
    clock = _round_the_clock(facts.hourly_posts)
    if clock:
        automation.append(clock)
    if automation:
        uses.append(_use("T0146.007", "; ".join(automation)))
    if facts.platforms > 1:
        uses.append(_use("T0119.002", f"coordinated accounts on {facts.platforms} platforms"))
    return uses


def _enough(count: int, base: int) -> bool:
    return count >= MIN_ACCOUNTS and base > 0 and count / base >= MIN_SHARE


def _round_the_clock(hourly: list[int]) -> str | None:
    total = sum(hourly)
    if len(hourly) != 24 or total < ROUND_CLOCK_MIN_POSTS:
        return None
    quietest = min(hourly) / (total / 24)
    if quietest < ROUND_CLOCK_QUIETEST:
        return None
    return f"posted in every hour of the day; the quietest hour has {quietest:.0%} of the average hour's posts"


def _use(technique_id: str, evidence: str) -> TechniqueUse:
    return TechniqueUse(CATALOGUE[technique_id], evidence)
