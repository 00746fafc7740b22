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
import threading
from bisect import bisect_left, bisect_right
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from rich.cells import cell_len, get_character_cell_size

from qcode.domain.column_rows import ColumnRows
from qcode.domain.unit_columns import OFFSET_TYPECODE
from qcode.tui.transcript_model import TurnTable

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

    @property
    def label_start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Block:
    """A run of text `[start, end)` drawn from the start of a new row; `is_turn` is False for text
    between turns (notes, titles)."""

    start: int
    end: int
    is_turn: bool


class Blocks(ColumnRows[Block]):
    """Blocks as columns of C ints (a long transcript has tens of thousands), read as `Block`s."""

    __slots__ = ("ends", "starts", "turn_flags")

    def __init__(self) -> None:
        self.starts = array(OFFSET_TYPECODE)
        self.ends = array(OFFSET_TYPECODE)
        self.turn_flags = array("b")

    def append(self, start: int, end: int, is_turn: bool) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.turn_flags.append(is_turn)

    def __len__(self) -> int:
        return len(self.starts)

    def _row(self, index: int) -> Block:
        return Block(self.starts[index], self.ends[index], bool(self.turn_flags[index]))


def display_blocks(text: str, turns: Sequence[TurnLike]) -> Blocks:
    """Cut `text` into the blocks that are drawn: each turn, and the non-blank text between turns.

    Leading and trailing whitespace of the text between turns is not drawn; without turns, the whole
    text (minus surrounding whitespace) is one block.
    """
    blocks = Blocks()

    def add_gap(start: int, end: int) -> None:
        gap = text[start:end]
        stripped = gap.strip()
        if stripped:
            first = start + (len(gap) - len(gap.lstrip()))
            blocks.append(first, first + len(stripped), False)

    bounds: Iterable[tuple[int, int]] = (
        zip(turns.label_starts, turns.ends) if isinstance(turns, TurnTable)
        else ((turn.label_start, turn.end) for turn in turns)
    )
    previous_end = 0
    for label_start, end in bounds:
        if label_start > previous_end:
            add_gap(previous_end, label_start)
        blocks.append(label_start, end, True)
        previous_end = end
    add_gap(previous_end, len(text))
    return blocks


