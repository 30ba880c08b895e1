"""``persona_signals``: every persona signal of every account, combined into ``persona_score`` with reasons.

Signals fall into families (handle, creation, schedule, client, audience, template, repurposed, avatar).  A
family counts with the weight of its strongest firing signal, and families combine as independent evidence:
``score = 1 - prod(1 - family weight)``.  Every weight is below :data:`FLAG_THRESHOLD`, so no single signal,
however strong, flags an account: it takes at least two families, and two weak ones (weight <= 0.2) stay below
the threshold too.  The weights are judgement, not fitted: signals with honest look-alikes (shared generic bios,
fans showing their idol's photo, real photos cropped the FFHQ way) are kept at or below 0.3;
``eval/eval_personas.py`` measures the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from .bios import bio_signals
from .clients import client_signals
from .creation import account_bursts, cluster_bursts, creation_bursts
from ..db import has_table, store
from .handles import handle_signals
from .repurposed import repurposed_signals
from .schedule import schedule_signals

FLAG_THRESHOLD = 0.5


@dataclass(frozen=True)
class Signal:
    """One boolean signal column: its family, weight and how it reads in ``persona_reasons``."""

    name: str
    family: str
    weight: float
    words: Callable[[dict[str, Any]], str]


SIGNALS: tuple[Signal, ...] = (
    Signal("handle_default", "handle", 0.15, lambda r: f"default handle, name + 8 digits ({r['handle']})"),
    Signal("handle_random", "handle", 0.2, lambda r: f"random-string handle ({r['handle']})"),
    Signal("name_formulaic", "handle", 0.1, lambda r: f"reduplicated formulaic name ({r['display_name']})"),
    Signal("name_mismatch", "handle", 0.1,
           lambda r: f"display name {r['display_name']!r} unrelated to handle {r['handle']!r}"),
    Signal("created_in_burst", "creation", 0.35, lambda r: f"created in a burst ({r['creation_burst']})"),
    Signal("cluster_creation_burst", "creation", 0.4,
           lambda r: f"created together with its cluster ({r['cluster_creation_label']})"),
    Signal("office_hours", "schedule", 0.15,
           lambda r: f"posts in office hours of UTC{r['utc_offset']:+d} ({r['office_share']:.0%} of posts), "
                     f"weekends quiet"),
    Signal("active_24_7", "schedule", 0.3,
           lambda r: f"active around the clock ({r['quiet_share']:.0%} of posts in its quietest 6 hours)"),
    Signal("seconds_regular", "schedule", 0.3,
           lambda r: f"posts on fixed seconds of the minute ({r['seconds_top_share']:.0%} on 3 seconds)"),
    Signal("client_automation", "client", 0.3, lambda r: f"automation client ({r['client']})"),
    Signal("client_web_only", "client", 0.1, lambda r: f"posts only from the web app ({r['client']})"),
    Signal("zero_followers", "audience", 0.1, lambda r: "0 followers"),
    Signal("follows_far_more", "audience", 0.15,
           lambda r: f"follows {r['following']} accounts, followed by {r['followers']}"),
    Signal("bio_templated", "template", 0.25,
           lambda r: f"bio shares a template with {r['bio_template_accounts'] - 1} other accounts"),
    Signal("bio_generated", "template", 0.3, lambda r: "bio-generator style bio"),
    Signal("bio_is_name", "template", 0.15, lambda r: "bio is only its own name"),
    Signal("name_templated", "template", 0.2, lambda r: f"templated display name ({r['display_name']})"),
    Signal("repurposed", "repurposed", 0.4,
           lambda r: f"silent {r['dormant_days']} days, then {r['posts_after']} posts in {r['lang_after']} "
                     f"(before: {r['lang_before']})"),
    Signal("dormant_then_burst", "repurposed", 0.15,
           lambda r: f"silent {r['dormant_days']} days, then {r['posts_after']} posts"),
    Signal("avatar_template", "avatar", 0.3,
           lambda r: f"profile photo has the eyes at the StyleGAN/FFHQ template (score {r['ai_face_score']:.2f}; "
                     f"aligned real crops match too)"),
    Signal("avatar_reused", "avatar", 0.3,
           lambda r: f"same or near-same profile photo on {r['avatar_reuse_accounts']} accounts"),
)

VALUE_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("platform", pa.string()), ("account_id", pa.string()), ("handle", pa.string()), ("display_name", pa.string()),
    ("anonymised", pa.bool_()),
    ("creation_burst", pa.string()), ("cluster_creation_label", pa.string()),
    ("posts", pa.int64()), ("utc_offset", pa.int64()), ("office_share", pa.float64()), ("lunch_dip", pa.float64()),
    ("weekend_ratio", pa.float64()), ("quiet_share", pa.float64()), ("seconds_top_share", pa.float64()),
    ("client", pa.string()), ("followers", pa.int64()), ("following", pa.int64()),
    ("following_ratio", pa.float64()), ("bio_template_accounts", pa.int64()),
    ("dormant_days", pa.int64()), ("posts_after", pa.int64()), ("lang_before", pa.string()),
    ("lang_after", pa.string()), ("ai_face_score", pa.float64()), ("avatar_reuse_accounts", pa.int64()),
]
SCHEMA = pa.schema(
    VALUE_COLUMNS + [(s.name, pa.bool_()) for s in SIGNALS]
    + [("persona_score", pa.float64()), ("persona_flagged", pa.bool_()), ("persona_reasons", pa.string())]
)


def persona_signals(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Compute the persona signals of every account and store them as table ``persona_signals``.

    One row per (platform, account_id) of ``accounts``, with a boolean column per signal of :data:`SIGNALS`
    (NULL where it cannot be judged), the values behind them, ``persona_score`` in [0, 1], ``persona_flagged``
    (score >= :data:`FLAG_THRESHOLD`) and ``persona_reasons`` in words.  Uses ``posts`` for schedule, client and
    repurposing, ``account_scores`` for cluster creation bursts and ``faces`` for avatars when present.
    Also stores ``creation_bursts`` (see :func:`~.creation.creation_bursts`).
    """
    bursts = creation_bursts(con)
    store(con, "creation_bursts", bursts)
    rows = _account_rows(con)
    in_burst, in_cluster_burst = account_bursts(con, bursts), cluster_bursts(con)
    schedules, clients, bios = schedule_signals(con), client_signals(con), bio_signals(con)
    repurposed, avatars = repurposed_signals(con), _avatar_signals(con)
    records = []
    for platform, account_id, handle, display_name, followers, following in rows:
        key = (platform, account_id)
        record: dict[str, Any] = {"platform": platform, "account_id": account_id, "handle": handle,
                                  "display_name": display_name, "followers": followers, "following": following}
        handle_part = handle_signals(handle, display_name)
        record.update(vars(handle_part))
        record.update(creation_burst=in_burst.get(key), created_in_burst=key in in_burst,
                      cluster_creation_label=in_cluster_burst.get(key), cluster_creation_burst=key in in_cluster_burst)
        record.update(_schedule_values(schedules.get(key)))
        record.update(vars(clients[key]))
        record.update(vars(bios[key]) if key in bios else {})
        record.update(_repurposed_values(repurposed.get(key)))
        record.update(avatars.get(key, {}))
        record["persona_score"], record["persona_reasons"] = combine(record)
        record["persona_flagged"] = record["persona_score"] >= FLAG_THRESHOLD
        records.append(record)
    table = pa.Table.from_pylist(records, schema=SCHEMA)
    store(con, "persona_signals", table)
    return table


