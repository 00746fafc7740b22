"""The simple English tokenizer: words, numbers, apostrophes, possessives, lower case, stop words."""

from __future__ import annotations

import pytest

from qcode.text.tokenize_en import english_spans, english_stop_words, has_letter, normalize_english


def words(text: str) -> list[str]:
    return [text[s:e] for s, e in english_spans(text)]


@pytest.mark.parametrize("text,expected", [
    ("I don't know.", ["I", "don't", "know"]),
    ("The government's account", ["The", "government", "account"]),
    ("the governments’ posts", ["the", "governments", "posts"]),
    ("COVID-19 e-mail, mini-program!", ["COVID-19", "e-mail", "mini-program"]),
    ("3.5 million, 12,000 fans in 2021", ["3.5", "million", "12,000", "fans", "in", "2021"]),
    ("It's 5G. Café naïve", ["It", "5G", "Café", "naïve"]),
    ("end.Next -- 'quoted' (laughs)", ["end", "Next", "quoted", "laughs"]),
    ("the MINISTRY’S and Bureau'S posts, Ross's", ["the", "MINISTRY", "and", "Bureau", "posts", "Ross"]),
    ("", []),
])
def test_english_words_and_numbers(text, expected):
    assert words(text) == expected


def test_spans_are_offsets_into_the_text_and_can_start_later():
    text = "访谈：WeChat groups"
    assert english_spans(text) == [(3, 9), (10, 16)]
    assert english_spans(text, 10) == [(10, 16)]


def test_normal_form_is_lower_case_with_a_plain_apostrophe():
    assert normalize_english("Don’t") == "don't"
    assert normalize_english("WeChat") == "wechat"


def test_numbers_have_no_letters():
    assert not has_letter("2024") and not has_letter("3.5") and has_letter("5G")


def test_stop_words_are_function_words_only():
    stop = english_stop_words()
    for word in ("the", "and", "i", "don't", "is", "of", "yeah"):
        assert word in stop
    for word in ("problem", "think", "need", "government", "service", "account"):
        assert word not in stop
