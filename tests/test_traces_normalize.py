"""Normal forms of texts and URLs (the SQL expressions, run in DuckDB)."""

from __future__ import annotations

import re

import duckdb
import pytest

from unmask.traces import TraceParams
from unmask.traces.normalize import random_token_pattern, text_key_sql, text_weight_sql, url_keys_sql


def text_key(text: str, params: TraceParams = TraceParams()) -> str:
    return duckdb.connect().execute(f"SELECT {text_key_sql('t', params)} FROM (SELECT ? AS t)", [text]).fetchone()[0]


def url_key(url: str) -> str:
    query = url_keys_sql("(SELECT CAST(? AS VARCHAR) AS url) u")
    return duckdb.connect().execute(f"SELECT url_key FROM ({query})", [url]).fetchone()[0]


def test_copypasta_with_random_suffixes_has_one_key():
    variants = [
        "Wake up people!! The truth about the vaccine is HERE https://t.co/abc @bob",
        "wake up people. the truth about the vaccine is here x7f3a",
        "RT @alice: Wake up people – the truth about the vaccine is here 8f3a2c1b 0a9zq",
        "Wake   up people\nthe truth about the vaccine is here #",
    ]
    assert {text_key(v) for v in variants} == {"wake up people the truth about the vaccine is here"}


def test_meaningful_endings_are_kept():
    assert text_key("we meet at the square at noon") == "we meet at the square at noon"
    assert text_key("results for 2021") == "results for 2021"  # digits only: not random
    assert text_key("see you at g7") == "see you at g7"  # too short to be a random token
    assert text_key("a1b2c3d4e5f6g7h8") == "a1b2c3d4e5f6g7h8"  # a lone token is the whole text


def test_chinese_text_keeps_its_characters():
    assert text_key("新疆的谎言是美国和西方编造的！！ @user https://x.cn/1") == "新疆的谎言是美国和西方编造的"


def test_random_token_pattern_matches_exactly_mixed_tokens_of_the_right_length():
    pattern = re.compile(random_token_pattern(4, 12) + "$")
    for token in ["x7f3", "abc1", "8f3a2c1b", "a1b2c3d4e5f6", "0a9zq", "zz9z"]:
        assert pattern.fullmatch(token), token
    for token in ["word", "2021", "a1b", "a1b2c3d4e5f6g", "x7-f3"]:
        assert pattern.fullmatch(token) is None, token


def test_url_normal_form():
    same = [
        "https://www.Example.com/news/story/?utm_source=tw&utm_medium=social&id=7#comments",
        "http://example.com/news/story?id=7&fbclid=IwAR0abc",
        "HTTPS://EXAMPLE.COM:443/news/story?id=7",
        "example.com/news/story/?gclid=1&id=7",
    ]
    assert {url_key(u) for u in same} == {"example.com/news/story?id=7"}
    assert url_key("https://www.youtube.com/watch?v=AbC") != url_key("https://www.youtube.com/watch?v=abc")
    assert url_key("https://example.com/") == "example.com"
    assert url_key("https://user@Example.org/a//?utm_campaign=x") == "example.org/a"


@pytest.mark.parametrize(
    "bad", [{"window_seconds": 0}, {"near_dup_threshold": 1.5}, {"random_token_min": 9, "random_token_max": 5}]
)
def test_params_are_validated(bad):
    with pytest.raises(ValueError):
        TraceParams(**bad)


def test_dense_scripts_count_three_per_character():
    def weight(text: str) -> int:
        return duckdb.connect().execute(f"SELECT {text_weight_sql('t')} FROM (SELECT ? AS t)", [text]).fetchone()[0]

    assert weight("thank you so much") == 17
    assert weight("新疆的谎言") == 15
    assert weight("ok 新疆 ですね 한국") == 12 + 2 * 7  # 12 characters, 7 of them kana, ideographs or Hangul
