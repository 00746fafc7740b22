"""Where a passage of an old text lies in a new, edited text: a diff turned into an offset map.

The diff is Google's diff-match-patch: Myers' algorithm over lines first, then over the characters of
the changed lines. Its cost grows with the text length times the number of edits, so 200 corrections in
a 330,000 character transcript take about 0.15 s (difflib's SequenceMatcher took 9 s there and lost its
way on repeated lines). Offsets are code points, as everywhere in qcode.

`OffsetMap.span(start, end)` maps a half-open span of the old text: an untouched span (every character
of it kept, nothing inserted inside it) maps exactly; a span that touches an edit keeps its place over
the edited text (its ends move with the nearest kept characters) and is reported as edited.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from diff_match_patch import diff_match_patch


class MappedSpan(NamedTuple):
    start: int
    end: int
    edited: bool  # the span touched an edit: its text may differ


class OffsetMap:
    """Matching stretches of an old and a new text, and the mapping of old offsets through them."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new
        self.blocks = _matching_blocks(old, new) if old != new else [(0, 0, len(old))]
        self._old_starts = [b[0] for b in self.blocks]

    @property
    def unchanged(self) -> bool:
        return self.old == self.new

    def span(self, start: int, end: int) -> MappedSpan:
        """Where `[start, end)` of the old text lies in the new text (see the module docstring)."""
        if self.unchanged:
            return MappedSpan(start, end, False)
        index = bisect_right(self._old_starts, start) - 1
        if index >= 0:
            old_start, new_start, length = self.blocks[index]
            if start >= old_start and end <= old_start + length and (end > start or start < old_start + length):
                return MappedSpan(new_start + start - old_start, new_start + end - old_start, False)
        new_start = self._position(start, after=True)
        new_end = max(self._position(end, after=False), new_start)
        return MappedSpan(new_start, new_end, True)

    def _position(self, offset: int, *, after: bool) -> int:
        """The new offset of an old offset: exact inside a kept stretch; in an edited stretch, the start of
        the edit (for a span's start) or its end (for a span's end), so the span covers the edited text."""
        index = bisect_right(self._old_starts, offset) - 1
        if index >= 0:
            old_start, new_start, length = self.blocks[index]
            if offset < old_start + length or (offset == old_start + length and not after):
                return new_start + offset - old_start
            gap_new_start = new_start + length  # the edit begins where this block ends
        else:
            gap_new_start = 0
        if after:
            return gap_new_start
        following = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
        return following[1] if following is not None else len(self.new)


def _matching_blocks(old: str, new: str) -> list[tuple[int, int, int]]:
    """(old start, new start, length) of every stretch the diff keeps, in order."""
    blocks = []
    old_at = new_at = 0
    differ = diff_match_patch()
    differ.Diff_Timeout = 0  # no time limit: an exact minimal diff, never a rough one under load
    for op, piece in differ.diff_main(old, new, True):  # True: diff lines first, then inside changed lines
        length = len(piece)
        if op == differ.DIFF_EQUAL:
            blocks.append((old_at, new_at, length))
            old_at += length
            new_at += length
        elif op == differ.DIFF_DELETE:
            old_at += length
        else:
            new_at += length
    return blocks
