"""Drawing one row of the transcript view into a `Strip`.

What a row shows
    A gutter, then the text. In a transcript whose turns have times (ASR exports, subtitles), the gutter
    starts with a time column of `TIME_WIDTH` cells, with each turn's time on its first row. Then come
    the code marks, `MARKS_WIDTH` cells: one cell per distinct code covering any part of the row (own
    codings first, then other coders', then suggestions), up to `MAX_MARKERS` cells; with more, the last
    cell is `+`. A coder's mark is the first character of their name, or the pinyin initial of a
    Chinese name (王芳 -> W).

    Speaker labels have the label style, text between turns (notes, titles) the aside style. Where own
    codings overlap, the innermost (shortest) one colours the cell, and of two equally long ones the
    last applied; the gutter shows all of them. A collapsed selection draws a block cursor on the
    grapheme at the caret; a selection that takes a line break shows one selected cell after that line.
"""

from __future__ import annotations

from functools import lru_cache
from operator import attrgetter

from rich.segment import Segment
from textual.strip import Strip

from qcode.tui.text_layout import TextLayout, cell_width
from qcode.tui.transcript_model import Highlight
from qcode.tui.widgets.transcript_view.document import Document
from qcode.tui.widgets.transcript_view.palette import Paint, Palette

MARKS_WIDTH = 5
"""Cells of the code marks: `MAX_MARKERS` marker cells and one space."""
TIME_WIDTH = 6
"""Cells of a turn's time (`01:19 `), left of the marks, in transcripts whose turns have times."""
MAX_MARKERS = 4


def gutter_width(document: Document) -> int:
    """Cells left of the text: the time column (when the transcript has turn times) and the marks."""
    return MARKS_WIDTH + (TIME_WIDTH if document.turn_times else 0)


def gutter_time(seconds: float) -> str:
    """A turn time in at most five cells: `mm:ss` up to 99:59, then `1h42` (hours and minutes)."""
    whole = max(0, int(seconds))
    minutes, secs = divmod(whole, 60)
    if minutes < 100:
        return f"{minutes:02d}:{secs:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}"


@lru_cache(maxsize=1024)
def marker_character(marker: str) -> str:
    """A one-cell gutter mark for a code: the marker's first character if it is one cell wide, else
    its first ASCII letter or digit, else `*` (a wide character would not fit the cell)."""
    if marker and cell_width(marker[0]) == 1 and not marker[0].isspace():
        return marker[0]
    return next((c for c in marker if c.isascii() and c.isalnum()), "*")


@lru_cache(maxsize=256)
def coder_initial(owner: str) -> str | None:
    """A one-cell mark for a coder: the first character of the name if it is one cell wide, else the
    pinyin initial of a Chinese name (王芳 -> W); None for an empty name."""
    name = owner.strip()
    if not name:
        return None
    if cell_width(name[0]) == 1:
        return name[0]
    from pypinyin import Style as PinyinStyle  # lazy: pypinyin takes ~150 ms to load; only other coders' Chinese names need it
    from pypinyin import lazy_pinyin  # lazy: as above

    initial = lazy_pinyin(name[0], style=PinyinStyle.FIRST_LETTER)[0]
    return initial.upper() if initial.isascii() and initial.isalpha() else None


