"""Terminal layout of a transcript: cell widths, word wrap, and offset <-> (row, column) mapping.

Pure computation (numpy and `rich.cells`, no Textual), so it can be tested and benchmarked alone.

Vocabulary
    offset   a Python `str` index (code point) into the canonical text, as stored everywhere in qcode.
    cell     one terminal column. CJK ideographs, full-width punctuation, most emoji and 𠮷 take 2 cells;
             East-Asian-ambiguous punctuation (“ ” … — ·) takes 1, or 2 when `ambiguous_wide` is on
             (terminals configured that way draw it wide, rich counts it narrow).
    grapheme what the terminal draws as one glyph: a base character plus any zero-width code points
             after it (combining marks, variation selectors) and anything glued on by a ZWJ.
    block    a run of text that starts on a new visual row: a speaker turn (label + speech), or text
             between turns that is not blank (a title, a note). Blank text between turns is not drawn.
    row      one visual line at the layout width: `[row_start, row_end)` of one logical line of a block
             (logical lines end at `\\n`; the newline itself belongs to no row). A separator row (empty,
             drawn between blocks when `block_gap` is on) has `row_start == row_end ==` the next block's
             start.

Widths are rich's (`rich.cells`), because Textual measures what it draws with rich, with three local
rules: a tab is expanded to the next multiple of `tab_size` cells from the start of its row; any other
control character is drawn as one space (`display_text`); a newline is never drawn.

Fast and exact paths
    Widths are looked up per code point in a table filled lazily for the code points a text uses
    (numpy, shared by all layouts). Lines without tabs, ZWJ (U+200D) or VS16 (U+FE0F) are measured by
    that table alone: a code point of width 0 joins the grapheme before it, so "grapheme starts" are the
    code points of non-zero width (and the first of each line). Lines with any of the three take the
    exact path: rich's grapheme rules (`rich.cells.split_graphemes`, re-implemented over the same table
    so the two paths agree) and tab stops, one grapheme at a time in Python.

Wrapping
    Greedy by cells, never splitting a grapheme. Chinese may break between any two graphemes; a run of
    narrow non-space characters (a Latin word, a number) is kept whole unless it is longer than a row;
    a closing mark (。，）” …) is not put at the start of a row (it moves down with the character before
    it) and an opening mark (（“《) is not left at the end of one, as long as the row stays at least half
    full.

Mapping
    `position_of(offset)` gives `(row, column)`; `offset_at(row, column)` gives the offset of the grapheme
    drawn in that cell, so both halves of a wide character map to its start. A column past the end of a
    row gives `row_end`. Offsets that are not drawn (blank text between blocks) map to the end of the
    last row that starts before them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from rich.cells import cell_len, get_character_cell_size

_UNICODE_SIZE = 0x110000
_NEWLINE = 0x0A
_TAB = 0x09
_ZWJ = "\u200d"
_VS16 = "\ufe0f"

#: Characters that must not begin a row (closing punctuation, Chinese and ASCII).
NO_ROW_START = frozenset("、。，．：；？！）」』】〕〉》〗〙〛”’…‥—～·・々%),.:;?!]}")
#: Characters that must not end a row (opening punctuation).
NO_ROW_END = frozenset("（「『【〔〈《〖〘〚“‘([{")

# Narrow punctuation shared with Chinese text (“ ” … — ·): not part of a Latin word, so the
# punctuation rules decide breaks around it. ASCII punctuation stays with its word ("hello," "3.5").
_NON_WORD_MARKS = frozenset(c for c in NO_ROW_START | NO_ROW_END if not c.isascii())

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class TurnLike(Protocol):
    """The part of a speaker turn the layout needs: where its label starts and where its speech ends."""

    label_start: int
    end: int


@dataclass(frozen=True, slots=True)
class Block:
    """A run of text `[start, end)` drawn from the start of a new row; `is_turn` is False for text
    between turns (notes, titles)."""

    start: int
    end: int
    is_turn: bool


def display_blocks(text: str, turns: Sequence[TurnLike]) -> list[Block]:
    """Cut `text` into the blocks that are drawn: each turn, and the non-blank text between turns.

    Leading and trailing whitespace of the text between turns is not drawn; without turns, the whole
    text (minus surrounding whitespace) is one block.
    """
    blocks: list[Block] = []

    def add_gap(start: int, end: int) -> None:
        gap = text[start:end]
        stripped = gap.strip()
        if stripped:
            first = start + (len(gap) - len(gap.lstrip()))
            blocks.append(Block(first, first + len(stripped), False))

    previous_end = 0
    for turn in turns:
        add_gap(previous_end, turn.label_start)
        blocks.append(Block(turn.label_start, turn.end, True))
        previous_end = turn.end
    add_gap(previous_end, len(text))
    return blocks


class _CodePointWidths:
    """Cell widths of code points, filled lazily for the code points that texts actually use.

    Filling the table for all of the BMP up front costs about 60 ms of rich look-ups; a transcript uses a
    few thousand distinct code points, so each is measured once, when first seen.
    """

    def __init__(self) -> None:
        self._known = np.zeros(_UNICODE_SIZE, dtype=bool)
        self._narrow = np.zeros(_UNICODE_SIZE, dtype=np.uint8)
        self._wide = np.zeros(_UNICODE_SIZE, dtype=np.uint8)  # with ambiguous characters as 2 cells
        self._vs16_widens: dict[str, bool] = {}

    def widths(self, code_points: np.ndarray, ambiguous_wide: bool) -> np.ndarray:
        """Cell width of each code point in `code_points` (uint8 array of the same length)."""
        present = np.zeros(_UNICODE_SIZE, dtype=bool)
        present[code_points] = True
        for code_point in np.flatnonzero(present & ~self._known).tolist():
            self._learn(code_point)
        table = self._wide if ambiguous_wide else self._narrow
        return table[code_points]

    def width(self, character: str, ambiguous_wide: bool) -> int:
        """Cell width of one character."""
        code_point = ord(character)
        if not self._known[code_point]:
            self._learn(code_point)
        table = self._wide if ambiguous_wide else self._narrow
        return int(table[code_point])

    def widened_by_vs16(self, character: str) -> bool:
        """Whether VARIATION SELECTOR-16 after `character` makes it one cell wider (emoji presentation)."""
        widens = self._vs16_widens.get(character)
        if widens is None:
            widens = cell_len(character + _VS16) > cell_len(character)
            self._vs16_widens[character] = widens
        return widens

    def _learn(self, code_point: int) -> None:
        character = chr(code_point)
        if code_point in (_NEWLINE, _TAB):
            width = 0  # a newline is never drawn; a tab's width depends on its column
        elif code_point < 0x20 or 0x7F <= code_point < 0xA0:
            width = 1  # other control characters are drawn as a space (see `display_text`)
        else:
            width = get_character_cell_size(character)
        wide = 2 if width == 1 and unicodedata.east_asian_width(character) == "A" else width
        self._narrow[code_point] = width
        self._wide[code_point] = wide
        self._known[code_point] = True  # set last: a reader never sees a width that is not filled in


_shared_widths: _CodePointWidths | None = None


def _code_point_widths() -> _CodePointWidths:
    global _shared_widths
    if _shared_widths is None:
        _shared_widths = _CodePointWidths()
    return _shared_widths


def cell_width(character: str, *, ambiguous_wide: bool = False) -> int:
    """Cells one character takes on screen under the layout's rules (a tab and a newline count 0)."""
    return _code_point_widths().width(character, ambiguous_wide)