def _block_bounds(blocks: Sequence[Block]) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of `blocks` as int arrays (the columns themselves for `Blocks`)."""
    if isinstance(blocks, Blocks):
        return np.frombuffer(blocks.starts, dtype=np.intc), np.frombuffer(blocks.ends, dtype=np.intc)
    return (np.array([block.start for block in blocks], dtype=np.intc),
            np.array([block.end for block in blocks], dtype=np.intc))


class _CodePointWidths:
    """Cell widths of code points, learnt lazily for the code points that texts actually use.

    Filling the table for all of the BMP up front costs about 60 ms of rich look-ups; a transcript uses a
    few thousand distinct code points, so each is measured once, when first seen. One byte per code
    point up to the largest seen: 0 while unknown, else `_KNOWN | narrow | wide << 2` (wide: with
    ambiguous characters as 2 cells); about 130 KB for Chinese text, instead of 3 MiB for all of Unicode.
    """

    _KNOWN = 0x80

    def __init__(self) -> None:
        self._table = np.zeros(0x10000, dtype=np.uint8)
        self._lock = threading.Lock()  # learning and growing; look-ups read a table that is big enough
        self._vs16_widens: dict[str, bool] = {}

    def widths(self, code_points: np.ndarray, ambiguous_wide: bool) -> np.ndarray:
        """Cell width of each code point in `code_points` (uint8 array of the same length)."""
        if not len(code_points):
            return np.zeros(0, dtype=np.uint8)
        table = self._table
        if int(code_points.max()) >= len(table):
            table = self._grow(int(code_points.max()))
        entries = table[code_points]
        unknown = entries == 0
        if unknown.any():
            with self._lock:
                for code_point in _distinct(code_points[unknown]).tolist():
                    self._learn(code_point)
                table = self._table
            entries = table[code_points]
        return (entries >> 2) & 3 if ambiguous_wide else entries & 3

    def width(self, character: str, ambiguous_wide: bool) -> int:
        """Cell width of one character."""
        code_point = ord(character)
        table = self._table
        if code_point >= len(table) or not table[code_point]:
            with self._lock:
                self._learn(code_point)
                table = self._table
        entry = int(table[code_point])
        return (entry >> 2) & 3 if ambiguous_wide else entry & 3

    def widened_by_vs16(self, character: str) -> bool:
        """Whether VARIATION SELECTOR-16 after `character` makes it one cell wider (emoji presentation)."""
        widens = self._vs16_widens.get(character)
        if widens is None:
            widens = cell_len(character + _VS16) > cell_len(character)
            self._vs16_widens[character] = widens
        return widens

    def _grow(self, code_point: int) -> np.ndarray:
        """A table covering `code_point`."""
        with self._lock:
            return self._cover(code_point)

    def _cover(self, code_point: int) -> np.ndarray:
        """The table, made big enough for `code_point` if it is not (with the lock held: it never shrinks)."""
        table = self._table
        if code_point >= len(table):
            table = np.zeros(min(_UNICODE_SIZE, max(code_point + 1, 2 * len(table))), dtype=np.uint8)
            table[: len(self._table)] = self._table
            self._table = table
        return table

    def _learn(self, code_point: int) -> None:
        """Measure one code point (with the lock held)."""
        table = self._cover(code_point)
        character = chr(code_point)
        if code_point in (_NEWLINE, _TAB):
            width = 0  # a newline is never drawn; a tab's width depends on its column
        elif code_point < 0x20 or 0x7F <= code_point < 0xA0:
            width = 1  # other control characters are drawn as a space (see `display_text`)
        else:
            width = get_character_cell_size(character)
        wide = 2 if width == 1 and unicodedata.east_asian_width(character) == "A" else width
        table[code_point] = self._KNOWN | width | wide << 2  # one store: never half filled in


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (as `np.unique`, which loads numpy.ma: 1.2 MiB more in the TUI)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


_shared_widths: _CodePointWidths | None = None


def _code_point_widths() -> _CodePointWidths:
    global _shared_widths
    if _shared_widths is None:
        _shared_widths = _CodePointWidths()
    return _shared_widths


def cell_width(character: str, *, ambiguous_wide: bool = False) -> int:
    """Cells one character takes on screen under the layout's rules (a tab and a newline count 0)."""
    return _code_point_widths().width(character, ambiguous_wide)


_SCAN_CHUNK = 1 << 16
"""Code points read at a time: a whole text's UTF-32 copy and masks would be ~10 bytes a character."""


