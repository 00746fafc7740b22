"""A few lines of markup in a side pane, drawn from strips made once per text.

The coding screen's "Here" pane changes on most Page Downs (where the caret is, which codings cover it).
A `Static` sends every update through Textual's visual pipeline for each of its rows, blank ones
included, on every frame that touches it; that was a fifth of a Page Down. This pane parses and wraps its
text once per update (or width), the way a Static does, and hands out the finished rows (issue 11 point 6).
It scrolls, as the Static did, when the text is taller than the pane; CSS such as `text-wrap: nowrap` and
`text-overflow: ellipsis` applies as it does to a Static.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.visual import RulesMap


class PaneText(ScrollView, can_focus=False):
    """Markup shown in rows made once per text and width; `update` repaints, or lays out if asked."""

    DEFAULT_CSS = """
    PaneText {
        height: auto;
        overflow-x: hidden;
    }
    """

    def __init__(self, markup: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._content = Content.from_markup(markup)
        self._rows: list[Strip] | None = None
        self._rows_width = -1

    def render(self) -> Content:
        """The text shown (rows are drawn by `render_line`; this is what Textual and tests ask for)."""
        return self._content

    def update(self, text: str | Content, *, layout: bool = False) -> None:
        """Show `text` (markup, or Content built by the caller); `layout` when the number of lines may
        change the pane's height."""
        shown_before = len(self._rows) if self._rows is not None else None
        self._content = text if isinstance(text, Content) else Content.from_markup(text)
        self._rows = None
        self._sync_virtual_size()
        if layout or shown_before is None or self.scroll_offset.y:
            self.refresh(layout=layout)
        else:
            # Only the rows with text, before or now: the blank rows below stay as they are (a pane of
            # twelve rows usually shows two or three lines).
            self.refresh_lines(0, max(shown_before, len(self._rendered_rows()), 1))

    def _rendered_rows(self) -> list[Strip]:
        """The text's rows at the pane's width, as a Static draws them (Textual's own `Visual.to_strips`)."""
        width = self.scrollable_content_region.width
        if self._rows is None or self._rows_width != width:
            rows: list[Strip] = []
            if self._content and width > 0:
                rows = self._rows_that_fit(width) or Visual.to_strips(self, self._content, width, None,
                                                                        self.visual_style, pad=True)
            self._rows = rows
            self._rows_width = width
        return self._rows

    def _rows_that_fit(self, width: int) -> list[Strip] | None:
        """The rows `Visual.to_strips` would make, made directly when there is nothing to wrap, cut, expand,
        align or link: every line fits the width, no tab, no `@click` action, no text selected, and the
        pane aligns left. That is the common case of the "Here" pane, and wrapping machinery costs twice
        the drawing (issue 11 point 6). None when any of that does not hold: Textual does the work then.
        The rows are the same segment for segment, styles and mouse offsets included
        (`tests/test_tui_pane_text.py`)."""
        content = self._content
        rules = self.styles
        if (
            "\t" in content.plain
            or rules.text_align not in ("start", "left")
            or rules.line_pad
            or rules.content_align != ("left", "top")
            or self.text_selection is not None
            or any(not isinstance(span.style, str) or "@" in span.style for span in content.spans)
        ):
            return None
        lines = content.split(allow_blank=True)
        if any(line.cell_length > width for line in lines):
            return None
        style = self.visual_style
        padding = (style + Style(reverse=False)).rich_style
        get_style = self._get_style
        rows = []
        for y, line in enumerate(lines):
            x = 0
            segments = []
            for text, text_style in line.render(style, end="", parse_style=get_style):
                segments.append(Segment(text, (style + text_style).rich_style_with_offset(x, y)))
                x += len(text)
            rows.append(Strip(segments, line.cell_length).extend_cell_length(width, padding))
        return rows

    def _sync_virtual_size(self) -> None:
        # Never less than the pane: a text that fits leaves the size as it was (no scrollbar to show or
        # hide, so no second screen update for the key that changed the text).
        region = self.scrollable_content_region
        self.virtual_size = Size(region.width, max(len(self._rendered_rows()), region.height))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # As Widget.get_content_height asks a visual (RenderStyles serves as the rules map there too).
        return self._content.get_height(cast("RulesMap", self.styles), width) if self._content else 0

    def on_resize(self) -> None:
        self._sync_virtual_size()

    def render_line(self, y: int) -> Strip:
        rows = self._rendered_rows()
        row = y + int(self.scroll_y)
        if row < len(rows):
            return rows[row]
        return Strip.blank(self.scrollable_content_region.width, self.visual_style.rich_style)
