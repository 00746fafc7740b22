"""Sentences inside speaker turns, found by one compiled regex per line (no per-character Python loop).

A sentence ends after a run of `。！？!?` (and `；;` unless turned off), an ellipsis run (`……`, `⋯`,
`...`), or an English full stop; closing quotes and brackets (`”’」』）)]】〕》"'`) right after the run
stay with it. A line break also ends a sentence. A dot never ends a sentence inside a number (`3.5`),
after a one-letter abbreviation (`e.g.`, `U.S.`), after a title (`Mr.`, `Dr.`), or when no white space
follows it (`www.gov.cn`). Sentences are trimmed of white space and never empty.

Sentences are a selection aid and a unit of analysis; speaker turns remain the primary coding unit.

A transcript can have a million sentences, so they are found without a Python object per sentence:
each line's endings come from the regex as `(end of sentence, start of the next)` pairs straight into
an `array` (the white space after an ending is part of the match, so the next sentence starts where
the match ends), and only the first and last piece of each line are trimmed in Python.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from functools import cache
from itertools import chain
from operator import methodcaller
from typing import Protocol

from qcode.domain.unit_table import SentenceTable

_CLOSERS = "”’」』）)\\]】〕》\"'"
_ENDERS = "。！？!?…⋯"
_SEMICOLONS = "；;"
# Titles after which a full stop does not end the sentence ("Mr. Li said ...").
_TITLES = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "vs", "No", "al", "Fig")

# (turn_index, start, end): a sentence `[start, end)` of the turn at `turn_index`.
TurnSentence = tuple[int, int, int]

# `(end of the ending, end of the white space after it)` of one match of `_ending_pattern`.
_ENDING_AND_GAP = methodcaller("span", 1)
_VISIBLE = re.compile(r"\S")  # \S is exactly what str.strip() keeps (both use Unicode white space)


class _HasSpan(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def split_sentences(text: str, start: int, end: int, *, split_on_semicolon: bool = True) -> list[tuple[int, int]]:
    """The sentences inside `text[start:end]` as `(start, end)` offsets into `text`, in order."""
    starts, ends = _sentence_bounds(text, start, end, split_on_semicolon)
    return list(zip(starts, ends, strict=True))


def sentences_of_turns(
    text: str, turns: Iterable[_HasSpan], *, split_on_semicolon: bool = True
) -> list[TurnSentence]:
    """Every sentence of every turn (anything with `start`/`end`, e.g. `Turn`) as `(turn_index, start, end)`,
    in text order."""
    table = sentence_table(text, turns, split_on_semicolon=split_on_semicolon)
    return list(zip(table.turn, table.start, table.end, strict=True))


def sentence_table(text: str, turns: Iterable[_HasSpan], *, split_on_semicolon: bool = True) -> SentenceTable:
    """Every sentence of every turn, in text order, as arrays (what the import stores)."""
    table = SentenceTable()
    for turn_index, turn in enumerate(turns):
        starts, ends = _sentence_bounds(text, turn.start, turn.end, split_on_semicolon)
        table.add(turn_index, starts, ends)
    return table


def _sentence_bounds(text: str, start: int, end: int, split_on_semicolon: bool) -> tuple[array[int], array[int]]:
    """Starts and ends of the sentences of `text[start:end]`: each line's sentences in turn (no ending
    reaches over a line break, so cutting at line breaks first finds the same endings)."""
    finditer = _ending_pattern(split_on_semicolon).finditer
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    line = start
    while True:
        stop = text.find("\n", line, end)
        if stop < 0:
            _line_bounds(text, line, end, finditer, starts, ends)
            return starts, ends
        _line_bounds(text, line, stop, finditer, starts, ends)
        line = stop + 1


def _line_bounds(text: str, start: int, end: int, finditer: _FindIter, starts: array[int], ends: array[int]) -> None:
    """Append the sentences of one line (no line break in `text[start:end]`).

    The pieces between endings are `[start, e1)`, `[g1, e2)`, … `[gn, end)`, where each match gives
    `(e, g)`: its ending ends at `e` and the white space after it at `g`. A piece that closes with an
    ending holds that ending, so it is never empty and needs no trimming on the right; only the first
    piece can begin with white space, and only the last can be white space or end with it.
    """
    visible = _VISIBLE.search(text, start, end)
    if visible is None:
        return
    pairs = array("q", chain.from_iterable(map(_ENDING_AND_GAP, finditer(text, start, end))))
    rest = visible.start()
    if pairs:
        starts.append(rest)
        starts.extend(pairs[1:-1:2])
        ends.extend(pairs[0::2])
        rest = pairs[-1]
    tail = text[rest:end].rstrip()
    if tail:
        starts.append(rest)
        ends.append(rest + len(tail))


class _FindIter(Protocol):
    def __call__(self, string: str, pos: int, endpos: int, /) -> Iterable[re.Match[str]]: ...


@cache
def _ending_pattern(split_on_semicolon: bool) -> re.Pattern[str]:
    """One match per sentence ending (with the closers after it), group 1 the white space after it;
    compiled on first use."""
    enders = _ENDERS + (_SEMICOLONS if split_on_semicolon else "")
    # An English full stop: after a word of two or more letters that is not a title, before white
    # space, a closer or the end of the line.
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
    return re.compile(rf"{ending}(\s*)")