def _scan(text: str, widths: _CodePointWidths, ambiguous_wide: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Table widths of every code point of `text` (uint8), the offsets of its newlines, and the offsets of
    its tabs, ZWJs and VS16s (which need the exact path)."""
    cells = np.empty(len(text), dtype=np.uint8)
    newlines: list[np.ndarray] = [np.zeros(0, dtype=np.intp)]
    special: list[np.ndarray] = [np.zeros(0, dtype=np.intp)]
    for first in range(0, len(text), _SCAN_CHUNK):
        piece = text[first : first + _SCAN_CHUNK]
        code_points = np.frombuffer(piece.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        cells[first : first + len(piece)] = widths.widths(code_points, ambiguous_wide)
        newlines.append(np.flatnonzero(code_points == _NEWLINE) + first)
        special.append(
            np.flatnonzero((code_points == _TAB) | (code_points == 0x200D) | (code_points == 0xFE0F)) + first
        )
    return cells, np.concatenate(newlines), np.concatenate(special)


def _running_total(cells: np.ndarray) -> array[int]:
    """Cells before each offset (one more entry than `cells`), as C ints filled by numpy through a view, a
    chunk at a time (a whole cast copy of `cells` would take four bytes a character in passing)."""
    total = array(OFFSET_TYPECODE, [0]) * (len(cells) + 1)
    view = np.frombuffer(total, dtype=np.intc)
    for first in range(0, len(cells), _SCAN_CHUNK):
        last = min(first + _SCAN_CHUNK, len(cells))
        np.cumsum(cells[first:last], dtype=np.intc, out=view[first + 1 : last + 1])
        view[first + 1 : last + 1] += view[first]
    return total


def _logical_lines(
    block_starts: np.ndarray, block_ends: np.ndarray, newlines: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Starts and ends of every logical line of every block, in order, and whether each is the first line
    of its block: a block `[s, e)` with newlines at n1 < n2 inside has the lines `[s, n1)`, `[n1+1, n2)`
    and `[n2+1, e)`."""
    firsts = np.searchsorted(newlines, block_starts)
    inner_counts = np.searchsorted(newlines, block_ends) - firsts  # newlines inside each block
    lines_per_block = inner_counts + 1
    first_line = np.cumsum(lines_per_block) - lines_per_block
    last_line = first_line + inner_counts
    # The newlines inside blocks, block by block: newlines[firsts[b] + j] for j < inner_counts[b].
    inner_first = np.cumsum(inner_counts) - inner_counts
    inner = newlines[np.arange(int(inner_counts.sum())) + np.repeat(firsts - inner_first, inner_counts)]
    total = int(lines_per_block.sum())
    is_first = np.zeros(total, dtype=bool)
    is_first[first_line] = True
    is_last = np.zeros(total, dtype=bool)
    is_last[last_line] = True
    line_starts = np.empty(total, dtype=np.intc)
    line_starts[first_line] = block_starts
    line_starts[~is_first] = inner + 1
    line_ends = np.empty(total, dtype=np.intc)
    line_ends[last_line] = block_ends
    line_ends[~is_last] = inner
    return line_starts, line_ends, is_first


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

        block_starts, block_ends = _block_bounds(blocks)
        cells, newlines, special = _scan(text, widths, ambiguous_wide)
        starts = cells > 0
        if len(text):
            starts[0] = True
        starts[newlines] = True
        after_newline = newlines + 1
        starts[after_newline[after_newline < len(text)]] = True
        starts[block_starts[block_starts < len(text)]] = True
        self._cells = cells  # table widths, then tabs expanded and grapheme continuations 0 (exact path)
        self._starts = starts
        # Most transcripts (Chinese without emoji, tabs or control characters) need no grapheme snapping
        # and no translation for drawing: the row painter asks for both on every run of text.
        self._every_code_point_starts = bool(starts.all())
        self._drawn_as_stored = "\t" not in text and _CONTROL_CHARS.search(text) is None

        line_starts, line_ends, first_lines = _logical_lines(block_starts, block_ends, newlines)
        exact_lines = np.flatnonzero(
            np.searchsorted(special, line_ends) > np.searchsorted(special, line_starts)
        ).tolist()
        exact_rows = {index: self._wrap_exact(int(line_starts[index]), int(line_ends[index]))
                      for index in exact_lines}

        # Cells before each offset, as C ints (4 bytes a character; cells < 2**31), filled by numpy through
        # a view: a Python array gives plain ints and `bisect`, faster than numpy for one value at a time.
        self._prefix = _running_total(cells)
        self._rows(line_starts, line_ends, first_lines, exact_rows)

    # -- building -------------------------------------------------------------------------------------

    def _rows(self, line_starts: np.ndarray, line_ends: np.ndarray, first_lines: np.ndarray,
              exact_rows: dict[int, list[tuple[int, int]]]) -> None:
        """Wrap every logical line into rows (`exact_rows`: the lines already wrapped by the exact path),
        with a separator row before every block but the first when `block_gap` is on."""
        row_starts, row_ends, separators = array(OFFSET_TYPECODE), array(OFFSET_TYPECODE), array(OFFSET_TYPECODE)
        block_gap = self.block_gap
        # Plain ints one at a time from C-int columns (a list of them all would take 40 bytes a line).
        lines = zip(array(OFFSET_TYPECODE, line_starts.astype(np.intc).tobytes()),
                    array(OFFSET_TYPECODE, line_ends.astype(np.intc).tobytes()),
                    array("b", first_lines.astype(np.int8).tobytes()))
        for index, (start, end, first) in enumerate(lines):
            if first and block_gap and index:
                separators.append(len(row_starts))
                row_starts.append(start)
                row_ends.append(start)
            rows = exact_rows.get(index)
            for row_start, row_end in self._wrap_fast(start, end) if rows is None else rows:
                row_starts.append(row_start)
                row_ends.append(row_end)
        self._row_starts = row_starts
        self._row_ends = row_ends
        self._separator = bytearray(len(row_starts))
        for row in separators:
            self._separator[row] = 1

    def _wrap_fast(self, start: int, end: int) -> list[tuple[int, int]]:
        """Rows of a line whose widths come from the table alone (no tabs, ZWJ or VS16)."""
        prefix = self._prefix
        width = self.width
        rows: list[tuple[int, int]] = []
        if start == end:
            return [(start, end)]
        line_cells = prefix[end]
        while start < end:
            first_cell = prefix[start]
            if line_cells - first_cell <= width:
                rows.append((start, end))
                break
            # The last index whose prefix fits is the start of the first grapheme that does not fit
            # (continuation code points have width 0, so they are never chosen over it).
            cut = bisect_right(prefix, first_cell + width, start, end) - 1
            if cut <= start:
                cut = self.grapheme_end(start)  # one grapheme wider than the row: it gets a row alone
            else:
                def cells_before(offset: int, first: int = first_cell) -> int:
                    return prefix[offset] - first

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
            self._cells[offset] == 1  # still the table width here: rows are wrapped before their cells change
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
        return self._row_starts[row], self._row_ends[row]

    def is_separator(self, row: int) -> bool:
        """Whether `row` is an empty row drawn between two blocks."""
        return self._separator[row] == 1

    def row_of(self, offset: int) -> int:
        """The row that draws `offset` (or the row ending just before it, for undrawn offsets)."""
        row = bisect_right(self._row_starts, offset) - 1
        return max(0, min(row, self.row_count - 1))

    def rows_of(self, start: int, end: int) -> tuple[int, int]:
        """First and last row (inclusive) that draw any part of `[start, end)`; one row if empty."""
        first = self.row_of(start)
        last = self.row_of(max(start, end - 1))
        return first, last

    def row_cells(self, row: int) -> int:
        """Cells the text of `row` takes."""
        start, end = self.row_span(row)
        return self._prefix[end] - self._prefix[start]

    def cells_between(self, start: int, end: int) -> int:
        """Cells taken by `text[start:end]` as laid out (only meaningful within one row)."""
        return self._prefix[end] - self._prefix[start]

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
        return row, self._prefix[offset] - self._prefix[start]

    def offset_at(self, row: int, column: int) -> int:
        """Offset of the grapheme drawn at `(row, column)`; the right half of a wide character gives that
        character. Columns left of the text give the row start, columns past its end give the row end."""
        if self.row_count == 0:
            return 0
        row = max(0, min(row, self.row_count - 1))
        start, end = self.row_span(row)
        if column < 0 or start == end:
            return start
        target = self._prefix[start] + column
        if target >= self._prefix[end]:
            return end
        offset = bisect_right(self._prefix, target, start, end) - 1
        offset = min(max(offset, start), end)
        return self.grapheme_start(offset) if offset < end else end

    # -- graphemes and caret movement -----------------------------------------------------------------

    def grapheme_start(self, offset: int) -> int:
        """Start of the grapheme containing `offset`."""
        starts = self._starts
        while offset > 0 and offset < len(starts) and not starts[offset]:
            offset -= 1
        return offset

    def run_boundaries(self, cuts: Iterable[int], start: int, end: int) -> list[int]:
        """`start`, `end` and each of `cuts` strictly between them, sorted and without repeats, a cut
        inside a grapheme moved to that grapheme's start (a run of one style never splits a grapheme).
        `[start, end)` is one row: its start is a grapheme's start."""
        if self._every_code_point_starts and start < end:
            ordered = sorted(set(cuts))
            return [start, *ordered[bisect_right(ordered, start):bisect_left(ordered, end)], end]
        boundaries = {start, end}
        boundaries.update(self.grapheme_start(cut) for cut in cuts if start < cut < end)
        return sorted(boundaries)

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
        following = bisect_right(self._row_starts, offset)
        while following < self.row_count and self._separator[following]:
            following += 1
        if following >= self.row_count:
            return max(offset, self._row_ends[-1])
        return self._row_starts[following]

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
        previous_end = self._row_ends[row]
        return self.grapheme_start(offset - 1) if previous_end == offset else previous_end

    # -- drawing --------------------------------------------------------------------------------------

    def display_text(self, start: int, end: int) -> str:
        """`text[start:end]` as drawn: tabs expanded to their cells, other control characters as spaces.

        `start` and `end` must lie within one row.
        """
        piece = self.text[start:end]
        if self._drawn_as_stored:
            return piece
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