class TextLayout:
    """The visual rows of a text at a given width, and the mapping between offsets and cells.

    Building is vectorised (numpy) except for one Python step per row and for lines that need the exact
    grapheme path; all queries are O(log n) or touch only one row.
    """

    def __init__(
        self,
        text: str,
        blocks: Sequence[Block],
        width: int,
        *,
        tab_size: int = 4,
        ambiguous_wide: bool = False,
        block_gap: bool = False,
    ) -> None:
        """Lay out `blocks` of `text` in rows of at most `width` cells (at least 2).

        `block_gap` inserts one empty separator row before every block but the first.
        """
        if tab_size < 1:
            raise ValueError(f"tab_size must be at least 1, got {tab_size}")
        self.text = text
        self.width = max(2, width)
        self.tab_size = tab_size
        self.ambiguous_wide = ambiguous_wide
        self.block_gap = block_gap
        widths = _code_point_widths()
        self._widths = widths

        code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        base = widths.widths(code_points, ambiguous_wide)
        starts = base > 0
        if len(text):
            starts[0] = True
        newlines = np.flatnonzero(code_points == _NEWLINE)
        starts[newlines] = True
        after_newline = newlines + 1
        starts[after_newline[after_newline < len(text)]] = True
        for block in blocks:
            if block.start < len(text):
                starts[block.start] = True
        self._base = base  # table widths: used to recognise narrow "word" characters
        self._cells = base.copy()  # final widths: tabs expanded, grapheme continuations 0
        self._starts = starts
        special = np.flatnonzero(
            (code_points == _TAB) | (code_points == 0x200D) | (code_points == 0xFE0F)
        )
        del code_points

        lines = self._logical_lines(blocks, newlines)
        if len(special):
            first_special = np.searchsorted(special, [start for start, _end, _sep in lines])
            past_special = np.searchsorted(special, [end for _start, end, _sep in lines])
            exact = (past_special > first_special).tolist()
        else:
            exact = [False] * len(lines)

        exact_rows: dict[int, list[tuple[int, int]]] = {}
        for index, (start, end, _separator) in enumerate(lines):
            if exact[index]:
                exact_rows[index] = self._wrap_exact(start, end)

        prefix = np.zeros(len(text) + 1, dtype=np.int64)
        np.cumsum(self._cells, dtype=np.int64, out=prefix[1:])
        self._prefix = prefix

        row_starts: list[int] = []
        row_ends: list[int] = []
        separators: list[int] = []
        for index, (start, end, separator) in enumerate(lines):
            if separator:
                separators.append(len(row_starts))
                row_starts.append(start)
                row_ends.append(start)
                continue
            rows = exact_rows[index] if exact[index] else self._wrap_fast(start, end)
            for row_start, row_end in rows:
                row_starts.append(row_start)
                row_ends.append(row_end)
        self._row_starts = np.array(row_starts, dtype=np.int64)
        self._row_ends = np.array(row_ends, dtype=np.int64)
        self._separator = np.zeros(len(row_starts), dtype=bool)
        self._separator[separators] = True

    # -- building -------------------------------------------------------------------------------------

    def _logical_lines(
        self, blocks: Sequence[Block], newlines: np.ndarray
    ) -> list[tuple[int, int, bool]]:
        """`(start, end, is_separator)` for every logical line of every block, in order."""
        lines: list[tuple[int, int, bool]] = []
        firsts = np.searchsorted(newlines, [block.start for block in blocks]).tolist()
        lasts = np.searchsorted(newlines, [block.end for block in blocks]).tolist()
        for number, block in enumerate(blocks):
            if number and self.block_gap:
                lines.append((block.start, block.start, True))
            start = block.start
            for newline in newlines[firsts[number] : lasts[number]].tolist():
                lines.append((start, newline, False))
                start = newline + 1
            lines.append((start, block.end, False))
        return lines

    def _wrap_fast(self, start: int, end: int) -> list[tuple[int, int]]:
        """Rows of a line whose widths come from the table alone (no tabs, ZWJ or VS16)."""
        prefix = self._prefix
        width = self.width
        rows: list[tuple[int, int]] = []
        if start == end:
            return [(start, end)]
        line_cells = int(prefix[end])
        while start < end:
            first_cell = int(prefix[start])
            if line_cells - first_cell <= width:
                rows.append((start, end))
                break
            # The last index whose prefix fits is the start of the first grapheme that does not fit
            # (continuation code points have width 0, so they are never chosen over it).
            cut = int(prefix.searchsorted(first_cell + width, side="right")) - 1
            if cut <= start:
                cut = self.grapheme_end(start)  # one grapheme wider than the row: it gets a row alone
            else:
                def cells_before(offset: int, first: int = first_cell) -> int:
                    return int(prefix[offset]) - first

                cut = self._adjust_break(start, cut, cells_before)
            rows.append((start, cut))
            start = cut
        return rows

    def _wrap_exact(self, start: int, end: int) -> list[tuple[int, int]]:
        """Rows of a line that has tabs or ZWJ/VS16 sequences: one grapheme at a time."""
        graphemes = self._split_graphemes(start, end)
        if not graphemes:
            return [(start, end)]
        starts = self._starts
        starts[start:end] = False
        for first, _after, _width in graphemes:
            starts[first] = True
        grapheme_starts = [first for first, _after, _width in graphemes]

        rows: list[tuple[int, int]] = []
        cells = self._cells
        width, tab_size = self.width, self.tab_size
        index = 0
        while index < len(graphemes):
            column = 0
            placed: list[int] = []
            cursor = index
            while cursor < len(graphemes):
                grapheme_width = graphemes[cursor][2]
                if grapheme_width < 0:  # a tab: to the next tab stop, never past the row's end
                    grapheme_width = min(tab_size - column % tab_size, width - column)
                    if grapheme_width <= 0:
                        break
                if column + grapheme_width > width and cursor > index:
                    break
                placed.append(grapheme_width)
                column += grapheme_width
                cursor += 1
            if cursor < len(graphemes):
                def cells_before(offset: int, placed: list[int] = placed, first: int = index) -> int:
                    return sum(placed[: grapheme_starts.index(offset, first) - first])

                cut = self._adjust_break(grapheme_starts[index], grapheme_starts[cursor], cells_before)
                cursor = grapheme_starts.index(cut, index + 1, cursor + 1)
                del placed[cursor - index :]
            for (first, after, _width), grapheme_width in zip(graphemes[index:cursor], placed):
                cells[first] = grapheme_width
                cells[first + 1 : after] = 0
            row_end = grapheme_starts[cursor] if cursor < len(graphemes) else end
            rows.append((grapheme_starts[index], row_end))
            index = cursor
        return rows

    def _split_graphemes(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """`(start, end, cells)` per grapheme of `text[start:end]`, by rich's rules; a tab is its own
        grapheme with cells -1 (resolved by its column)."""
        text = self.text
        widths = self._widths
        ambiguous_wide = self.ambiguous_wide
        graphemes: list[list[int]] = []
        last_measured: str | None = None
        index = start
        while index < end:
            character = text[index]
            if character == "\t":
                graphemes.append([index, index + 1, -1])
                last_measured = None
                index += 1
                continue
            if character == _ZWJ or character == _VS16:
                if not graphemes:
                    graphemes.append([index, index + 1, 0])
                    index += 1
                    continue
                if character == _ZWJ:
                    # A ZWJ glues the next code point, whatever it is, onto the grapheme.
                    index = min(index + 2, end)
                else:
                    index += 1
                    if last_measured is not None and graphemes[-1][2] == 1:
                        if widths.widened_by_vs16(last_measured):
                            graphemes[-1][2] = 2
                        last_measured = None
                graphemes[-1][1] = index
                continue
            character_width = widths.width(character, ambiguous_wide)
            if character_width:
                last_measured = character
                graphemes.append([index, index + 1, character_width])
            elif graphemes:
                graphemes[-1][1] = index + 1
            else:
                graphemes.append([index, index + 1, 0])
            index += 1
        return [(first, after, cells) for first, after, cells in graphemes]

    def _is_word_character(self, offset: int) -> bool:
        """A narrow, non-space grapheme start: part of a Latin word or a number."""
        character = self.text[offset]
        return bool(
            self._base[offset] == 1
            and self._starts[offset]
            and not character.isspace()
            and character not in _NON_WORD_MARKS
        )

    def _adjust_break(self, start: int, cut: int, cells_before: Callable[[int], int]) -> int:
        """Move a break at `cut` (a grapheme start inside `(start, line end)`) back to a better place.

        `cells_before(offset)` gives the cells of the row's text before `offset`.

        Punctuation rules move the break back only while the row keeps at least half the width, so a
        narrow row or a long run of marks falls back to the plain cut.
        """
        text = self.text
        if self._is_word_character(cut - 1) and self._is_word_character(cut):
            word_start = cut - 1
            while word_start > start and self._is_word_character(word_start - 1):
                word_start -= 1
            return word_start if word_start > start else cut
        candidate = cut
        if text[candidate] in NO_ROW_START:
            # The closing marks move down together with the character before them.
            while candidate > start and text[candidate] in NO_ROW_START:
                candidate = self.grapheme_start(candidate - 1)
        if candidate > start and text[candidate - 1] in NO_ROW_END:
            candidate = self.grapheme_start(candidate - 1)
        if candidate > start and 2 * cells_before(candidate) >= self.width:
            return candidate
        return cut

    # -- rows -----------------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Number of visual rows."""
        return len(self._row_starts)

    def row_span(self, row: int) -> tuple[int, int]:
        """`(start, end)` offsets of a row's text (the newline after it is not included)."""
        return int(self._row_starts[row]), int(self._row_ends[row])

    def is_separator(self, row: int) -> bool:
        """Whether `row` is an empty row drawn between two blocks."""
        return bool(self._separator[row])

    def row_of(self, offset: int) -> int:
        """The row that draws `offset` (or the row ending just before it, for undrawn offsets)."""
        row = int(self._row_starts.searchsorted(offset, side="right")) - 1
        return max(0, min(row, self.row_count - 1))

    def rows_of(self, start: int, end: int) -> tuple[int, int]:
        """First and last row (inclusive) that draw any part of `[start, end)`; one row if empty."""
        first = self.row_of(start)
        last = self.row_of(max(start, end - 1))
        return first, last

    def row_cells(self, row: int) -> int:
        """Cells the text of `row` takes."""
        start, end = self.row_span(row)
        return int(self._prefix[end] - self._prefix[start])

    def cells_between(self, start: int, end: int) -> int:
        """Cells taken by `text[start:end]` as laid out (only meaningful within one row)."""
        return int(self._prefix[end] - self._prefix[start])

    # -- mapping --------------------------------------------------------------------------------------

    def position_of(self, offset: int) -> tuple[int, int]:
        """`(row, column)` of the cell where the grapheme containing `offset` starts.

        An offset at a row's end (a newline, or the end of the text) is one cell past its last character.
        """
        if self.row_count == 0:
            return 0, 0
        row = self.row_of(offset)
        start, end = self.row_span(row)
        offset = min(max(offset, start), end)
        if offset < end:
            offset = self.grapheme_start(offset)
        return row, int(self._prefix[offset] - self._prefix[start])

    def offset_at(self, row: int, column: int) -> int:
        """Offset of the grapheme drawn at `(row, column)`; the right half of a wide character gives that
        character. Columns left of the text give the row start, columns past its end give the row end."""
        if self.row_count == 0:
            return 0
        row = max(0, min(row, self.row_count - 1))
        start, end = self.row_span(row)
        if column < 0 or start == end:
            return start
        target = int(self._prefix[start]) + column
        if target >= int(self._prefix[end]):
            return end
        offset = int(self._prefix.searchsorted(target, side="right")) - 1
        offset = min(max(offset, start), end)
        return self.grapheme_start(offset) if offset < end else end

    # -- graphemes and caret movement -----------------------------------------------------------------

    def grapheme_start(self, offset: int) -> int:
        """Start of the grapheme containing `offset`."""
        starts = self._starts
        while offset > 0 and offset < len(starts) and not starts[offset]:
            offset -= 1
        return offset

    def grapheme_end(self, offset: int) -> int:
        """End of the grapheme containing `offset` (the next grapheme's start, or the text's end)."""
        starts = self._starts
        size = len(starts)
        offset += 1
        while offset < size and not starts[offset]:
            offset += 1
        return min(offset, size)

    def next_caret(self, offset: int) -> int:
        """The caret position one grapheme after `offset`, stepping over text that is not drawn."""
        if self.row_count == 0:
            return offset
        row = self.row_of(offset)
        start, end = self.row_span(row)
        if start <= offset < end:
            return self.grapheme_end(offset)
        following = int(self._row_starts.searchsorted(offset, side="right"))
        while following < self.row_count and self._separator[following]:
            following += 1
        if following >= self.row_count:
            return max(offset, int(self._row_ends[-1]))
        return int(self._row_starts[following])

    def previous_caret(self, offset: int) -> int:
        """The caret position one grapheme before `offset`, stepping over text that is not drawn."""
        if self.row_count == 0:
            return offset
        row = self.row_of(offset)
        start, end = self.row_span(row)
        if offset > end:
            return end  # from undrawn text back to the end of the row before it
        if offset > start:
            return self.grapheme_start(offset - 1)
        row -= 1
        while row >= 0 and self._separator[row]:
            row -= 1
        if row < 0:
            return offset
        previous_end = int(self._row_ends[row])
        return self.grapheme_start(offset - 1) if previous_end == offset else previous_end

    # -- drawing --------------------------------------------------------------------------------------

    def display_text(self, start: int, end: int) -> str:
        """`text[start:end]` as drawn: tabs expanded to their cells, other control characters as spaces.

        `start` and `end` must lie within one row.
        """
        piece = self.text[start:end]
        if "\t" in piece:
            cells = self._cells
            parts = piece.split("\t")
            rebuilt = [parts[0]]
            position = start + len(parts[0])
            for part in parts[1:]:
                rebuilt.append(" " * int(cells[position]))
                rebuilt.append(part)
                position += 1 + len(part)
            piece = "".join(rebuilt)
        if _CONTROL_CHARS.search(piece):
            piece = _CONTROL_CHARS.sub(" ", piece)
        return piece
