"""A simple tokenizer for English and other Latin-script text, so bilingual projects get the same word tools.

A word is a run of Latin letters and digits, with inner apostrophes or hyphens kept (`don't`, `COVID-19`,
`e-mail`); a number keeps its inner decimal point or thousands separator (`3.5`, `12,000`). A trailing
possessive `'s` is left outside the word (`government's` -> `government`), so both forms count as one.
Counting and matching use the lower-cased form with the typographic apostrophe ’ read as '.

Offsets are half-open `[start, end)` code-point indices into the text given, as everywhere in qcode.
Chinese is not handled here: `qcode.text.segment` sends Han text to jieba and the rest here.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# Latin letters: ASCII, Latin-1 Supplement (without × and ÷), Latin Extended-A and -B.
_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_WORD = re.compile(
    rf"\d+(?:[.,]\d+)+"  # a number with a decimal point or thousands separators
    rf"|[{_LETTERS}0-9]+(?:['’\-][{_LETTERS}0-9]+)*"  # a word, with inner apostrophes and hyphens
)
_LETTER = re.compile(f"[{_LETTERS}]")

#: Finds any character this tokenizer turns into words (a Latin letter or a digit).
LATIN_OR_DIGIT = re.compile(f"[{_LETTERS}0-9]")


def english_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The `[start, end)` spans of the words and numbers in `text[start:end]`, as offsets into `text`."""
    end = len(text) if end is None else end
    spans = []
    for match in _WORD.finditer(text, start, end):
        word_start, word_end = match.span()
        # a trailing 's (the last two characters; a regular-expression search per word cost more)
        if word_end - word_start > 2 and text[word_end - 1] in "sS" and text[word_end - 2] in "'’":
            word_end -= 2
        spans.append((word_start, word_end))
    return spans


def normalize_english(word: str) -> str:
    """The form a word is counted and matched under: lower case, with ’ read as '."""
    return word.lower().replace("’", "'")


def has_letter(word: str) -> bool:
    """Whether a Latin-script token contains a letter (False for numbers such as 2024 or 3.5)."""
    return _LETTER.search(word) is not None


@cache
def english_stop_words() -> frozenset[str]:
    """The shipped English stop words (function words), lower case."""
    return frozenset(read_word_list(resources.files("qcode.text").joinpath("data/stopwords_en.txt").read_text("utf-8")))


def read_word_list(text: str) -> list[str]:
    """The words of a shipped list: one per line; `#` starts a comment; blank lines are skipped."""
    words = []
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return words
