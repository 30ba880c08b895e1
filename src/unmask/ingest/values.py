"""Parsing of the small values every format carries: times, list literals, counts, flags, URLs, hashtags."""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

HASHTAG_RE = re.compile(r"(?<![\w&])#(\w+)", re.UNICODE)
URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,30})")


class BadValue(ValueError):
    """A value that cannot be parsed; its message is the quarantine reason."""


def parse_time(value: str | int | float | None) -> datetime | None:
    """Parse a timestamp into a naive UTC datetime.

    Accepts ISO 8601 (with ``Z`` or an offset), ``YYYY-MM-DD HH:MM[:SS]``, ``YYYY-MM-DD``, Twitter v1.1's
    ``Wed May 15 16:00:19 +0000 2019``, and unix seconds or milliseconds.  Empty gives None; anything else
    raises :class:`BadValue`.
    """
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return _from_epoch(float(text))
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text) if "," in text else datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y")
        except (TypeError, ValueError) as exc:
            raise BadValue(f"unparsable time {text[:40]!r}") from exc
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _from_epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    try:
        return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError) as exc:
        raise BadValue(f"time out of range {seconds!r}") from exc


def parse_list(value: str | list | None) -> list[str]:
    """Parse a Python-list literal (``['a', 'b']``), a JSON list, or a space/comma separated string.

    The literal is parsed with :func:`ast.literal_eval` (which never executes code); anything that is not a
    list of scalars raises :class:`BadValue`.
    """
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None and str(v) != ""]
    text = value.strip()
    if not text or text in ("[]", "nan", "None"):
        return []
    if text.startswith("["):
        try:
            items = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
            raise BadValue(f"unparsable list {text[:40]!r}") from exc
        if not isinstance(items, (list, tuple)):
            raise BadValue(f"not a list {text[:40]!r}")
        return [str(v) for v in items if v is not None and str(v) != ""]
    return [part for part in re.split(r"[\s,]+", text) if part]


def parse_int(value: str | int | float | None) -> int | None:
    """Parse a count; empty gives None, ``1.0`` gives 1, anything else raises :class:`BadValue`."""
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, (int, float)):
        return int(value)
    text = value.strip().replace(",", "")
    if not text or text.lower() in ("nan", "none", "null"):
        return None
    try:
        return int(float(text))
    except ValueError as exc:
        raise BadValue(f"not a number {text[:40]!r}") from exc


def parse_bool(value: str | int | bool | None) -> bool | None:
    """Parse ``true/false/1/0/yes/no`` in any case; empty gives None."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "t", "y", "1.0"):
        return True
    if text in ("false", "0", "no", "f", "n", "0.0"):
        return False
    if not text:
        return None
    raise BadValue(f"not a true/false value {text[:20]!r}")


def clean(value: object) -> str | None:
    """A string stripped of surrounding blanks, or None for empty values."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def domain_of(url: str) -> str | None:
    """Lower-case host of a URL without ``www.``; None when it has none."""
    try:
        host = urlsplit(url if "://" in url else f"http://{url}").hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def domains_of(urls: list[str]) -> list[str]:
    """Distinct domains of ``urls`` in first-seen order."""
    seen: dict[str, None] = {}
    for url in urls:
        host = domain_of(url)
        if host:
            seen.setdefault(host)
    return list(seen)


def hashtags_in(text: str | None) -> list[str]:
    """Hashtags in ``text``, lower-case, without ``#``."""
    return [tag.lower() for tag in HASHTAG_RE.findall(text or "")]


def urls_in(text: str | None) -> list[str]:
    """URLs in ``text`` (trailing punctuation dropped)."""
    return [url.rstrip(".,;:!?)]}") for url in URL_RE.findall(text or "")]


def mentions_in(text: str | None) -> list[str]:
    """Mentioned handles in ``text``, lower-case, without ``@``."""
    return [handle.lower() for handle in MENTION_RE.findall(text or "")]


def strip_html(html: str | None) -> str | None:
    """Plain text of a small HTML fragment (Mastodon ``content``): tags dropped, breaks kept, entities decoded."""
    if html is None:
        return None
    import html as html_lib

    text = re.sub(r"<br\s*/?>|</p>\s*<p>", "\n", html, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "", text)
    return html_lib.unescape(text).strip()


def normalise_text(text: str) -> str:
    """Lower-case ``text`` with every run of blanks (space, tab, newline, CR, form feed) collapsed to one space
    and the ends trimmed: the form :func:`text_object_id` hashes (``bulk.sql_text_object_id`` does the same)."""
    return re.sub(r"[\t\n\f\r ]+", " ", text.lower()).strip(" ")


def text_object_id(text: str) -> str:
    """A stable id for a shared text when the original post is unknown: ``text:`` + MD5 of its normal form."""
    return "text:" + hashlib.md5(normalise_text(text).encode("utf-8")).hexdigest()


