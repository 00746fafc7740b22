"""Word frequencies and distinctive words (TF-IDF) over segmented text. Pure counting: no storage, no jieba.

Counting
    Tokens are the normalised words of `qcode.text.segment` (punctuation and white space are never
    tokens, and speaker labels are never segmented). A token is *counted* when it passes the
    `WordFilter`: it is not a stop word, it has at least `min_length` characters, and it is not a bare
    number (unless numbers are asked for). The codebook's keywords are never stop words. `per_1000` is a
    word's count per 1,000 tokens of its group's running text (every token, counted or not), so rates stay
    comparable whatever stop words are chosen.

Distinctive words
    For documents d (transcripts, speakers or codes) with n_d tokens each, and N documents that have
    tokens: tf(w, d) = count(w, d) / n_d, idf(w) = ln(N / df(w)) where df(w) is the number of documents
    containing w, and tfidf(w, d) = tf(w, d) * idf(w) (Manning, Raghavan & Schütze 2008, §6.2, with
    relative term frequency). A word found in every document scores 0 and is not listed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path

import numpy as np

from qcode.errors import InputError, Problem
from qcode.i18n import N_, _, ngettext
from qcode.text.input_files import MAX_WORD_LIST_BYTES, check_input_file
from qcode.text.segment import has_han
from qcode.text.tokenize_en import english_stop_words, has_letter, normalize_english, read_word_list


@cache
def chinese_stop_words() -> frozenset[str]:
    """The shipped Chinese stop words: function words and fillers of spoken interviews (data/stopwords_zh.txt)."""
    text = resources.files("qcode.text").joinpath("data/stopwords_zh.txt").read_text("utf-8")
    return frozenset(read_word_list(text))


def shipped_stop_words() -> frozenset[str]:
    """The Chinese and English stop words qcode ships."""
    return chinese_stop_words() | english_stop_words()


def parse_stop_words(text: str, path: str | PathLike[str] | None = None) -> frozenset[str]:
    """A user's stop-word list: one word per line, `#` starts a comment; words compare lower-cased."""
    problems = []
    words = set()
    for number, line in enumerate(text.split("\n"), 1):
        word = line.split("#", 1)[0].strip()
        if not word:
            continue
        if re.search(r"\s", word):
            problems.append(Problem(_("'{word}' holds a space: write one word per line").format(word=word),
                                    str(path) if path is not None else None, number))
            continue
        words.add(normalize_word(word))
    if problems:
        raise InputError(problems=problems)
    return frozenset(words)


def read_stop_words(path: Path) -> frozenset[str]:
    """The stop words in the UTF-8 file at `path` (see `parse_stop_words`)."""
    check_input_file(path, MAX_WORD_LIST_BYTES, N_("stop-word list"))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(_("cannot read the stop-word list: {reason}").format(reason=exc.strerror), path=path) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(_("the stop-word list must be UTF-8 (byte 0x{byte} is not)").format(byte=f"{data[exc.start]:02X}"),
                         path=path, line=line) from None
    return parse_stop_words(text.replace("\r\n", "\n").replace("\r", "\n"), path)


def normalize_word(word: str) -> str:
    """A word as tokens are stored: width-folded, lower-cased, ’ read as '."""
    from qcode.text.decode import fold_width  # lazy: no cost reason left; move to the top after the text/ rewrite (issue 13)

    return normalize_english(fold_width(word))


def is_number(word: str) -> bool:
    """A token without any letter (Han or Latin), such as 2024, 3.5 or 12,000."""
    return not has_han(word) and not has_letter(word)


@dataclass(frozen=True)
class WordFilter:
    """Which tokens are counted (see the module docstring); `keep` are words never treated as stop words."""

    stop_words: frozenset[str] = frozenset()
    min_length: int = 2
    numbers: bool = False
    keep: frozenset[str] = frozenset()
    _verdicts: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.min_length < 1:
            raise InputError(_("the minimum word length must be at least 1, got {value}").format(value=self.min_length))

    def accepts(self, word: str) -> bool:
        verdict = self._verdicts.get(word)
        if verdict is None:
            verdict = (
                len(word) >= self.min_length
                and (word in self.keep or word not in self.stop_words)
                and (self.numbers or not is_number(word))
            )
            self._verdicts[word] = verdict
        return verdict


