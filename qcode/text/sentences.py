"""Sentences inside speaker turns, found by one compiled regex per line (no per-character Python loop).

A sentence ends after a run of `。！？!?` (and `；;` unless turned off), an ellipsis run (`……`, `⋯`,
`...`), or an English full stop; closing quotes and brackets (`”’」』）)]】〕》"'`) right after the run
stay with it. A line break also ends a sentence. A dot never ends a sentence inside a number (`3.5`),
after a one-letter abbreviation (`e.g.`, `U.S.`), after a title (`Mr.`, `Dr.`), or when no white space
follows it (`www.gov.cn`). Sentences are trimmed of white space and never empty.

Sentences are a selection aid and a unit of analysis; speaker turns remain the primary coding unit.

A transcript can have a million sentences, so they are found without Python code per sentence: each
turn's boundaries come from the regex as `(end of a piece, start of the next)` pairs straight into an
`array` (the white space after a boundary is part of the match, so the next piece starts where the
match ends), and only the pieces that can have white space at their edges are trimmed in Python.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from functools import cache
from itertools import chain, compress, count, repeat
from operator import methodcaller, sub
from typing import Protocol

from qcode.domain.unit_table import SentenceTable

_CLOSERS = "”’」』）)\\]】〕》\"'"
_ENDERS = "。！？!?…⋯"
_SEMICOLONS = "；;"
# Titles after which a full stop does not end the sentence ("Mr. Li said ...").
_TITLES = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "vs", "No", "al", "Fig")

# (turn_index, start, end): a sentence `[start, end)` of the turn at `turn_index`.
TurnSentence = tuple[int, int, int]

# `(end of the piece before, start of the piece after)` of one match of `_boundary_pattern`.
_PIECE_END_AND_NEXT = methodcaller("span", 1)


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
    finditer = _boundary_pattern(split_on_semicolon).finditer
    table = SentenceTable()
    starts, ends, turn_numbers = table.start, table.end, table.turn
    for turn_index, turn in enumerate(turns):
        before = len(starts)
        _append_sentences(text, turn.start, turn.end, finditer, starts, ends)
        turn_numbers.extend(repeat(turn_index, len(starts) - before))
    return table


def _sentence_bounds(text: str, start: int, end: int, split_on_semicolon: bool) -> tuple[array[int], array[int]]:
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    _append_sentences(text, start, end, _boundary_pattern(split_on_semicolon).finditer, starts, ends)
    return starts, ends


# A turn at least this long, with lines this long on average, is cut at C speed (`_append_long`); the
# others (most turns of most interviews) by a plain loop, which costs less to start and less per line.
_LONG_TURN = 1000
_LONG_LINE = 40


def _append_sentences(text: str, start: int, end: int, finditer: _FindIter, starts: array[int],
                      ends: array[int]) -> None:
    """Append the sentences of `text[start:end]` to `starts` and `ends`.

    Each boundary match gives `(e, g)`: the piece before it ends at `e` (after the ending, or after the
    line break) and the next one starts at `g`, after the white space that follows. So the pieces are
    `[start, e1)`, `[g1, e2)`, … and `[gn, end)`, each trimmed of white space, empty ones dropped.
    """
    if end - start >= _LONG_TURN and text.count("\n", start, end) * _LONG_LINE < end - start:
        _append_long(text, start, end, finditer, starts, ends)
        return
    begin = start
    for boundary in finditer(text, start, end):
        stop, after = boundary.span(1)
        piece = text[begin:stop]
        visible = piece.lstrip()
        if visible:
            starts.append(stop - len(visible))
            ends.append(begin + len(piece.rstrip()))
        begin = after
    piece = text[begin:end]
    visible = piece.lstrip()
    if visible:
        starts.append(end - len(visible))
        ends.append(begin + len(piece.rstrip()))


def _append_long(text: str, start: int, end: int, finditer: _FindIter, starts: array[int],
                 ends: array[int]) -> None:
    """`_append_sentences` with no Python code per sentence: the `(e, g)` pairs go straight into an
    array. A piece that starts at some `g` starts with a visible character (the white space before it
    is in the match), and one that closes with an ending ends with a visible character: only the first
    piece, the last, and those closed by a line break (which end with it) need trimming, and only the
    first and last can be empty."""
    pairs = array("q", chain.from_iterable(map(_PIECE_END_AND_NEXT, finditer(text, start, end))))
    piece_ends = pairs[0::2]
    piece_starts = pairs[1::2]
    piece_starts.insert(0, start)
    rest = piece_starts.pop()  # where the last piece starts
    if piece_ends:
        first_end = piece_ends[0]
        if text.find("\n", start, end) >= 0:  # a few pieces end with a line break: trim them
            for i in compress(count(), _white_at_end(text, piece_ends)):
                piece_ends[i] = piece_starts[i] + len(text[piece_starts[i]:piece_ends[i]].rstrip())
        first = text[start:first_end]
        visible = first.lstrip()
        if visible:
            piece_starts[0] = first_end - len(visible)
            piece_ends[0] = start + len(first.rstrip())
        else:
            del piece_starts[0], piece_ends[0]
        starts.extend(piece_starts)
        ends.extend(piece_ends)
    last = text[rest:end]
    visible = last.lstrip()
    if visible:
        starts.append(end - len(visible))
        ends.append(rest + len(last.rstrip()))


def _white_at_end(text: str, piece_ends: array[int]) -> bytes:
    """Per piece, 1 if its last character is white space (a line break), else 0."""
    return bytes(map(str.isspace, map(text.__getitem__, map(sub, piece_ends, repeat(1)))))


class _FindIter(Protocol):
    def __call__(self, string: str, pos: int, endpos: int, /) -> Iterable[re.Match[str]]: ...


@cache
def _boundary_pattern(split_on_semicolon: bool) -> re.Pattern[str]:
    """One match per sentence ending (with the closers after it) or line break, group 1 the white space
    after it; compiled on first use."""
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
    return re.compile(rf"(?:{ending}|\n)(\s*)")
