"""Parsing of the small values every format carries: times, list literals, counts, flags, URLs, hashtags."""

from __future__ import annotations

import ast
import re
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
