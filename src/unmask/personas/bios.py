"""Templated bios and names (DISARM T0144.002 Persona Template).

* ``bio_template_accounts``: how many accounts share this bio's template: bios are normalised (lower case,
  links -> ``<url>``, mentions -> ``@``, digits -> ``#``, punctuation dropped) and grouped when equal or near-equal
  (MinHash over character 5-shingles, estimated Jaccard >= 0.7); ``bio_templated`` when at least
  :data:`MIN_GROUP` accounts share one.
* ``bio_generated``: the bio-generator style of fake personas, short fragments that each name a role
  (``Thinker. Evil tvaholic. Alcohol aficionado. Coffee ninja.``).
* ``bio_is_name``: the bio is little more than the account's own handle or name (``Tiotincta Business``).
* ``name_templated``: display names sharing a template (digits -> ``#``) with at least :data:`MIN_GROUP` accounts,
  where the template has digits or two or more words (single first names are shared by chance).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import duckdb

from ..traces.minhash import near_duplicate_labels, signatures

MIN_GROUP = 3
MIN_TEMPLATE_CHARS = 10
SHINGLE = 5
PERMUTATIONS = 64
BANDS, ROWS = 16, 4
NEAR_DUPLICATE = 0.7
SEED = 0
MAX_NAME_WORDS = 4
ROLE_WORDS = frozenset(
    "aficionado advocate buff enthusiast evangelist expert fan fanatic geek guru junkie lover maven nerd ninja "
    "practitioner scholar specialist trailblazer thinker writer creator reader communicator solver entrepreneur "
    "organizer gamer student introvert extrovert explorer zombie fanboy fangirl addict".split()
)
URL = re.compile(r"https?://\S+|www\.\S+")
MENTION = re.compile(r"@\w+")


@dataclass(frozen=True)
class BioSignals:
    """Bio and name template signals of one account."""

    bio_template_accounts: int
    bio_templated: bool
    bio_generated: bool
    bio_is_name: bool
    name_templated: bool


def normalise_bio(bio: str) -> str:
    """The template form of a bio: lower case, links and mentions replaced, digits as ``#``, no punctuation."""
    text = unicodedata.normalize("NFKC", bio).lower()
    text = MENTION.sub(" @ ", URL.sub(" <url> ", text))
    text = re.sub(r"[0-9]", "#", text)
    text = "".join(c if c.isalnum() or c in "#@<> " else " " for c in text)
    return " ".join(text.split())


def is_generated_bio(bio: str) -> bool:
    """True for three or more short fragments (split at ``.``, ``!``, ``|``) of which at least half, and at least
    three, end in a role word or an ``-aholic``."""
    fragments = [f.strip() for f in re.split(r"[.!|•]+", bio) if f.strip()]
    if len(fragments) < 3 or any(len(f.split()) > 4 for f in fragments):
        return False
    roles = sum(1 for f in fragments if _is_role(f.split()[-1].lower().strip(",;:")))
    return roles >= 3 and roles * 2 >= len(fragments)


def _is_role(word: str) -> bool:
    return word in ROLE_WORDS or word.endswith(("aholic", "oholic"))


def is_bio_name(bio: str, handle: str, display_name: str) -> bool:
    """True when a bio of at most four words contains the account's handle or one-word display name."""
    words = re.findall(r"\w+", bio.lower())
    if not words or len(words) > MAX_NAME_WORDS:
        return False
    own = {handle.lower().lstrip("@")} | ({display_name.lower()} if display_name and " " not in display_name else set())
    return bool(own - {""} & set(words))


def name_template(display_name: str) -> str | None:
    """The template of a display name (lower case, digits as ``#``), or None when it is too plain to count."""
    template = " ".join(re.sub(r"[0-9]", "#", unicodedata.normalize("NFKC", display_name).lower()).split())
    if not template or ("#" not in template and len(template.split()) < 2):
        return None
    return template


def bio_signals(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], BioSignals]:
    """Bio and name template signals for every account of the workspace."""
    rows = con.execute(
        "SELECT platform, account_id, coalesce(bio, ''), coalesce(handle, ''), coalesce(display_name, '') "
        "FROM accounts ORDER BY platform, account_id"
    ).fetchall()
    templates = [normalise_bio(bio) for _, _, bio, _, _ in rows]
    groups = _bio_groups(templates)
    group_sizes = Counter(g for g in groups if g is not None)
    names = [name_template(name) for *_, name in rows]
    name_counts = Counter(n for n in names if n)
    out = {}
    for (platform, account_id, bio, handle, name), group, name_key in zip(rows, groups, names):
        size = group_sizes[group] if group is not None else 0
        out[(platform, account_id)] = BioSignals(
            bio_template_accounts=size,
            bio_templated=size >= MIN_GROUP,
            bio_generated=is_generated_bio(bio),
            bio_is_name=is_bio_name(bio, handle, name),
            name_templated=bool(name_key) and name_counts[name_key] >= MIN_GROUP,
        )
    return out


def _bio_groups(templates: list[str]) -> list[int | None]:
    """A group label per bio (None for bios too short to be a template); equal templates share a label, and
    near-duplicates are merged by MinHash."""
    usable = sorted({t for t in templates if len(t) >= MIN_TEMPLATE_CHARS})
    if not usable:
        return [None] * len(templates)
    labels = near_duplicate_labels(signatures(usable, SHINGLE, PERMUTATIONS, SEED), BANDS, ROWS, NEAR_DUPLICATE)
    label_of = dict(zip(usable, labels.tolist()))
    return [label_of.get(t) for t in templates]
