"""Normal forms of texts and URLs, as portable SQL expressions (regular expressions valid in RE2 and Java).

Normalising in SQL keeps it vectorised in DuckDB and lets the same queries run on Spark; the expressions avoid
back-references and look-arounds, which the two engines spell differently or lack.
"""

from __future__ import annotations

from .params import TraceParams

AUTHORED = "COALESCE(kind, 'post') NOT IN ('repost', 'forward')"
"""Posts whose text, links, tags and mentions are the account's own (a repost carries the original's)."""

_TEXT_STEPS: list[tuple[str, str]] = [
    (r"(https?://|www\.)[^\s]+|@[\p{L}\p{N}_]+", " "),  # links and mentions
    # Every run of anything but letters, marks and digits (punctuation, symbols, emoji, spaces) becomes one space.
    # Spelled so that a lone plain space, the commonest run, is no match: a third faster than matching every run.
    (r" *[^\p{L}\p{M}\p{N} ][^\p{L}\p{M}\p{N}]*|  +", " "),
]

_DENSE_SCRIPTS = r"\x{3040}-\x{30FF}\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{AC00}-\x{D7AF}"
"""Code points of kana, CJK ideographs and Hangul syllables: scripts that write a word in one or two characters
(ranges, not script names, which RE2 and Java spell differently)."""

SHORTENER_DOMAINS = (
    "t.co", "bit.ly", "ow.ly", "buff.ly", "tinyurl.com", "goo.gl", "dlvr.it", "ift.tt", "fb.me", "trib.al",
    "lnkd.in", "is.gd", "j.mp", "wp.me", "tiny.cc", "rebrand.ly", "shorturl.at", "cutt.ly", "t.ly", "s.id",
    "rb.gy", "bl.ink", "amzn.to", "dld.bz", "po.st", "ln.is", "su.pr", "tr.im", "v.gd", "url.cn", "t.cn",
)
"""Link shorteners and redirectors: a shortened link hides its site, so its domain is not the site shared
(an export that did not expand ``t.co`` links would otherwise put every link of a data set on one domain)."""

_TRACKING_PARAMS = (
    r"utm_[^=&]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|ref_src|ref_url|_ga|_gl"
)


def random_token_pattern(min_len: int, max_len: int) -> str:
    """A regex for one token of ``min_len..max_len`` lower-case letters and digits that mixes both.

    RE2 has no look-ahead, so "contains a letter and a digit, and has this length" is spelled out by where the
    first switch between letters and digits happens: ``head`` letters then a digit (or digits then a letter),
    then the rest of the length.
    """
    alternatives = []
    for head in range(1, max_len):
        low, high = max(0, min_len - head - 1), max_len - head - 1
        alternatives.append(f"[a-z]{{{head}}}[0-9][a-z0-9]{{{low},{high}}}")
        alternatives.append(f"[0-9]{{{head}}}[a-z][a-z0-9]{{{low},{high}}}")
    return "(" + "|".join(alternatives) + ")"


def text_key_sql(column: str, params: TraceParams) -> str:
    """SQL for the normal form of a post text: what two copies of one copypasta have in common.

    Lower-case; drop links and @mentions; every run of punctuation, symbols and spaces becomes one space; a
    leading "rt" (old-style retweets) goes; trailing random tokens (letters mixed with digits, see
    :func:`random_token_pattern`) go.  Letters of every script and digits stay, so Chinese keeps its text.
    """
    expr = f"LOWER({column})"
    for pattern, replacement in _TEXT_STEPS:
        expr = f"REGEXP_REPLACE({expr}, {_literal(pattern)}, '{replacement}', 'g')"
    expr = f"TRIM({expr})"
    expr = f"REGEXP_REPLACE({expr}, '^rt ', '', 'g')"
    token = random_token_pattern(params.random_token_min, params.random_token_max)
    return f"REGEXP_REPLACE({expr}, {_literal(f'( {token})+$')}, '', 'g')"


def text_weight_sql(column: str) -> str:
    """SQL for a text's length in Latin-letter equivalents: a kana, CJK ideograph or Hangul syllable counts 3.

    A 14-character Chinese slogan says as much as a 40-letter English one; ``min_text_chars`` applies to this.
    """
    dense = f"LENGTH(REGEXP_REPLACE({column}, {_literal(f'[^{_DENSE_SCRIPTS}]+')}, '', 'g'))"
    return f"(LENGTH({column}) + 2 * {dense})"


def authored_text_keys_sql(params: TraceParams) -> str:
    """SELECT of ``platform, account_id, ts, post_id, text_key`` for authored posts with a long enough key."""
    least = int(params.min_text_chars)
    # A text's weight is at least its length, so most texts qualify on their length and skip the weight's regex.
    return f"""
SELECT platform, account_id, ts, post_id, text_key FROM (
    SELECT platform, account_id, created_at AS ts, post_id, {text_key_sql('text', params)} AS text_key
    FROM posts
    WHERE {AUTHORED} AND text IS NOT NULL
) keyed_posts
WHERE LENGTH(text_key) >= {least} OR {text_weight_sql('text_key')} >= {least}"""


def url_keys_sql(urls: str) -> str:
    """A query adding ``url_key``, the normal form of the column ``url``, to every row of the relation ``urls``.

    The scheme, ``www.``, user info, default ports, the fragment, tracking parameters (``utm_*``, ``fbclid``,
    ``gclid``, ...) and trailing slashes go; the host is lower-cased, the path keeps its case (it is
    case-sensitive on most sites).  ``HTTPS://WWW.Example.com/a/?utm_source=x&id=7#top`` becomes
    ``example.com/a?id=7``.  Helper columns ``url_bare, url_host, url_rest, url_path, url_query`` come along.
    """
    host = "LOWER(REGEXP_EXTRACT(url_bare, '^([^/?#&]*)', 1))"
    for pattern in (r"^[^@]*@", r"^www\.", r":(80|443)$", r"\.$"):
        host = f"REGEXP_REPLACE({host}, {_literal(pattern)}, '', 'g')"
    # Past the host: drop the fragment, make every parameter "&name=value", drop the tracking ones.
    rest = "REGEXP_REPLACE(REGEXP_EXTRACT(url_bare, '^[^/?#&]*([^#]*)', 1), '[?]', '&', 'g')"
    rest = f"REGEXP_REPLACE({rest}, {_literal(f'&({_TRACKING_PARAMS})=[^&]*')}, '', 'g')"
    return f"""
SELECT *, url_host || url_path || CASE WHEN url_query = '' THEN '' ELSE '?' || url_query END AS url_key FROM (
    SELECT *,
           REGEXP_REPLACE(REGEXP_EXTRACT(url_rest, '^([^&]*)', 1), '/+$', '', 'g') AS url_path,
           REGEXP_REPLACE(REGEXP_EXTRACT(url_rest, '^[^&]*&*(.*)$', 1), '&+$', '', 'g') AS url_query
    FROM (
        SELECT *, {host} AS url_host, {rest} AS url_rest
        FROM (SELECT *, REGEXP_REPLACE(TRIM(url), '^[A-Za-z][A-Za-z0-9+.-]*://', '', 'g') AS url_bare FROM {urls}) bare
    ) split_url
) parts"""


def domain_list_sql(domains: tuple[str, ...]) -> str:
    """A parenthesised SQL list of domain literals, for ``IN``."""
    return "(" + ", ".join(_literal(domain) for domain in domains) + ")"


def _literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
