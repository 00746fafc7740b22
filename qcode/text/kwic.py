"""Keyword in context: where a query occurs in segmented text, and concordance lines aligned for CJK.

Two ways to match, both over sentences (turn bodies; speaker labels are never searched):

- **Tokens** (the default): the query is segmented like the text, and a hit is a run of consecutive
  tokens equal to the query's words, separated by nothing or white space only (a phrase never spans
  punctuation). `压力` is found in `工作压力很大` (tokens 工作/压力/很大) but not inside the token
  `压力锅` (pressure cooker). The query is cut in isolation, so where jieba cuts the same characters
  differently in context, the query is not found there: use substring matching for those.
- **Substrings**: the query's characters anywhere inside a sentence, also inside longer words.

Both compare width-folded, lower-cased text, so `ＡＢ` finds `ab` and `WeChat` finds `wechat`. Offsets are
half-open code-point ranges into the stored text, so `text[hit.start:hit.end] == hit.match`.
"""

from __future__ import annotations

from typing import Any

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from qcode.text.decode import fold_width

_WHITESPACE_TO_SPACE = {ord(c): " " for c in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a query: where it is, the matched text, its context and its sentence."""

    transcript: str
    transcript_id: int
    start: int
    end: int
    match: str
    left: str  # up to `context` characters before `start`, as stored
    right: str  # up to `context` characters after `end`, as stored
    speaker: str | None
    sentence_index: int
    sentence_start: int
    sentence_end: int
    turn_index: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "transcript": self.transcript,
            "speaker": self.speaker,
            "start": self.start,
            "end": self.end,
            "left": self.left,
            "match": self.match,
            "right": self.right,
            "sentence_index": self.sentence_index,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
        }


def phrase_spans(text: str, words: Sequence[str], starts: Sequence[int], ends: Sequence[int],
                 query: Sequence[str]) -> list[tuple[int, int]]:
    """Where `query` occurs as consecutive tokens (`words` with offsets into `text`), white space between."""
    if not query:
        return []
    size = len(query)
    first = query[0]
    found = []
    position = 0
    last = len(words) - size
    while position <= last:
        try:
            position = words.index(first, position, last + 1)
        except ValueError:
            break
        end_token = position + size
        if words[position:end_token] == list(query) and only_space_between(text, starts, ends, position, end_token):
            found.append((starts[position], ends[end_token - 1]))
            position = end_token
        else:
            position += 1
    return found


def only_space_between(text: str, starts: Sequence[int], ends: Sequence[int], first: int, stop: int) -> bool:
    """Whether tokens `first`..`stop - 1` follow each other with nothing or only white space between them."""
    for j in range(first, stop - 1):
        gap = text[ends[j]:starts[j + 1]]
        if gap and not gap.isspace():
            return False
    return True


def fold_for_search(text: str) -> str:
    """Width-folded and lower-cased, character for character (offsets into it index the original)."""
    folded = fold_width(text)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    # A few characters lower-case to two (İ -> i̇); keep those as they are so the lengths still agree.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def substring_spans(haystack: str, needle: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Non-overlapping occurrences of `needle` lying inside one of `sentences` (sorted, disjoint).

    `haystack` and `needle` are already folded with `fold_for_search`. Returns (start, end, sentence number).
    """
    if not needle or not sentences:
        return []
    sentence_starts = [s for s, _ in sentences]
    found = []
    position = haystack.find(needle)
    while position >= 0:
        end = position + len(needle)
        number = bisect_right(sentence_starts, position) - 1
        if number >= 0 and end <= sentences[number][1]:
            found.append((position, end, number))
            position = haystack.find(needle, end)
        else:
            position = haystack.find(needle, position + 1)
    return found


def context_of(text: str, start: int, end: int, characters: int) -> tuple[str, str]:
    """The `characters` characters of `text` before `start` and after `end` (fewer at the edges)."""
    return text[max(0, start - characters):start], text[end:end + characters]


def one_line(text: str) -> str:
    """Line breaks and tabs shown as spaces, so a concordance line stays on one line (same length)."""
    return text.translate(_WHITESPACE_TO_SPACE)


def fit_left(text: str, cells: int) -> str:
    """The end of `text` that fits in `cells` terminal cells, padded on the left to exactly `cells`.

    Widths come from `rich.cells` (a CJK character is two cells); a wide character that would be cut in
    half is left out and its cell padded.
    """
    from rich.cells import get_character_cell_size  # lazy: no cost reason left; move to the top after the text/ rewrite (issue 13)

    taken = 0
    first = len(text)
    while first > 0:
        width = get_character_cell_size(text[first - 1])
        if taken + width > cells:
            break
        taken += width
        first -= 1
    return " " * (cells - taken) + text[first:]


def fit_right(text: str, cells: int) -> str:
    """The start of `text` that fits in `cells` terminal cells (not padded)."""
    from rich.cells import get_character_cell_size  # lazy: no cost reason left; move to the top after the text/ rewrite (issue 13)

    taken = 0
    stop = 0
    while stop < len(text):
        width = get_character_cell_size(text[stop])
        if taken + width > cells:
            break
        taken += width
        stop += 1
    return text[:stop]
