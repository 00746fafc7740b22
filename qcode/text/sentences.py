"""Sentences inside speaker turns, found by one compiled regex per turn (no per-character Python loop).

A sentence ends after a run of `。！？!?` (and `；;` unless turned off), an ellipsis run (`……`, `⋯`,
`...`), or an English full stop; closing quotes and brackets (`”’」』）)]】〕》"'`) right after the run
stay with it. A line break also ends a sentence. A dot never ends a sentence inside a number (`3.5`),
after a one-letter abbreviation (`e.g.`, `U.S.`), after a title (`Mr.`, `Dr.`), or when no white space
follows it (`www.gov.cn`). Sentences are trimmed of white space and never empty.

Sentences are a selection aid and a unit of analysis; speaker turns remain the primary coding unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Protocol

_CLOSERS = "”’」』）)\\]】〕》\"'"
_ENDERS = "。！？!?…⋯"
_SEMICOLONS = "；;"
# Titles after which a full stop does not end the sentence ("Mr. Li said ...").
_TITLES = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "vs", "No", "al", "Fig")


# (turn_index, start, end): a sentence `[start, end)` of the turn at `turn_index`. A plain tuple, because
# building a named tuple per sentence costs as much as finding the sentence.
TurnSentence = tuple[int, int, int]


class _HasSpan(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def split_sentences(text: str, start: int, end: int, *, split_on_semicolon: bool = True) -> list[tuple[int, int]]:
    """The sentences inside `text[start:end]` as `(start, end)` offsets into `text`, in order."""
    return [match.span() for match in _sentence_pattern(split_on_semicolon).finditer(text, start, end)]


def sentences_of_turns(
    text: str, turns: Iterable[_HasSpan], *, split_on_semicolon: bool = True
) -> list[TurnSentence]:
    """Every sentence of every turn (anything with `start`/`end`, e.g. `Turn`) as `(turn_index, start, end)`,
    in text order."""
    finditer = _sentence_pattern(split_on_semicolon).finditer
    return [
        (turn_index, *match.span())
        for turn_index, turn in enumerate(turns)
        for match in finditer(text, turn.start, turn.end)
    ]


@cache
def _sentence_pattern(split_on_semicolon: bool) -> re.Pattern[str]:
    """One match per sentence; compiled on first use for each setting."""
    enders = _ENDERS + (_SEMICOLONS if split_on_semicolon else "")
    # An English full stop: after a word of two or more letters that is not a title, before white
    # space, a closer or the end of the turn.
    titles = "".join(rf"(?<!\b{re.escape(title)})" for title in _TITLES)
    full_stop = rf"(?<=[A-Za-z]{{2}}){titles}\.(?=\s|[{_CLOSERS}]|\Z)"
    # Written as "unrolled loops" with possessive quantifiers: no alternative can match what another
    # does, so a failed match never backtracks, and runs of ordinary characters go at C speed.
    ordinary = rf"[^\s{enders}.]*+"
    dot_or_inner_space = rf"(?:(?!\.{{3}}|{full_stop})\.|[^\S\n]++(?=\S))"  # 3.5, e.g., www.gov.cn; a b
    body = rf"{ordinary}(?:{dot_or_inner_space}{ordinary})*+"
    end = rf"(?:[{enders}]++|\.{{3,}}|{full_stop})++"
    ending = rf"(?:{end}(?:[{_CLOSERS}]++{end})*+[{_CLOSERS}]*+)?"  # “好！”？ stays one ending
    return re.compile(rf"(?=\S){body}{ending}")
