"""`TranscriptView`: the widget, its public interface, and drawing (the Toolong pattern).

The view is a `ScrollView` whose `render_line` draws only the visible rows. The text is laid out once
per width by `qcode.tui.text_layout` (word wrap by terminal cells); each row is drawn (rows.py) into a
`Strip` that is cached until something it shows changes. A key press re-draws only the rows whose
selection changed; adding or removing a highlight re-draws only the rows it covers. Each turn starts on
a new row, with a blank row before it when the widget is at least `ROOMY_WIDTH` columns wide.

The selection and its keys are in keys.py, the mouse in mouse.py, the styles in palette.py.

Ambiguous width
    rich counts “ ” … — · as one cell; terminals set to draw them wide would shift every row.
    `set_ambiguous_wide(True)` lays them out as two cells and tells Textual each row's real width.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qcode.domain.models import Span
from qcode.tui import bindings
from qcode.tui.text_layout import TextLayout
from qcode.tui.transcript_model import Highlight, Spanned, Turn
from qcode.tui.widgets.transcript_view import rows
from qcode.tui.widgets.transcript_view.document import Document, within_text
from qcode.tui.widgets.transcript_view.keys import SelectionKeys
from qcode.tui.widgets.transcript_view.mouse import MouseSelection
from qcode.tui.widgets.transcript_view.palette import COMPONENTS, Palette
from qcode.tui.widgets.transcript_view.row_cache import RowCache
from qcode.tui.widgets.transcript_view.rows import RowPainter


class TranscriptView(SelectionKeys, MouseSelection, ScrollView, can_focus=True):
    """A read-only view of one transcript with speaker turns, codings and a selection.

    Construct it with the transcript, or construct it empty and call `load`. See the modules of this
    package for what it draws (rows.py, palette.py), the selection model and keys (keys.py) and the
    mouse (mouse.py).
    """

    ALLOW_SELECT = False  # the view has its own selection; Textual's text selection would fight it

    COMPONENT_CLASSES: ClassVar[set[str]] = set(COMPONENTS)

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

    MARKS_WIDTH: ClassVar[int] = rows.MARKS_WIDTH
    TIME_WIDTH: ClassVar[int] = rows.TIME_WIDTH
    GUTTER_WIDTH: int = rows.MARKS_WIDTH
    """Cells left of the text: the time column (when the transcript has turn times) and the marks."""
    MAX_MARKERS: ClassVar[int] = rows.MAX_MARKERS
    ROOMY_WIDTH: ClassVar[int] = 100
    """From this widget width on, a blank row separates turns."""
    SPAN_TINT: ClassVar[float] = 0.35
    """Share of a code's colour in the background of its spans (the rest is the widget background)."""
    STRIP_CACHE_SIZE: ClassVar[int] = 160
    """Rows kept drawn: at least `STRIP_PAGES` screens (what is shown and what a key or two brings in). Each
    cached `Strip` carries Textual's own caches (some KB), so a thousand of them took 3 MiB more."""
    STRIP_PAGES: ClassVar[int] = 4

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
        self._strips = RowCache(self.STRIP_CACHE_SIZE)
        self._palette: Palette | None = None
        self._painter: RowPainter | None = None
        # Selection changes waiting for `_scroll_and_repaint`: scroll to a row, reveal, rows to re-draw.
        self._repaint_queued = False
        self._pending_top: int | None = None
        self._pending_reveal = False
        self._dirty_rows: tuple[int, int] | None = None
        self._load(Document.build(text, turns, sentences, highlights))

    # -- document -------------------------------------------------------------------------------------

    def load(
        self,
        text: str,
        turns: Sequence[Turn],
        sentences: Sequence[Spanned],
        highlights: Iterable[Highlight] = (),
    ) -> None:
        """Show another transcript; the selection becomes its first sentence."""
        self._load(Document.build(text, turns, sentences, highlights))
        if self.is_mounted:
            self._relayout()
            self.scroll_to(y=0, animate=False)
            self.refresh()
            self._post_selection()

    def _load(self, document: Document) -> None:
        self._document = document
        self.GUTTER_WIDTH = rows.gutter_width(document)
        first = document.structure.first_sentence()
        self._anchor, self._head = (first.start, first.end) if first else (0, 0)
        self._layout = None
        self._pending_scroll: tuple[int, bool] | None = None
        self._forget_rows()

    @property
    def text(self) -> str:
        """The canonical text shown."""
        return self._document.text

    @property
    def turns(self) -> Sequence[Turn]:
        return self._document.structure.turns

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

    # -- highlights -----------------------------------------------------------------------------------

    @property
    def highlights(self) -> list[Highlight]:
        """All highlights shown, in the order they were applied."""
        index = self._document.highlights
        return sorted(index, key=index.order)

    def set_highlights(self, highlights: Iterable[Highlight]) -> None:
        """Replace all highlights (re-draws every row)."""
        self._document.set_highlights(highlights)
        self._forget_rows()
        self.refresh()

    def add_highlight(self, highlight: Highlight) -> None:
        """Show one more highlight (or replace the one with the same key); re-draws only its rows."""
        (highlight,) = within_text([highlight], len(self._document.text))
        replaced = self._document.highlights.add(highlight)
        if replaced is not None:
            self._refresh_span(replaced.start, replaced.end)
        self._refresh_span(highlight.start, highlight.end)

    def remove_highlight(self, key: str) -> bool:
        """Stop showing the highlight with `key`; False if there was none. Re-draws only its rows."""
        removed = self._document.highlights.remove(key)
        if removed is None:
            return False
        self._refresh_span(removed.start, removed.end)
        return True

    def highlights_at(self, offset: int) -> list[Highlight]:
        """Highlights containing `offset`, in the order they were applied."""
        return self._document.highlights.at(offset)

    def _post_selection(self) -> None:
        self.post_message(self.SelectionChanged(self, self.selection))

    def _announce_selection(self, *, reveal: bool, top: int | None) -> None:
        """Tell the screen of a new selection, then scroll and re-draw the rows it changed.

        The message goes straight to the screen and the re-drawing is queued behind it there, so what the
        screen shows about the selection (a status line, a side pane) and the rows change in one
        compositor update instead of two. Detached (no screen), the view re-draws at once."""
        self._pending_reveal = self._pending_reveal or reveal
        if top is not None:
            self._pending_top = top
        message = self.SelectionChanged(self, self.selection)
        if not self.is_attached:
            self.post_message(message)
            self._scroll_and_repaint()
            return
        screen = self.screen
        screen.post_message(message)
        if not self._repaint_queued:
            self._repaint_queued = True
            screen.call_later(self._scroll_and_repaint)

    def _scroll_and_repaint(self) -> None:
        """Do the scrolling and re-drawing that selection changes asked for (see `_announce_selection`)."""
        self._repaint_queued = False
        top, self._pending_top = self._pending_top, None
        reveal, self._pending_reveal = self._pending_reveal, False
        dirty, self._dirty_rows = self._dirty_rows, None
        if top is not None:
            self.scroll_to(y=top, animate=False)
        if reveal:
            self._reveal_selection()
        if dirty is not None:
            self._repaint_rows(*dirty)

    # -- layout ---------------------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """A new width needs a new layout (a new height does not, only room for more cached rows)."""
        self._strips.grow(self.STRIP_PAGES * self.size.height)
        self._relayout()

    def notify_style_update(self) -> None:
        """Styles (theme, focus) changed: cached strips and styles are stale."""
        super().notify_style_update()
        self._palette = None
        self._forget_rows()

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
        document = self._document
        self._layout = TextLayout(
            document.text,
            document.blocks,
            width,
            tab_size=self._tab_size,
            ambiguous_wide=self._ambiguous_wide,
            block_gap=block_gap,
        )
        self._forget_rows()
        self.virtual_size = Size(self.scrollable_content_region.width, self._layout.row_count)
        if caret_screen_row is not None:
            top = self._layout.row_of(self._head) - caret_screen_row
            self.scroll_to(y=max(0, min(top, self.max_scroll_y)), animate=False)
        elif self._pending_scroll is not None:
            offset, center = self._pending_scroll
            self._pending_scroll = None
            self.call_after_refresh(self.scroll_to_offset, offset, center=center)
        self.refresh()

    # -- drawing --------------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw row `scroll_y + y` (from the cache when nothing in it changed)."""
        row = int(self.scroll_y) + y
        painter = self._row_painter()
        if painter is None:
            return Strip.blank(self.scrollable_content_region.width, self.rich_style)
        if row >= painter.layout.row_count:
            return painter.blank(self.scrollable_content_region.width)
        strip = self._strips.get(row)
        if strip is None:
            strip = painter.row(row, self._anchor, self._head)
            self._strips.set(row, strip)
        return strip

    def _row_painter(self) -> RowPainter | None:
        """The painter for the current document, layout and styles (None before the first layout)."""
        layout = self._layout
        if layout is None:
            return None
        painter = self._painter
        if painter is None or painter.layout is not layout or painter.document is not self._document:
            painter = self._painter = RowPainter(self._document, layout, self._current_palette())
        return painter

    def _current_palette(self) -> Palette:
        palette = self._palette
        if palette is None:
            components = {name: self.get_component_rich_style(name) for name in COMPONENTS}
            palette = self._palette = Palette(self.rich_style, components, dark=self.app.current_theme.dark,
                                              span_tint=self.SPAN_TINT)
        return palette

    def _forget_rows(self) -> None:
        """Every cached row is stale (new document, layout, highlights or styles)."""
        self._strips.clear()
        self._painter = None

    def _refresh_span(self, start: int, end: int) -> None:
        """Forget the cached strips of the rows drawing `[start, end)` and re-draw the visible ones."""
        rows = self._forget_rows_of(start, end)
        if rows is not None:
            self._repaint_rows(*rows)

    def _forget_span(self, start: int, end: int) -> None:
        """Forget the cached strips of the rows drawing `[start, end)`; re-draw them with the next
        `_scroll_and_repaint`."""
        rows = self._forget_rows_of(start, end)
        if rows is not None:
            dirty = self._dirty_rows
            self._dirty_rows = rows if dirty is None else (min(dirty[0], rows[0]), max(dirty[1], rows[1]))

    def _forget_rows_of(self, start: int, end: int) -> tuple[int, int] | None:
        """Forget the cached strips of the rows drawing `[start, end)`; those rows (first, last), if any."""
        layout = self._layout
        if layout is None or not layout.row_count:
            return None
        first, last = layout.rows_of(start, end)
        if last - first + 1 <= len(self._strips):
            for row in range(first, last + 1):
                self._strips.discard(row)
        else:
            for row in [row for row in self._strips.keys() if first <= row <= last]:
                self._strips.discard(row)
        return first, last

    def _repaint_rows(self, first: int, last: int) -> None:
        """Re-draw the visible rows among `first..last`."""
        top = int(self.scroll_y)
        visible_first = max(first, top)
        visible_last = min(last, top + self._page_height() - 1)
        if visible_first <= visible_last:
            self.refresh_lines(visible_first, visible_last - visible_first + 1)