@dataclass(frozen=True, slots=True)
class WordFrequency:
    """A counted word of one group (None for the whole corpus), ranked from 1 by count."""

    group: str | None
    rank: int
    word: str
    count: int
    per_1000: float  # per 1,000 tokens of the group
    documents: int  # groups (or, for the corpus, transcripts) containing the word


@dataclass(frozen=True, slots=True)
class DistinctiveWord:
    """A word with a positive TF-IDF score in one document (group), ranked from 1 by score."""

    group: str
    rank: int
    word: str
    count: int
    documents: int  # df: documents containing the word
    tf: float
    idf: float
    tfidf: float


def _ranked(counter: Mapping[str, int], word_filter: WordFilter) -> list[tuple[str, int]]:
    """Counted words, most frequent first; ties in code-point order of the word, so output is stable."""
    kept = [(word, n) for word, n in counter.items() if word_filter.accepts(word)]
    kept.sort(key=lambda item: (-item[1], item[0]))
    return kept


def document_frequencies(documents: Mapping[str, Counter[str]]) -> Counter[str]:
    """For each word, the number of documents it occurs in."""
    frequencies: Counter[str] = Counter()
    for counter in documents.values():
        frequencies.update(counter.keys())
    return frequencies


def word_frequencies(groups: Mapping[str | None, Counter[str]], word_filter: WordFilter, top: int | None,
                     documents: Mapping[str, int] | None = None) -> list[WordFrequency]:
    """The `top` counted words of each group (all with None), with rates per 1,000 tokens.

    `documents` gives, per word, the number of documents it occurs in; by default, the number of groups.
    """
    if documents is None:
        documents = document_frequencies({str(k): v for k, v in groups.items()})
    rows = []
    for group, counter in groups.items():
        total = sum(counter.values())
        ranked = _ranked(counter, word_filter)
        for rank, (word, n) in enumerate(ranked[:top] if top else ranked, start=1):
            rows.append(WordFrequency(group, rank, word, n, 1000.0 * n / total, documents.get(word, 0)))
    return rows


def distinctive_words(documents: Mapping[str, Counter[str]], word_filter: WordFilter, top: int | None
                      ) -> list[DistinctiveWord]:
    """The `top` words of each document by TF-IDF (see the module docstring); words scoring 0 are left out."""
    present = {name: counter for name, counter in documents.items() if sum(counter.values())}
    if len(present) < 2:
        raise InputError(
            ngettext("distinctive words compare documents, but only {count} of them has any words; "
                     "choose a breakdown with at least two (e.g. --by transcript)",
                     "distinctive words compare documents, but only {count} of them have any words; "
                     "choose a breakdown with at least two (e.g. --by transcript)", len(present)).format(
                count=len(present))
        )
    df = document_frequencies(present)
    n_documents = len(present)
    rows = []
    for name, counter in present.items():
        total = sum(counter.values())
        scored = []
        for word, n in counter.items():
            if not word_filter.accepts(word) or df[word] == n_documents:
                continue
            tf = n / total
            idf = math.log(n_documents / df[word])
            scored.append((tf * idf, n, word, tf, idf))
        scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
        for rank, (score, n, word, tf, idf) in enumerate(scored[:top] if top else scored, start=1):
            rows.append(DistinctiveWord(name, rank, word, n, df[word], tf, idf, score))
    return rows


def inside(token_starts: np.ndarray, token_ends: np.ndarray, span_starts: np.ndarray, span_ends: np.ndarray
           ) -> np.ndarray:
    """Which tokens lie entirely inside one of the spans (sorted, disjoint, e.g. merged codings)."""
    if not span_starts.size:
        return np.zeros(token_starts.size, dtype=bool)
    where = np.searchsorted(span_starts, token_starts, side="right") - 1
    safe = np.maximum(where, 0)
    return (where >= 0) & (token_ends <= span_ends[safe])
