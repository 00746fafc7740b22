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
from collections.abc import Callable, Iterable, Iterator
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
    return _sentences(text, start, end, _boundary_pattern(split_on_semicolon).finditer)


def sentences_of_turns(
    text: str, turns: Iterable[_HasSpan], *, split_on_semicolon: bool = True
) -> list[TurnSentence]:
    """Every sentence of every turn (anything with `start`/`end`, e.g. `Turn`) as `(turn_index, start, end)`,
    in text order."""
    finditer = _boundary_pattern(split_on_semicolon).finditer
    return [
        (turn_index, *span)
        for turn_index, turn in enumerate(turns)
        for span in _sentences(text, turn.start, turn.end, finditer)
    ]


def _sentences(text: str, start: int, end: int,
               finditer: Callable[[str, int, int], Iterator[re.Match[str]]]) -> list[tuple[int, int]]:
    """The pieces of `text[start:end]` cut after each sentence ending and at each line break, trimmed of
    white space, empty ones dropped."""
    found = []
    begin = start
    for boundary in finditer(text, start, end):
        at = boundary.start()
        stop = at if text[at] == "\n" else boundary.end()
        piece = text[begin:stop]
        left = piece.lstrip()
        if left:
            found.append((stop - len(left), begin + len(piece.rstrip())))
        begin = boundary.end()
    piece = text[begin:end]
    left = piece.lstrip()
    if left:
        found.append((end - len(left), begin + len(piece.rstrip())))
    return found


@cache
def _boundary_pattern(split_on_semicolon: bool) -> re.Pattern[str]:
    """One match per sentence ending (with the closers after it) or line break; compiled on first use."""
    enders = _ENDERS + (_SEMICOLONS if split_on_semicolon else "")
    # An English full stop: after a word of two or more letters that is not a title, before white
    # space, a closer or the end of the turn.
    # Written with the dot first (the look-behinds after it) so that every alternative starts with a
    # character class: the regex engine then skips ordinary text at C speed.
    titles = "".join(rf"(?<!\b{re.escape(title)}\.)" for title in _TITLES)
    full_stop = rf"\.(?<=[A-Za-z]{{2}}\.){titles}(?=\s|[{_CLOSERS}]|\Z)"
    end = rf"(?:[{enders}]|\.{{3,}}|{full_stop})"
    # “好！”？ stays one ending. Runs of single characters go at C speed; the bound on the repeated group
    # keeps the regex engine's memory bounded on hostile input (it keeps state per repetition). Only
    # greedy quantifiers: possessive ones and atomic groups return wrong spans and hang on early 3.11
    # releases (3.11.2 for one).
    ending = rf"{end}(?:[{_CLOSERS}{enders}]+|\.{{3,}}|{full_stop}){{0,1000}}"
    return re.compile(rf"{ending}|\n")