def combine(record: dict[str, Any]) -> tuple[float, str]:
    """The persona score of one account's signals (noisy-or over families) and its reasons, strongest first."""
    family_weight: dict[str, float] = {}
    fired = []
    for signal in SIGNALS:
        if record.get(signal.name):
            family_weight[signal.family] = max(family_weight.get(signal.family, 0.0), signal.weight)
            fired.append(signal)
    remaining = 1.0
    for weight in family_weight.values():
        remaining *= 1.0 - weight
    fired.sort(key=lambda s: (-s.weight, s.name))
    return round(1.0 - remaining, 4), "; ".join(s.words(record) for s in fired)


def _account_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT platform, account_id, handle, display_name, followers, following FROM accounts "
        "ORDER BY platform, account_id"
    ).fetchall()


def _schedule_values(signals: Any) -> dict[str, Any]:
    if signals is None:
        return {"office_hours": None, "active_24_7": None, "seconds_regular": None}
    fit = signals.fit
    return {
        "posts": fit.posts, "utc_offset": fit.utc_offset, "office_share": fit.office_share,
        "lunch_dip": fit.lunch_dip, "weekend_ratio": fit.weekend_ratio, "quiet_share": fit.quiet_share,
        "seconds_top_share": signals.seconds_top_share, "office_hours": signals.office_hours,
        "active_24_7": signals.active_24_7,
        "seconds_regular": signals.seconds_regular if signals.seconds_top_share is not None else None,
    }


def _repurposed_values(signals: Any) -> dict[str, Any]:
    if signals is None:
        return {}
    return {
        "dormant_days": signals.dormant_days, "posts_after": signals.posts_after,
        "lang_before": signals.lang_before, "lang_after": signals.lang_after,
        "repurposed": signals.repurposed, "dormant_then_burst": signals.dormant_then_burst,
    }


def _avatar_signals(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[str, Any]]:
    """Avatar evidence per account from table ``faces`` (written by ``analyze_faces``), when it exists."""
    if not has_table(con, "faces"):
        return {}
    rows = con.execute(
        """
        SELECT platform, account_id, CAST(max(ai_face_score) AS DOUBLE), bool_or(flagged), max(reuse_accounts)
        FROM faces WHERE NOT skipped GROUP BY ALL
        """
    ).fetchall()
    return {
        (platform, account_id): {
            "ai_face_score": score, "avatar_template": bool(flagged),
            "avatar_reuse_accounts": reuse, "avatar_reused": bool(reuse and reuse >= 2),
        }
        for platform, account_id, score, flagged, reuse in rows
    }