LANGUAGE_CODES: dict[str, str] = {
    "albanian": "sq", "arabic": "ar", "armenian": "hy", "azerbaijani": "az", "belarusian": "be", "bengali": "bn",
    "bulgarian": "bg", "catalan": "ca", "chinese": "zh", "croatian": "hr", "czech": "cs", "danish": "da",
    "dutch": "nl", "english": "en", "estonian": "et", "farsi": "fa", "farsi (persian)": "fa", "filipino": "tl",
    "finnish": "fi", "french": "fr", "georgian": "ka", "german": "de", "greek": "el", "gujarati": "gu",
    "hebrew": "he", "hindi": "hi", "hungarian": "hu", "icelandic": "is", "indonesian": "id", "italian": "it",
    "japanese": "ja", "kazakh": "kk", "korean": "ko", "kurdish": "ku", "latvian": "lv", "lithuanian": "lt",
    "macedonian": "mk", "malay": "ms", "norwegian": "no", "persian": "fa", "polish": "pl", "portuguese": "pt",
    "pushto": "ps", "pashto": "ps", "romanian": "ro", "russian": "ru", "serbian": "sr",
    "simplified chinese": "zh", "slovak": "sk", "slovenian": "sl", "somali": "so", "spanish": "es",
    "swedish": "sv", "tagalog": "tl", "tagalog (filipino)": "tl", "tamil": "ta", "thai": "th",
    "traditional chinese": "zh", "turkish": "tr", "ukrainian": "uk", "urdu": "ur", "uzbek": "uz",
    "vietnamese": "vi",
}
"""Language names as exports spell them (lower-case) -> ISO 639-1 codes; both Chinese scripts map to ``zh``."""

TIME_ZONE_OFFSETS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "CET": 60, "CEST": 120, "MET": 60,
    "MEST": 120, "WAT": 60, "CAT": 120, "SAST": 120, "EET": 120, "EEST": 180, "MSK": 180, "TRT": 180,
    "EAT": 180, "IRST": 210, "GST": 240, "AFT": 270, "PKT": 300, "UZT": 300, "IST": 330, "NPT": 345,
    "MMT": 390, "ICT": 420, "WIB": 420, "PHT": 480, "SGT": 480, "HKT": 480, "AWST": 480, "JST": 540,
    "KST": 540, "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
    "NST": -210, "NDT": -150, "AST": -240, "ADT": -180, "BRT": -180, "ART": -180, "CLT": -240, "CLST": -180,
    "COT": -300, "PET": -300, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
    "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
}
"""UTC offsets in minutes of the time-zone abbreviations exports print (CrowdTangle: ``2021-03-01 14:03:05 EST``).
Ambiguous ones take their most common reading: ``IST`` India, ``CST`` US Central, ``PST`` US Pacific,
``AST`` Atlantic, ``GST`` Gulf."""


RECORD_ERRORS: tuple[type[BaseException], ...] = (
    BadValue, KeyError, TypeError, AttributeError, IndexError, RecursionError,
)
"""What reading one parsed JSON record can raise on bad input: a bad value, or a part of the wrong shape."""


def record_problem(exc: BaseException) -> str:
    """The quarantine reason for a record that raised one of :data:`RECORD_ERRORS`."""
    if isinstance(exc, BadValue):
        return str(exc)
    return f"unexpected structure ({type(exc).__name__}: {exc})"


def json_text(value: object) -> str:
    """``value`` as JSON text, for the ``raw`` column of the quarantine (a placeholder when it nests too deeply)."""
    import json

    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except RecursionError:
        return f"(a JSON {type(value).__name__} nested too deeply to show: see the file at this line)"


def id_of(value: object) -> str | None:
    """An id as a string (integers exactly as written), None when empty; a JSON object or list raises
    :class:`BadValue`."""
    if isinstance(value, (dict, list)):
        raise BadValue(f"expected an id, found a JSON {'object' if isinstance(value, dict) else 'list'}")
    return clean(value)


def tags_of(values: Iterable[object]) -> list[str]:
    """Hashtags given one per item (``Tag`` or ``#Tag``), lower-case, without ``#``; empty ones dropped, a JSON object
    or list among them raises :class:`BadValue`."""
    tags = []
    for value in values:
        if isinstance(value, (dict, list)):
            raise BadValue("a hashtag is a JSON object or list, not text")
        tag = (clean(value) or "").lstrip("#").lower()
        if tag:
            tags.append(tag)
    return tags


def handle_of(value: object) -> str | None:
    """A handle as mentions hold it when there is no id: lower-case, without ``@``; None when empty."""
    handle = (clean(value) or "").lstrip("@").lower()
    return handle or None


def required_id(value: object, what: str) -> str:
    """:func:`id_of` for an id a record cannot do without: a missing one raises :class:`BadValue` naming ``what``."""
    found = id_of(value)
    if found is None:
        raise BadValue(f"missing {what}")
    return found


def as_object(value: object) -> dict:
    """A JSON object, or an empty one for null; any other value (a part of the wrong shape) raises
    :class:`TypeError`."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError(f"expected a JSON object, found {type(value).__name__}")
    return value


def as_list(value: object) -> list:
    """A JSON list, or an empty one for null; any other value (a part of the wrong shape) raises
    :class:`TypeError`."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"expected a JSON list, found {type(value).__name__}")
    return value
