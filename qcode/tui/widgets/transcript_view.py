"""The transcript view of the coding screen: a keyboard-first, Line-API widget for long transcripts.

Drawing (the Toolong pattern)
    `TranscriptView` is a `ScrollView` whose `render_line` draws only the visible rows. The text is laid
    out once per width by `qcode.tui.text_layout` (word wrap by terminal cells); each row is drawn into
    a `Strip` that is cached until something it shows changes. A key press re-draws only the rows whose
    selection changed; adding or removing a highlight re-draws only the rows it covers.

What a row shows
    A gutter of `GUTTER_WIDTH` cells, then the text. Speaker labels use the component class
    `transcript-view--label`, text between turns (notes, titles) `transcript-view--aside`; selection,
    caret and gutter have `--selection`, `--cursor` and `--gutter`, all from theme variables. Each turn starts on a new row, with a blank row before
    it when the widget is at least `ROOMY_WIDTH` columns wide. The gutter shows, for every row, one cell
    per distinct code covering any part of it (own codings first, then other coders'), up to
    `MAX_MARKERS` cells; with more, the last cell is `+`. In a transcript whose turns have times (ASR
    exports, subtitles), a time column of `TIME_WIDTH` cells comes first, with each turn's time on its
    first row.

Highlights
    Own codings (`muted=False`) tint the background with the code's colour, blended into the widget's
    background so the text stays readable on light and dark themes. Where own codings overlap, the
    innermost (shortest) one colours the cell, and of two equally long ones the last applied; the gutter
    shows all of them. Other coders' codings (`muted=True`) are drawn as underlined text in the code's
    colour (made readable on the background) and marked in the gutter by the coder's initial. The screen
    decides which highlights to pass (blind coding shows only the coder's own). A coder's mark is the
    first character of `owner`, or the pinyin initial of a Chinese name (王芳 -> W).

Selection
    An `anchor` and a `head`, both caret offsets; the selection is `[min, max)` (`selection` is a domain
    `Span`, empty when collapsed). Moving commands (next sentence, next turn, next coding, page, top,
    bottom, a click) set both; extending commands move only the head, so the selection can grow, shrink
    and cross the anchor. A collapsed selection draws a block cursor on the grapheme at the caret; a
    selection that takes a line break shows one selected cell after that line. `target_span()` is what
    "apply code" applies to: the selection, or when it is empty the sentence under the caret. A document
    opens with its first sentence selected. Every change posts `TranscriptView.SelectionChanged`, and
    so does `load` (not the constructor: read `selection` on mount).

Mouse
    A click puts the caret before the clicked character (the right half of a wide character counts as
    that character); a click in the gutter goes to the start of the row, past the end of a row to its
    end. Dragging selects from the pressed character to the one under the pointer, both included; with
    the pointer above or below the widget each movement scrolls one row. A double click selects the sentence, a triple click the
    turn.

Keys (`Binding` ids in parentheses, so the app can remap them with `App.set_keymap`)
    No plain letters or digits: the coding screen types code hotkeys `[a-z0-9]` directly.
    down / up                 next / previous sentence (view.next_sentence, view.previous_sentence)
    ctrl+down, ] / ctrl+up, [ next / previous turn (view.next_turn, view.previous_turn)
    shift+down / shift+up     extend by a sentence (view.extend_sentence_forward / _backward)
    ctrl+shift+down, } / ctrl+shift+up, {   extend by a turn (view.extend_turn_forward / _backward)
    shift+right / shift+left  extend by a character (view.extend_char_forward / _backward)
    right / left              move the caret by a character (view.cursor_right / view.cursor_left)
    ctrl+a                    select the current turn's speech (view.select_turn)
    . / ,                     next / previous own coding (view.next_highlight / view.previous_highlight)
    ;                         next turn without an own coding (view.next_uncoded_turn)
    pagedown / pageup         caret a page down / up (view.page_down / view.page_up)
    home, ctrl+home / end, ctrl+end   top / bottom (view.top / view.bottom)
    Arrows step through the unit a coder codes most (sentences); brackets are the one-key fallback for
    terminals that swallow ctrl+arrows (macOS); `.`/`,` are `>`/`<` without shift.

Ambiguous width
    rich counts “ ” … — · as one cell; terminals set to draw them wide would shift every row.
    `set_ambiguous_wide(True)` lays them out as two cells and tells Textual each row's real width.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qcode.domain.models import Span
from qcode.tui import bindings
from qcode.tui.text_layout import TextLayout, cell_width, display_blocks
from qcode.tui.transcript_model import (
    Highlight,
    HighlightIndex,
    Spanned,
    TranscriptStructure,
    Turn,
)

_WHITE = Color(255, 255, 255)
_BLACK = Color(0, 0, 0)


def _luminance(color: Color) -> float:
    """WCAG relative luminance."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = color.rgb
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def _contrast(first: Color, second: Color) -> float:
    """WCAG contrast ratio (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _readable(color: Color, background: Color, fallback: Color, minimum: float = 3.0) -> Color:
    """`color`, moved towards `fallback` just far enough to be readable on `background`."""
    for step in (0.0, 0.2, 0.4, 0.6, 0.8):
        candidate = color.blend(fallback, step)
        if _contrast(candidate, background) >= minimum:
            return candidate
    return fallback


def gutter_time(seconds: float) -> str:
    """A turn time in at most five cells: `mm:ss` up to 99:59, then `1h42` (hours and minutes)."""
    whole = max(0, int(seconds))
    minutes, secs = divmod(whole, 60)
    if minutes < 100:
        return f"{minutes:02d}:{secs:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}"


def _within_text(highlights: Iterable[Highlight], length: int) -> list[Highlight]:
    """The highlights as a list; ValueError if one lies outside a text of `length` code points."""
    checked = list(highlights)
    for highlight in checked:
        if highlight.end > length:
            raise ValueError(
                f"highlight {highlight.key!r} [{highlight.start}, {highlight.end}) lies outside "
                f"the text (length {length})"
            )
    return checked


def _marker_character(marker: str) -> str:
    """A one-cell gutter mark for a code: the marker's first character if it is one cell wide, else
    its first ASCII letter or digit, else `*` (a wide character would not fit the cell)."""
    if marker and cell_width(marker[0]) == 1 and not marker[0].isspace():
        return marker[0]
    return next((c for c in marker if c.isascii() and c.isalnum()), "*")


@lru_cache(maxsize=256)
def _coder_initial(owner: str) -> str | None:
    """A one-cell mark for a coder: the first character of the name if it is one cell wide, else the
    pinyin initial of a Chinese name (王芳 -> W); None for an empty name."""
    name = owner.strip()
    if not name:
        return None
    if cell_width(name[0]) == 1:
        return name[0]
    # Imported here: pypinyin's dictionaries take ~150 ms to load and only other coders' names need it.
    from pypinyin import Style as PinyinStyle  # lazy: pypinyin takes ~150 ms to load (see above)
    from pypinyin import lazy_pinyin  # lazy: pypinyin takes ~150 ms to load (see above)

    initial = lazy_pinyin(name[0], style=PinyinStyle.FIRST_LETTER)[0]
    return initial.upper() if initial.isascii() and initial.isalpha() else None


@dataclass(frozen=True, slots=True)
class _Paint:
    """Everything that decides the style of a run of text."""

    role: str  # "text", "label" or "aside"
    own_color: str | None
    muted_color: str | None
    selected: bool
    cursor: bool
    suggested: tuple[str, str] | None = None  # (colour, "strong" or "weak") of a keyword suggestion


class TranscriptView(ScrollView, can_focus=True):
    """A read-only view of one transcript with speaker turns, codings and a selection.

    Construct it with the transcript, or construct it empty and call `load`. See the module docstring
    for what it draws, the selection model, the mouse and the keys.
    """

    ALLOW_SELECT = False  # the view has its own selection; Textual's text selection would fight it

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "transcript-view--label",
        "transcript-view--aside",
        "transcript-view--selection",
        "transcript-view--cursor",
        "transcript-view--gutter",
    }

    DEFAULT_CSS = """
    TranscriptView {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        pointer: text;
        & > .transcript-view--label { color: $accent; text-style: bold; }
        & > .transcript-view--aside { color: $text-muted; text-style: italic; }
        & > .transcript-view--selection {
            background: $input-selection-background;
            color: $input-selection-foreground;
        }
        & > .transcript-view--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .transcript-view--gutter { color: $text-muted; background: $boost; }
        &:ansi > .transcript-view--selection { text-style: reverse; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.TRANSCRIPT_VIEW)

    MARKS_WIDTH: ClassVar[int] = 5
    """Cells of the code marks: `MAX_MARKERS` marker cells and one space."""
    TIME_WIDTH: ClassVar[int] = 6
    """Cells of a turn's time (`01:19 `), left of the marks, in transcripts whose turns have times."""
    GUTTER_WIDTH: int = MARKS_WIDTH
    """Cells left of the text: the time column (when the transcript has turn times) and the marks."""
    MAX_MARKERS: ClassVar[int] = 4
    ROOMY_WIDTH: ClassVar[int] = 100
    """From this widget width on, a blank row separates turns."""
    SPAN_TINT: ClassVar[float] = 0.35
    """Share of a code's colour in the background of its spans (the rest is the widget background)."""
    STRIP_CACHE_SIZE: ClassVar[int] = 1024

    class SelectionChanged(Message):
        """Posted when the selection changes, by key, mouse or `select`."""

        def __init__(self, transcript_view: TranscriptView, span: Span) -> None:
            super().__init__()
            self.transcript_view = transcript_view
            self.span = span
            """The new selection (empty when collapsed to a caret)."""

        @property
        def control(self) -> TranscriptView:
            return self.transcript_view

    def __init__(
        self,
        text: str = "",
        turns: Sequence[Turn] = (),
        sentences: Sequence[Spanned] = (),
        highlights: Iterable[Highlight] = (),
        *,
        ambiguous_wide: bool = False,
        tab_size: int = 4,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Show `text` with its `turns` and `sentences` (anything with `start`/`end`, e.g. `Span` or
        `Unit`) and `highlights`. `ambiguous_wide` lays out East-Asian-ambiguous punctuation as two
        cells; `tab_size` is the distance between tab stops."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._ambiguous_wide = ambiguous_wide
        self._tab_size = tab_size
        self._layout: TextLayout | None = None
        self._strips: LRUCache[int, Strip] = LRUCache(self.STRIP_CACHE_SIZE)
        self._styles: dict[_Paint, Style] = {}
        self._gutter_styles: dict[tuple[str, bool], Style] = {}
        self._drag_origin: int | None = None
        self._dragged = False
        self._load(text, turns, sentences, highlights)

    # -- document -------------------------------------------------------------------------------------

    def load(
        self,
        text: str,
        turns: Sequence[Turn],
        sentences: Sequence[Spanned],
        highlights: Iterable[Highlight] = (),
    ) -> None:
        """Show another transcript; the selection becomes its first sentence."""
        self._load(text, turns, sentences, highlights)
        self._strips.clear()
        if self.is_mounted:
            self._relayout()
            self.scroll_to(y=0, animate=False)
            self.refresh()
            self._post_selection()

    def _load(
        self,
        text: str,
        turns: Sequence[Turn],
        sentences: Sequence[Spanned],
        highlights: Iterable[Highlight],
    ) -> None:
        # Validate everything before changing anything, so a bad document leaves the view as it was.
        structure = TranscriptStructure(len(text), turns, sentences)
        index = HighlightIndex(_within_text(highlights, len(text)))
        self._structure = structure
        self._text = text
        self._blocks = display_blocks(text, structure.turns)
        # Where a turn's first row starts -> its time in the recording, drawn in the margin of that row.
        self._turn_times = {t.label_start: t.time for t in structure.turns if t.time is not None}
        self.GUTTER_WIDTH = self.MARKS_WIDTH + (self.TIME_WIDTH if self._turn_times else 0)
        self._highlights = index
        first = structure.first_sentence()
        self._anchor, self._head = (first.start, first.end) if first else (0, 0)
        self._layout = None
        self._pending_scroll: tuple[int, bool] | None = None

    @property
    def text(self) -> str:
        """The canonical text shown."""
        return self._text

    @property
    def turns(self) -> tuple[Turn, ...]:
        return self._structure.turns

    @property
    def text_layout(self) -> TextLayout | None:
        """The current layout (None until the widget knows its width)."""
        return self._layout

    @property
    def text_width(self) -> int:
        """Cells available for text in each row (the widget's content width minus the gutter)."""
        return max(2, self.scrollable_content_region.width - self.GUTTER_WIDTH)

    def set_ambiguous_wide(self, wide: bool) -> None:
        """Lay out East-Asian-ambiguous punctuation (“ ” … — ·) as two cells (True) or one (False)."""
        if wide != self._ambiguous_wide:
            self._ambiguous_wide = wide
            self._relayout(force=True)

    # -- selection ------------------------------------------------------------------------------------

    @property
    def anchor(self) -> int:
        """The end of the selection that stays put when it is extended."""
        return self._anchor

    @property
    def head(self) -> int:
        """The end of the selection that extending moves (the caret)."""
        return self._head

    @property
    def selection(self) -> Span:
        """The selected text; empty (collapsed at the caret) when nothing is selected."""
        return Span(min(self._anchor, self._head), max(self._anchor, self._head))

    def target_span(self) -> Span:
        """What "apply code" applies to: the selection, or else the sentence under the caret.

        Empty when nothing is selected and the caret is not in or at the end of a sentence.
        """
        selection = self.selection
        if selection.end > selection.start:
            return selection
        sentence = self._structure.sentence_at(self._head)
        return sentence if sentence is not None else selection

    def select(self, span: Span, *, scroll: bool = True) -> None:
        """Select `span` (anchor at its start, head at its end) and scroll it into view."""
        end = min(span.end, len(self._text))
        self._set_selection(min(span.start, end), end, reveal=scroll)

    def scroll_to_offset(self, offset: int, *, center: bool = False) -> None:
        """Scroll so that the row drawing `offset` is visible (in the middle with `center`).

        Before the first layout (a screen opening on a passage) the request is kept and done then.
        """
        if self._layout is None:
            self._pending_scroll = (offset, center)
            return
        row = self._layout.row_of(offset)
        if center:
            top = max(0, min(row - self._page_height() // 2, self.max_scroll_y))
            self.scroll_to(y=top, animate=False)
        else:
            self._reveal_rows(row, row)

    # -- highlights -----------------------------------------------------------------------------------

    @property
    def highlights(self) -> list[Highlight]:
        """All highlights shown, in the order they were applied."""
        return sorted(self._highlights, key=self._highlights.order)

    def set_highlights(self, highlights: Iterable[Highlight]) -> None:
        """Replace all highlights (re-draws every row)."""
        self._highlights = HighlightIndex(_within_text(highlights, len(self._text)))
        self._strips.clear()
        self.refresh()

    def add_highlight(self, highlight: Highlight) -> None:
        """Show one more highlight (or replace the one with the same key); re-draws only its rows."""
        (highlight,) = _within_text([highlight], len(self._text))
        replaced = self._highlights.add(highlight)
        if replaced is not None:
            self._refresh_span(replaced.start, replaced.end)
        self._refresh_span(highlight.start, highlight.end)

    def remove_highlight(self, key: str) -> bool:
        """Stop showing the highlight with `key`; False if there was none. Re-draws only its rows."""
        removed = self._highlights.remove(key)
        if removed is None:
            return False
        self._refresh_span(removed.start, removed.end)
        return True

    def highlights_at(self, offset: int) -> list[Highlight]:
        """Highlights containing `offset`, in the order they were applied."""
        return self._highlights.at(offset)

    # -- actions: moving ------------------------------------------------------------------------------

    def action_next_sentence(self) -> None:
        """Select the first sentence starting at or after the selection's end (or the caret)."""
        sentence = self._structure.sentence_starting_at_or_after(self.selection.end)
        if sentence is not None:
            self._set_selection(sentence.start, sentence.end)

    def action_previous_sentence(self) -> None:
        """Select the last sentence ending at or before the selection's start (or the caret)."""
        sentence = self._structure.sentence_ending_at_or_before(self.selection.start)
        if sentence is not None:
            self._set_selection(sentence.start, sentence.end)

    def action_next_turn(self) -> None:
        """Select the speech of the first turn starting at or after the selection's end."""
        index = self._structure.turn_body_starting_at_or_after(self.selection.end)
        if index is not None:
            self._select_turn_body(index)

    def action_previous_turn(self) -> None:
        """Select the speech of the last turn ending at or before the selection's start."""
        index = self._structure.turn_body_ending_at_or_before(self.selection.start)
        if index is not None:
            self._select_turn_body(index)

    def action_select_turn(self) -> None:
        """Select all of the speech of the turn under the caret."""
        index = self._structure.turn_index_at(self._head)
        if index is not None:
            self._select_turn_body(index)

    def action_cursor_right(self) -> None:
        """Collapse a selection to its end, or move the caret one character right."""
        selection = self.selection
        if selection.end > selection.start:
            self._set_selection(selection.end, selection.end)
        elif self._layout is not None:
            caret = self._layout.next_caret(self._head)
            self._set_selection(caret, caret)

    def action_cursor_left(self) -> None:
        """Collapse a selection to its start, or move the caret one character left."""
        selection = self.selection
        if selection.end > selection.start:
            self._set_selection(selection.start, selection.start)
        elif self._layout is not None:
            caret = self._layout.previous_caret(self._head)
            self._set_selection(caret, caret)

    def action_next_highlight(self) -> None:
        """Select the next own coding after the selection, in `(start, end)` order."""
        selection = self.selection
        highlight = self._highlights.next_own(selection.start, selection.end)
        if highlight is not None:
            self._set_selection(highlight.start, highlight.end)

    def action_previous_highlight(self) -> None:
        """Select the previous own coding before the selection, in `(start, end)` order."""
        selection = self.selection
        highlight = self._highlights.previous_own(selection.start, selection.end)
        if highlight is not None:
            self._set_selection(highlight.start, highlight.end)

    # Speakers whose turns "next uncoded turn" passes over (interviewers; set by the coding screen).
    skipped_speakers: frozenset[str] = frozenset()

    def action_next_uncoded_turn(self) -> None:
        """Select the speech of the next turn (after the caret's turn) with no own coding in it."""
        structure = self._structure
        for index in range(structure.turn_index_after(self._head), len(structure.turns)):
            turn = structure.turns[index]
            if turn.speaker and turn.speaker in self.skipped_speakers:
                continue
            if turn.end > turn.start and not self._highlights.has_own_within(turn.start, turn.end):
                self._select_turn_body(index)
                return

    def action_caret_page_down(self) -> None:
        """Move the caret and the view down by a page."""
        self._page(+1)

    def action_caret_page_up(self) -> None:
        """Move the caret and the view up by a page."""
        self._page(-1)

    def action_caret_top(self) -> None:
        """Caret to the start of the transcript."""
        if self._layout is not None and self._layout.row_count:
            start = self._layout.row_span(0)[0]
            self._set_selection(start, start)

    def action_caret_bottom(self) -> None:
        """Caret to the end of the transcript."""
        if self._layout is not None and self._layout.row_count:
            end = self._layout.row_span(self._layout.row_count - 1)[1]
            self._set_selection(end, end)

    # -- actions: extending ---------------------------------------------------------------------------

    def action_extend_sentence_forward(self) -> None:
        """Move the head to the next sentence end."""
        self._extend_to(self._structure.sentence_end_after(self._head))

    def action_extend_sentence_backward(self) -> None:
        """Move the head to the previous sentence start."""
        self._extend_to(self._structure.sentence_start_before(self._head))

    def action_extend_turn_forward(self) -> None:
        """Move the head to the next end of a turn's speech."""
        self._extend_to(self._structure.turn_end_after(self._head))

    def action_extend_turn_backward(self) -> None:
        """Move the head to the previous start of a turn's speech."""
        self._extend_to(self._structure.turn_start_before(self._head))

    def action_extend_char_forward(self) -> None:
        """Move the head one character (grapheme) forward."""
        if self._layout is not None:
            self._extend_to(self._layout.next_caret(self._head))

    def action_extend_char_backward(self) -> None:
        """Move the head one character (grapheme) back."""
        if self._layout is not None:
            self._extend_to(self._layout.previous_caret(self._head))

    def _extend_to(self, head: int | None) -> None:
        if head is not None:
            self._set_selection(self._anchor, head)

    def _select_turn_body(self, index: int) -> None:
        turn = self._structure.turns[index]
        self._set_selection(turn.start, turn.end)

    def _page(self, direction: int) -> None:
        layout = self._layout
        if layout is None or not layout.row_count:
            return
        page = self._page_height()
        row, column = layout.position_of(self._head)
        target_row = max(0, min(layout.row_count - 1, row + direction * page))
        caret = layout.offset_at(target_row, column)
        self.scroll_to(y=max(0, min(self.max_scroll_y, self.scroll_y + direction * page)), animate=False)
        self._set_selection(caret, caret)

    # -- selection plumbing ---------------------------------------------------------------------------

    def _set_selection(self, anchor: int, head: int, *, reveal: bool = True) -> None:
        if (anchor, head) == (self._anchor, self._head):
            if reveal:
                self._reveal_selection()
            return
        old_start, old_end = min(self._anchor, self._head), max(self._anchor, self._head)
        self._anchor, self._head = anchor, head
        self._refresh_span(old_start, old_end)
        selection = self.selection
        self._refresh_span(selection.start, selection.end)
        if reveal:
            self._reveal_selection()
        self._post_selection()

    def _post_selection(self) -> None:
        self.post_message(self.SelectionChanged(self, self.selection))

    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _reveal_selection(self) -> None:
        layout = self._layout
        if layout is None or not layout.row_count:
            return
        selection = self.selection
        first, last = layout.rows_of(selection.start, selection.end)
        if last - first + 1 > self._page_height():
            head_row = layout.row_of(self._head)
            first = last = head_row
        self._reveal_rows(first, last)

    def _reveal_rows(self, first: int, last: int) -> None:
        """Scroll the least needed so rows `first..last` show, keeping a small margin around them."""
        height = self._page_height()
        margin = min(2, max(0, (height - (last - first + 1)) // 2))
        top = int(self.scroll_y)
        if first - margin < top:
            top = first - margin
        elif last + margin >= top + height:
            top = last + margin - height + 1
        top = max(0, min(top, self.max_scroll_y))
        if top != int(self.scroll_y):
            self.scroll_to(y=top, animate=False)

    # -- layout and drawing ---------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """A new width needs a new layout (a new height does not)."""
        self._relayout()

    def notify_style_update(self) -> None:
        """Styles (theme, focus) changed: cached strips and styles are stale."""
        super().notify_style_update()
        self._styles.clear()
        self._gutter_styles.clear()
        self._strips.clear()

    def _relayout(self, *, force: bool = False) -> None:
        """Lay the text out for the current width, keeping the caret's row where it was on screen."""
        if self.scrollable_content_region.width <= 0:
            return  # not laid out by Textual yet; `on_resize` comes back here
        width = self.text_width
        block_gap = self.size.width >= self.ROOMY_WIDTH
        old = self._layout
        if not force and old is not None and (old.width, old.block_gap) == (width, block_gap):
            return
        caret_screen_row = old.row_of(self._head) - int(self.scroll_y) if old else None
        self._layout = TextLayout(
            self._text,
            self._blocks,
            width,
            tab_size=self._tab_size,
            ambiguous_wide=self._ambiguous_wide,
            block_gap=block_gap,
        )
        self._strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, self._layout.row_count)
        if caret_screen_row is not None:
            top = self._layout.row_of(self._head) - caret_screen_row
            self.scroll_to(y=max(0, min(top, self.max_scroll_y)), animate=False)
        elif self._pending_scroll is not None:
            offset, center = self._pending_scroll
            self._pending_scroll = None
            self.call_after_refresh(self.scroll_to_offset, offset, center=center)
        self.refresh()

    def _refresh_span(self, start: int, end: int) -> None:
        """Forget the cached strips of the rows drawing `[start, end)` and re-draw the visible ones."""
        layout = self._layout
        if layout is None or not layout.row_count:
            return
        first, last = layout.rows_of(start, end)
        if last - first + 1 <= len(self._strips):
            for row in range(first, last + 1):
                self._strips.discard(row)
        else:
            for row in [row for row in self._strips.keys() if first <= row <= last]:
                self._strips.discard(row)
        top = int(self.scroll_y)
        visible_first = max(first, top)
        visible_last = min(last, top + self._page_height() - 1)
        if visible_first <= visible_last:
            self.refresh_lines(visible_first, visible_last - visible_first + 1)

    def render_line(self, y: int) -> Strip:
        """Draw row `scroll_y + y` (from the cache when nothing in it changed)."""
        row = int(self.scroll_y) + y
        layout = self._layout
        width = self.scrollable_content_region.width
        if layout is None or row >= layout.row_count:
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(row)
        if strip is None:
            strip = self._render_row(row)
            self._strips.set(row, strip)
        return strip

    def _render_row(self, row: int) -> Strip:
        layout = self._layout
        assert layout is not None
        text_width = layout.width
        start, end = layout.row_span(row)
        base_style = self.rich_style
        if layout.is_separator(row):
            segments = self._time_cells(None) + self._gutter_segments([])
            segments.append(Segment(" " * text_width, base_style))
            return Strip(segments, self.GUTTER_WIDTH + text_width)

        covering = self._highlights.overlapping(start, max(end, start + 1))
        segments = self._time_cells(start if start in self._turn_times else None) + self._gutter_segments(covering)
        in_row = [h for h in covering if h.start < end and start < h.end]
        own = [h for h in in_row if h.is_own]
        muted = [h for h in in_row if h.muted and not h.suggestion]
        suggested = [h for h in in_row if h.suggestion]

        role, label_start, label_end = self._row_role(start)
        selection = self.selection
        selection_start, selection_end = selection.start, selection.end
        collapsed = selection_start == selection_end
        cursor_start = cursor_end = -1
        if collapsed and start <= self._head < end:
            cursor_start = layout.grapheme_start(self._head)
            cursor_end = layout.grapheme_end(cursor_start)

        cuts = {start, end, label_start, label_end, cursor_start, cursor_end}
        if not collapsed:
            cuts.update((selection_start, selection_end))
        for highlight in in_row:
            cuts.update((highlight.start, highlight.end))
        # Runs never split a grapheme: a boundary inside one is drawn at the grapheme's start.
        boundaries = sorted(
            {layout.grapheme_start(cut) for cut in cuts if start < cut < end} | {start, end}
        )
        order = self._highlights.order
        for run_start, run_end in pairwise(boundaries):
            paint = _Paint(
                role=role if not label_start <= run_start < label_end else "label",
                own_color=self._innermost_color(own, run_start, order),
                muted_color=self._innermost_color(muted, run_start, order),
                selected=selection_start <= run_start < selection_end,
                cursor=cursor_start <= run_start < cursor_end,
                suggested=self._suggestion_at(suggested, run_start),
            )
            segments.append(Segment(layout.display_text(run_start, run_end), self._style(paint)))

        used = layout.row_cells(row)
        if used < text_width and layout.row_of(end) == row:
            # One cell after the text stands for the newline (or the text's end): it shows the caret
            # there, or that a selection includes the line break.
            ends_line = end == len(self._text) or self._text[end] == "\n"
            if collapsed and self._head == end:
                segments.append(Segment(" ", self._style(_Paint(role, None, None, False, True))))
                used += 1
            elif ends_line and selection_start <= end < selection_end:
                segments.append(Segment(" ", self._style(_Paint(role, None, None, True, False))))
                used += 1
        if used < text_width:
            segments.append(Segment(" " * (text_width - used), base_style))
        # The layout's cell count is authoritative: in ambiguous-wide mode rich under-counts “”…—.
        return Strip(segments, self.GUTTER_WIDTH + text_width)

    def _row_role(self, row_start: int) -> tuple[str, int, int]:
        """The role of a row's text and the part of it that is a speaker label (`[-1, -1)` if none)."""
        structure = self._structure
        index = structure.turn_index_at(row_start)
        if index is None:
            return ("aside" if structure.turns else "text"), -1, -1
        turn = structure.turns[index]
        if turn.label_end > turn.label_start:
            return "text", turn.label_start, turn.label_end
        return "text", -1, -1

    @staticmethod
    def _innermost_color(
        highlights: list[Highlight], offset: int, order: Callable[[Highlight], int]
    ) -> str | None:
        """Colour of the shortest highlight covering `offset` (the last applied among equals)."""
        best: Highlight | None = None
        for highlight in highlights:
            if highlight.start <= offset < highlight.end and (
                best is None
                or (highlight.end - highlight.start, -order(highlight))
                < (best.end - best.start, -order(best))
            ):
                best = highlight
        return best.color if best is not None else None

    @staticmethod
    def _suggestion_at(suggested: list[Highlight], offset: int) -> tuple[str, str] | None:
        """Colour and strength of a suggestion covering `offset` (a strong one before a weak one)."""
        found = [h for h in suggested if h.start <= offset < h.end]
        if not found:
            return None
        best = min(found, key=lambda h: (h.suggestion != "strong", h.end - h.start))
        return best.color, best.suggestion

    def _gutter_segments(self, covering: list[Highlight]) -> list[Segment]:
        """The code marks of one row: a cell per distinct code among `covering`, own codings first."""
        gutter_style = self.get_component_rich_style("transcript-view--gutter")
        markers: list[tuple[str, str, bool]] = []
        seen: set[tuple[str, str, bool]] = set()
        order = self._highlights.order
        own = sorted((h for h in covering if h.is_own), key=lambda h: (h.start, order(h)))
        others = sorted((h for h in covering if h.muted and not h.suggestion),
                        key=lambda h: (h.owner, h.start, order(h)))
        suggestions = sorted((h for h in covering if h.suggestion), key=lambda h: (h.start, order(h)))
        for highlight in own + others + suggestions:
            if highlight.suggestion:
                marker = ("?", highlight.color, highlight.suggestion == "weak")
            elif highlight.muted:
                character = _coder_initial(highlight.owner) or _marker_character(highlight.marker)
                marker = (character, highlight.color, True)
            else:
                marker = (_marker_character(highlight.marker), highlight.color, False)
            if marker not in seen:
                seen.add(marker)
                markers.append(marker)
        segments: list[Segment] = []
        if len(markers) > self.MAX_MARKERS:
            shown = markers[: self.MAX_MARKERS - 1]
            overflow = True
        else:
            shown, overflow = markers, False
        for character, color, muted in shown:
            segments.append(Segment(character, self._gutter_style(color, muted)))
        if overflow:
            segments.append(Segment("+", gutter_style))
        segments.append(Segment(" " * (self.MARKS_WIDTH - len(segments)), gutter_style))
        return segments

    def _time_cells(self, turn_start: int | None) -> list[Segment]:
        """The time column of a row: the turn's time on the first row of a timed turn (so a passage can be
        found in the recording), blank on other rows, nothing in transcripts without turn times."""
        if not self._turn_times:
            return []
        text = "" if turn_start is None else gutter_time(self._turn_times[turn_start])
        return [Segment(text.ljust(self.TIME_WIDTH), self.get_component_rich_style("transcript-view--gutter"))]

    # -- colours --------------------------------------------------------------------------------------

    def _theme_colors(self) -> tuple[Color, Color]:
        """The widget's background and foreground as plain RGB (ANSI themes give no RGB to blend)."""
        rich_style = self.rich_style
        dark = self.app.current_theme.dark
        background = (
            Color.from_rich_color(rich_style.bgcolor) if rich_style.bgcolor is not None else None
        )
        if background is None or background.ansi is not None:
            background = _BLACK if dark else _WHITE
        foreground = Color.from_rich_color(rich_style.color) if rich_style.color is not None else None
        if foreground is None or foreground.ansi is not None:
            foreground = _WHITE if dark else _BLACK
        return background, foreground

    def _style(self, paint: _Paint) -> Style:
        style = self._styles.get(paint)
        if style is not None:
            return style
        background, foreground = self._theme_colors()
        style = self.rich_style
        if paint.role == "label":
            style += self.get_component_rich_style("transcript-view--label")
        elif paint.role == "aside":
            style += self.get_component_rich_style("transcript-view--aside")
        if paint.own_color is not None:
            background = background.blend(Color.parse(paint.own_color), self.SPAN_TINT)
            text = foreground
            if _contrast(foreground, background) < 4.5:
                text = background.get_contrast_text(1.0)
            style += Style(color=text.rich_color, bgcolor=background.rich_color)
        if paint.muted_color is not None:
            color = _readable(Color.parse(paint.muted_color), background, foreground)
            style += Style(color=color.rich_color, underline=True)
        if paint.suggested is not None:
            suggested_color, strength = paint.suggested
            color = _readable(Color.parse(suggested_color), background, foreground)
            style += Style(color=color.rich_color, italic=True, underline2=strength == "strong",
                           underline=strength == "weak", dim=strength == "weak")
        if paint.selected:
            style += self.get_component_rich_style("transcript-view--selection")
        if paint.cursor:
            style += self.get_component_rich_style("transcript-view--cursor")
        self._styles[paint] = style
        return style

    def _gutter_style(self, color: str, muted: bool) -> Style:
        key = (color, muted)
        style = self._gutter_styles.get(key)
        if style is not None:
            return style
        gutter = self.get_component_rich_style("transcript-view--gutter")
        code_color = Color.parse(color)
        if muted:
            background, foreground = self._theme_colors()
            if gutter.bgcolor is not None:
                gutter_background = Color.from_rich_color(gutter.bgcolor)
                if gutter_background.ansi is None:
                    background = gutter_background
            readable = _readable(code_color, background, foreground)
            style = gutter + Style(color=readable.rich_color, underline=True)
        else:
            text = code_color.get_contrast_text(1.0)
            style = gutter + Style(color=text.rich_color, bgcolor=code_color.rich_color, bold=True)
        self._gutter_styles[key] = style
        return style

    # -- mouse ----------------------------------------------------------------------------------------

    def _offset_at_pointer(self, event: events.MouseEvent) -> int | None:
        """The offset under the pointer; rows above or below the text clamp to its ends."""
        layout = self._layout
        if layout is None or not layout.row_count:
            return None
        position = event.get_content_offset_capture(self)
        row = int(self.scroll_y) + position.y
        if row < 0:
            return layout.row_span(0)[0]
        if row >= layout.row_count:
            return layout.row_span(layout.row_count - 1)[1]
        return layout.offset_at(row, position.x - self.GUTTER_WIDTH)

    def _character_end(self, offset: int) -> int:
        """End of the character starting at `offset`, or `offset` itself at the end of a row."""
        layout = self._layout
        assert layout is not None
        row_start, row_end = layout.row_span(layout.row_of(offset))
        return layout.grapheme_end(offset) if row_start <= offset < row_end else offset

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Caret on the pressed character; a drag may follow."""
        if event.button != 1:
            return
        offset = self._offset_at_pointer(event)
        if offset is None:
            return
        self._drag_origin = offset
        self._dragged = False
        self.capture_mouse()
        self._set_selection(offset, offset, reveal=False)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """While dragging: select from the pressed character to the one under the pointer."""
        origin = self._drag_origin
        if origin is None:
            return
        y = event.get_content_offset_capture(self).y
        if y < 0:
            self.scroll_to(y=max(0, self.scroll_y - 1), animate=False)
        elif y >= self._page_height():
            self.scroll_to(y=min(self.max_scroll_y, self.scroll_y + 1), animate=False)
        offset = self._offset_at_pointer(event)
        if offset is None or (offset == origin and not self._dragged):
            return
        self._dragged = True
        if offset >= origin:
            self._set_selection(origin, self._character_end(offset), reveal=False)
        else:
            self._set_selection(self._character_end(origin), offset, reveal=False)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """End a drag."""
        if self._drag_origin is not None:
            self._drag_origin = None
            self.release_mouse()

    def on_click(self, event: events.Click) -> None:
        """Double click: the sentence; triple click: the turn's speech."""
        if event.chain < 2:
            return
        offset = self._offset_at_pointer(event)
        if offset is None:
            return
        if event.chain == 2:
            sentence = self._structure.sentence_at(offset)
            if sentence is not None:
                self._set_selection(sentence.start, sentence.end, reveal=False)
        else:
            index = self._structure.turn_index_at(offset)
            if index is not None:
                turn = self._structure.turns[index]
                self._set_selection(turn.start, turn.end, reveal=False)
