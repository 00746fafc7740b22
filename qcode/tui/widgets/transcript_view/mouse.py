"""Selecting with the mouse in the transcript view (a mixin of `TranscriptView`).

A click puts the caret before the clicked character (the right half of a wide character counts as that
character); a click in the gutter goes to the start of the row, past the end of a row to its end.
Dragging selects from the pressed character to the one under the pointer, both included; with the
pointer above or below the widget each movement scrolls one row. A double click selects the sentence, a
triple click the turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

from qcode.tui.text_layout import TextLayout
from qcode.tui.widgets.transcript_view.document import Document

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView as _View
else:
    _View = object  # a mixin: the view (a ScrollView) supplies scrolling and mouse capture


class MouseSelection(_View):
    """Click, drag, double and triple click."""

    # What this part uses of the view (see widget.py and keys.py).
    _document: Document
    _layout: TextLayout | None
    GUTTER_WIDTH: int
    _drag_origin: int | None = None
    _dragged: bool = False

    if TYPE_CHECKING:

        def _set_selection(self, anchor: int, head: int, *, reveal: bool = True, top: int | None = None) -> None: ...

        def _page_height(self) -> int: ...

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
        structure = self._document.structure
        if event.chain == 2:
            sentence = structure.sentence_at(offset)
            if sentence is not None:
                self._set_selection(sentence.start, sentence.end, reveal=False)
        else:
            index = structure.turn_index_at(offset)
            if index is not None:
                turn = structure.turns[index]
                self._set_selection(turn.start, turn.end, reveal=False)

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
