"""Names, screen names, bios and locations of simulated accounts.

Ordinary people pick handles from their names and interests; Twitter's sign-up default is the name plus
eight digits (``JaneDav41198277``) and, for names in other scripts, a random string.  Campaigns use defaults,
formulaic names (Chinese element + reduplicated character, ``Firstname Lastname + 4 digits``) or random
strings, and templated bios.  Every function takes one random integer list ``r`` (see ``text.random_rows``).
"""

from __future__ import annotations

import unicodedata

from .lexicon import en, fr, lexicons, zh
from .text import pick

_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_LATIN = {"en": en, "fr": fr}
MAX_HANDLE = 15

_CAMPAIGN_BIOS = {
    "en": ("Love {x} | Peace and truth | {y}", "{y}. Love {x}. Speak the truth.", "Just a {y} who loves {x}",
           "{y} | Truth matters | Love {x}"),
    "zh": ("热爱{x}，热爱和平 | {y}", "{y}｜说真话｜爱{x}", "一个热爱{x}的{y}"),
    "fr": ("J'aime {x} | Paix et vérité | {y}", "{y}. La vérité d'abord.", "Simple {y} qui aime {x}"),
}
_CAMPAIGN_BIO_SLOTS = {
    "en": (("life", "my country", "peace", "travel", "freedom", "the truth"),
           ("world citizen", "truth seeker", "photographer", "proud Chinese", "student", "teacher")),
    "zh": (("生活", "祖国", "和平", "旅行", "美食"), ("地球公民", "普通人", "摄影爱好者", "中国人", "学生")),
    "fr": (("la vie", "la paix", "les voyages", "la vérité"), ("citoyen du monde", "étudiant", "photographe")),
}


def ascii_name(text: str) -> str:
    """Letters and digits of ``text`` without accents (``Élodie`` -> ``Elodie``)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain if ch.isalnum())


def random_handle(r: list[int], length: int = MAX_HANDLE) -> str:
    """A random alphanumeric screen name."""
    value, chars = r[0] * (1 << 30) + r[1], []
    for _ in range(length):
        value, rest = divmod(value * 48271 + r[2], len(_ALNUM))
        chars.append(_ALNUM[rest])
    return "".join(chars)


def digits(r: int, count: int) -> str:
    """``count`` decimal digits drawn from ``r``."""
    return str(r % 10**count).zfill(count)


def _zh_person(r: list[int]) -> tuple[str, str, str]:
    surname, s_py = zh.SURNAMES[r[0] % len(zh.SURNAMES)]
    given, g_py = zh.GIVEN[r[1] % len(zh.GIVEN)]
    return surname + given, s_py, g_py


def organic_person(lang: str, r: list[int]) -> tuple[str, str]:
    """Display name and screen name of an ordinary person."""
    style = r[5] % 6
    if lang == "zh":
        name, s_py, g_py = _zh_person(r)
        if style == 0:
            name = pick(zh.NICKNAMES, r[6])
        if style == 1:
            return g_py.capitalize() + " " + s_py.capitalize(), f"{g_py}_{s_py}"
        handle = (s_py + g_py + digits(r[7], r[8] % 4) if style < 4 else g_py + s_py + digits(r[7], 2))
        return name, handle
    lex = _LATIN[lang]
    first, last = pick(lex.FIRST_NAMES, r[0]), pick(lex.LAST_NAMES, r[1])
    a_first, a_last = ascii_name(first), ascii_name(last)
    name = (f"{first} {last}", first, f"{first} {last[0]}.", f"{first} {pick(lex.ENDINGS, r[9]).strip()}".strip(),
            f"{first.lower()} {last.lower()}", f"{first} {last}")[style]
    handle = (f"{a_first}{a_last}", f"{a_first.lower()}_{a_last.lower()}", f"{a_first}{a_last}{digits(r[7], 2)}",
              f"{pick(lex.HANDLE_WORDS, r[10])}{a_first.lower()}", f"{a_first[0]}{a_last}{digits(r[7], 4)}",
              f"{a_first.lower()}{pick(lex.HANDLE_WORDS, r[10])}")[r[11] % 6]
    return name, handle


def default_person(lang: str, r: list[int]) -> tuple[str, str]:
    """A person keeping the sign-up default handle: name + 8 digits, or a random string for a Chinese name."""
    if lang == "zh":
        name = _zh_person(r)[0] if r[5] % 3 else pick(zh.NICKNAMES, r[6])
        return name, random_handle(r)
    lex = _LATIN[lang]
    first, last = pick(lex.FIRST_NAMES, r[0]), pick(lex.LAST_NAMES, r[1])
    stem = (ascii_name(first) + ascii_name(last))[:7]
    return f"{first} {last}" if r[5] % 3 else first, stem + digits(r[7] * 1024 + r[8], 8)


def formulaic_person(lang: str, r: list[int]) -> tuple[str, str]:
    """A name from an operator's formula: element + reduplicated character, or Firstname Lastname + 4 digits."""
    if lang == "zh":
        name = pick(zh.ELEMENTS, r[0]) + pick(zh.REDUPLICATED, r[1])
        _, s_py, g_py = _zh_person(r[2:])
        return name, s_py + g_py + digits(r[7], 4)
    lex = _LATIN[lang]
    first, last = pick(lex.FIRST_NAMES, r[0]), pick(lex.LAST_NAMES, r[1])
    return f"{first} {last}", ascii_name(first) + ascii_name(last)[:10] + digits(r[7], 4)