class RowPainter:
    """Draws rows of one document at one layout with one palette (make a new one when any changes)."""

    def __init__(self, document: Document, layout: TextLayout, palette: Palette) -> None:
        self.document = document
        self.layout = layout
        self.palette = palette
        self.gutter_width = gutter_width(document)
        # Gutters by their marks: the same few combinations of codes recur on most rows.
        self._gutters: dict[tuple[tuple[str, str, bool], ...], tuple[Segment, ...]] = {}

    def blank(self, width: int) -> Strip:
        """A row below the text, `width` cells wide."""
        return Strip.blank(width, self.palette.base)

    def row(self, row: int, anchor: int, head: int) -> Strip:
        """Row `row` with the selection `anchor`..`head` drawn in it."""
        layout, palette = self.layout, self.palette
        text_width = layout.width
        start, end = layout.row_span(row)
        if layout.is_separator(row):
            segments = [*self._time_cells(None), *self._gutter_segments([], [], [])]
            segments.append(Segment(" " * text_width, palette.base))
            return Strip(segments, self.gutter_width + text_width)

        own, muted, suggested = _by_kind(self.document.highlights.overlapping(start, end))
        time_cells = self._time_cells(start if start in self.document.turn_times else None)
        segments = [*time_cells, *self._gutter_segments(own, muted, suggested)]
        role, label_start, label_end = self._row_role(start)
        if start < end:
            segments += self._text_segments(start, end, own, muted, suggested, (role, label_start, label_end),
                                            anchor, head)
        used = layout.row_cells(row)
        if used < text_width and layout.row_of(end) == row:
            # One cell after the text stands for the newline (or the text's end): it shows the caret
            # there, or that a selection includes the line break.
            text = self.document.text
            ends_line = end == len(text) or text[end] == "\n"
            if anchor == head == end:
                segments.append(Segment(" ", palette.style(Paint(role, None, None, False, True))))
                used += 1
            elif ends_line and min(anchor, head) <= end < max(anchor, head):
                segments.append(Segment(" ", palette.style(Paint(role, None, None, True, False))))
                used += 1
        if used < text_width:
            segments.append(Segment(" " * (text_width - used), palette.base))
            _merge_last_two(segments)
        # The layout's cell count is authoritative: in ambiguous-wide mode rich under-counts “”…—.
        return Strip(segments, self.gutter_width + text_width)

    def _text_segments(
        self, start: int, end: int, own: list[Highlight], muted: list[Highlight], suggested: list[Highlight],
        row_role: tuple[str, int, int], anchor: int, head: int,
    ) -> list[Segment]:
        """The text of a row `[start, end)` (not empty), cut into runs of one style each; `own`, `muted`
        and `suggested` are the highlights over it, each in application order."""
        layout = self.layout
        role, label_start, label_end = row_role
        selection_start, selection_end = (anchor, head) if anchor <= head else (head, anchor)
        collapsed = selection_start == selection_end
        cursor_start = cursor_end = -1
        if collapsed and start <= head < end:
            cursor_start = layout.grapheme_start(head)
            cursor_end = layout.grapheme_end(cursor_start)

        cuts = [label_start, label_end, cursor_start, cursor_end]
        if not collapsed:
            cuts += (selection_start, selection_end)
        for highlights in (own, muted, suggested):
            for highlight in highlights:
                cuts += (highlight.start, highlight.end)
        boundaries = layout.run_boundaries(cuts, start, end)
        style_of = self.palette.style
        # One segment per run of one style: neighbouring runs that look alike (a highlight ending where
        # another of the same colour starts) are joined, as every segment costs Textual work per frame.
        # Styles are looked up by a plain tuple of `Paint`'s fields: no object built per run.
        segments: list[Segment] = []
        run_from, run_style = start, None
        for index in range(len(boundaries) - 1):
            run_start = boundaries[index]
            style = style_of((
                "label" if label_start <= run_start < label_end else role,
                _innermost_color(own, run_start) if own else None,
                _innermost_color(muted, run_start) if muted else None,
                selection_start <= run_start < selection_end,
                cursor_start <= run_start < cursor_end,
                _suggestion_at(suggested, run_start) if suggested else None,
            ))
            if style is not run_style:
                if run_style is not None:
                    segments.append(Segment(layout.display_text(run_from, run_start), run_style))
                run_from, run_style = run_start, style
        if run_style is not None:
            segments.append(Segment(layout.display_text(run_from, end), run_style))
        return segments

    def _row_role(self, row_start: int) -> tuple[str, int, int]:
        """The role of a row's text and the part of it that is a speaker label (`[-1, -1)` if none)."""
        structure = self.document.structure
        index = structure.turn_index_at(row_start)
        if index is None:
            return ("aside" if structure.turns else "text"), -1, -1
        label_start, label_end = structure.turns.label(index)
        if label_end > label_start:
            return "text", label_start, label_end
        return "text", -1, -1

    def _gutter_segments(
        self, own: list[Highlight], muted: list[Highlight], suggested: list[Highlight]
    ) -> tuple[Segment, ...]:
        """The code marks of one row: a cell per distinct code among the highlights over it, own codings
        first (then other coders', then suggestions), each group by where the coding starts."""
        # The highlights are in application order and sorts are stable: ties stay in that order. A dict
        # keeps the first of each mark, in order.
        markers: dict[tuple[str, str, bool], None] = {}
        for highlight in sorted(own, key=_START) if len(own) > 1 else own:
            markers[marker_character(highlight.marker), highlight.color, False] = None
        for highlight in sorted(muted, key=_OWNER_AND_START):
            markers[coder_initial(highlight.owner) or marker_character(highlight.marker), highlight.color, True] = None
        for highlight in sorted(suggested, key=_START):
            markers["?", highlight.color, highlight.suggestion == "weak"] = None
        key = tuple(markers)
        segments = self._gutters.get(key)
        if segments is None:
            segments = self._gutters[key] = self._draw_gutter(key)
        return segments

    def _draw_gutter(self, markers: tuple[tuple[str, str, bool], ...]) -> tuple[Segment, ...]:
        palette = self.palette
        overflow = len(markers) > MAX_MARKERS
        shown = markers[: MAX_MARKERS - 1] if overflow else markers
        segments = [Segment(character, palette.gutter_style(color, muted)) for character, color, muted in shown]
        if overflow:
            segments.append(Segment("+", palette.gutter))
        segments.append(Segment(" " * (MARKS_WIDTH - len(segments)), palette.gutter))
        return tuple(segments)

    def _time_cells(self, turn_start: int | None) -> list[Segment]:
        """The time column of a row: the turn's time on the first row of a timed turn (so a passage can be
        found in the recording), blank on other rows, nothing in transcripts without turn times."""
        turn_times = self.document.turn_times
        if not turn_times:
            return []
        text = "" if turn_start is None else gutter_time(turn_times[turn_start])
        return [Segment(text.ljust(TIME_WIDTH), self.palette.gutter)]