def organic_bio(lang: str, r: list[int]) -> str:
    """An ordinary profile description: often empty, else one to three short self-descriptions."""
    if r[12] % 100 < 35:
        return ""
    parts = lexicons()[lang].BIO_PARTS
    count = 1 + r[13] % 3
    chosen = [parts[(r[14] + i * 7) % len(parts)] for i in range(count)]
    return (" | " if lang == "zh" else " ").join(dict.fromkeys(chosen))


def campaign_bio(lang: str, r: list[int]) -> str:
    """A templated campaign bio: a handful of templates and slot words shared by the whole network."""
    xs, ys = _CAMPAIGN_BIO_SLOTS[lang]
    return pick(_CAMPAIGN_BIOS[lang], r[12]).format(x=pick(xs, r[13]), y=pick(ys, r[14]))


def location(lang: str, r: list[int]) -> str:
    """A self-reported location, empty 40 % of the time."""
    return "" if r[15] % 100 < 40 else pick(lexicons()[lang].LOCATIONS, r[15] // 100)


def outlet(lang: str, r: list[int]) -> tuple[str, str, str]:
    """Name, screen name and web domain of a news outlet."""
    lex = lexicons()[lang]
    place = pick(lex.PLACES, r[0])
    if lang == "zh":
        paper = r[1] % len(zh.PAPERS)
        return place + zh.PAPERS[paper], zh.PINYIN[place] + "_" + zh.PAPERS_PINYIN[paper], \
            f"{zh.PINYIN[place]}{zh.PAPERS_PINYIN[paper]}.cn"
    paper = pick(lex.PAPERS, r[1])
    if lang == "en":
        stem = ascii_name(place.removeprefix("the ")) + paper
        return f"The {place} {paper}", stem, stem.lower() + ".com"
    word = max(paper.split(), key=len).split("'")[-1]  # "Le Courrier de" -> "Courrier", "L'Écho de" -> "Écho"
    stem = ascii_name(word) + ascii_name(place)
    return f"{paper} {place}", stem, stem.lower() + ".fr"


def weather_bot(lang: str, city: str) -> tuple[str, str]:
    """Name and screen name of a city's weather bot."""
    if lang == "zh":
        return f"{city}天气播报", f"weather_{zh.PINYIN.get(city, 'city')}"
    stem = ascii_name(city)
    return (f"{city} Weather", f"{stem}Weather") if lang == "en" else (f"Météo {city}", f"Meteo{stem}")


def alert_bot(lang: str, r: list[int]) -> tuple[str, str]:
    """Name and screen name of an automatic alert service."""
    names = {"en": (("Quake Alerts", "QuakeAlerts"), ("Air Quality Bot", "AirQualityBot"),
                    ("Flood Watch", "FloodWatchBot"), ("Seismo Monitor", "SeismoMonitor")),
             "zh": (("地震速报", "dizhen_subao"), ("空气质量播报", "aqi_bobao")),
             "fr": (("Alerte Séisme", "AlerteSeisme"), ("Info Pollution", "InfoPollution"))}[lang]
    return names[r[0] % len(names)]


class HandleBook:
    """Keeps screen names unique ignoring case, as platforms do, by changing trailing characters."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, handle: str, r: int) -> str:
        """``handle`` (cut to 15 characters) or, when taken, a variant with digits; the result is reserved."""
        plain = unicodedata.normalize("NFKD", handle)
        handle = "".join(ch for ch in plain if ch.isascii() and (ch.isalnum() or ch == "_"))[:MAX_HANDLE] or "user"
        candidate, attempt = handle, 0
        while candidate.lower() in self.taken:
            attempt += 1
            tail = digits(r + attempt * 7919, 2 + attempt // 10)
            candidate = handle[: MAX_HANDLE - len(tail)] + tail
        self.taken.add(candidate.lower())
        return candidate