_START = attrgetter("start")
_OWNER_AND_START = attrgetter("owner", "start")


def _by_kind(highlights: list[Highlight]) -> tuple[list[Highlight], list[Highlight], list[Highlight]]:
    """`highlights` split into own codings, other coders' codings and suggestions, order kept."""
    own: list[Highlight] = []
    muted: list[Highlight] = []
    suggested: list[Highlight] = []
    for highlight in highlights:
        if highlight.suggestion:
            suggested.append(highlight)
        elif highlight.muted:
            muted.append(highlight)
        else:
            own.append(highlight)
    return own, muted, suggested


def _merge_last_two(segments: list[Segment]) -> None:
    """Join the last two segments into one when they have the same style (fewer segments to draw)."""
    if len(segments) >= 2 and segments[-1].style is segments[-2].style:
        padding = segments.pop()
        segments[-1] = Segment(segments[-1].text + padding.text, padding.style)


def _innermost_color(highlights: list[Highlight], offset: int) -> str | None:
    """Colour of the shortest highlight covering `offset` (the last applied among equals: `highlights` are
    in application order, as `HighlightIndex.overlapping` returns them)."""
    best: Highlight | None = None
    best_length = 0
    for highlight in highlights:
        if highlight.start <= offset < highlight.end:
            length = highlight.end - highlight.start
            if best is None or length <= best_length:
                best, best_length = highlight, length
    return best.color if best is not None else None


def _suggestion_at(suggested: list[Highlight], offset: int) -> tuple[str, str] | None:
    """Colour and strength of a suggestion covering `offset` (a strong one before a weak one)."""
    found = [h for h in suggested if h.start <= offset < h.end]
    if not found:
        return None
    best = min(found, key=lambda h: (h.suggestion != "strong", h.end - h.start))
    return best.color, best.suggestion
