"""The transcript view's selection and the keys that move or extend it (a mixin of `TranscriptView`).

Selection
    An `anchor` and a `head`, both caret offsets; the selection is `[min, max)` (`selection` is a domain
    `Span`, empty when collapsed). Moving commands (next sentence, next turn, next coding, page, top,
    bottom, a click) set both; extending commands move only the head, so the selection can grow, shrink
    and cross the anchor. `target_span()` is what "apply code" applies to: the selection, or when it is
    empty the sentence under the caret. A document opens with its first sentence selected. Every change
    posts `TranscriptView.SelectionChanged`, and so does `load` (not the constructor: read `selection` on
    mount).

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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qcode.domain.models import Span
from qcode.tui.text_layout import TextLayout
from qcode.tui.widgets.transcript_view.document import Document

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView as _View
else:
    _View = object  # a mixin: the view (a ScrollView) supplies scrolling


class SelectionKeys(_View):
    """Selection state, the key actions on it, and scrolling the selection into view."""

    # What this part uses of the view (see widget.py): the document, its layout, and re-drawing rows.
    _document: Document
    _layout: TextLayout | None
    _anchor: int
    _head: int
    _pending_scroll: tuple[int, bool] | None

    if TYPE_CHECKING:

        def _forget_span(self, start: int, end: int) -> None: ...

        def _announce_selection(self, *, reveal: bool, top: int | None) -> None: ...

    # Speakers whose turns "next uncoded turn" passes over (interviewers; set by the coding screen).
    skipped_speakers: frozenset[str] = frozenset()

    # -- the selection --------------------------------------------------------------------------------

    @property
    def anchor(self) -> int:  # type: ignore[override]  # the selection's anchor (public since before Textual's Widget.anchor(), which this view never uses)
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
        sentence = self._document.structure.sentence_at(self._head)
        return sentence if sentence is not None else selection

    def select(self, span: Span, *, scroll: bool = True) -> None:
        """Select `span` (anchor at its start, head at its end) and scroll it into view."""
        end = min(span.end, len(self._document.text))
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

    # -- actions: moving ------------------------------------------------------------------------------

    def action_next_sentence(self) -> None:
        """Select the first sentence starting at or after the selection's end (or the caret)."""
        sentence = self._document.structure.sentence_starting_at_or_after(self.selection.end)
        if sentence is not None:
            self._set_selection(sentence.start, sentence.end)

    def action_previous_sentence(self) -> None:
        """Select the last sentence ending at or before the selection's start (or the caret)."""
        sentence = self._document.structure.sentence_ending_at_or_before(self.selection.start)
        if sentence is not None:
            self._set_selection(sentence.start, sentence.end)

    def action_next_turn(self) -> None:
        """Select the speech of the first turn starting at or after the selection's end."""
        index = self._document.structure.turn_body_starting_at_or_after(self.selection.end)
        if index is not None:
            self._select_turn_body(index)

    def action_previous_turn(self) -> None:
        """Select the speech of the last turn ending at or before the selection's start."""
        index = self._document.structure.turn_body_ending_at_or_before(self.selection.start)
        if index is not None:
            self._select_turn_body(index)

    def action_select_turn(self) -> None:
        """Select all of the speech of the turn under the caret."""
        index = self._document.structure.turn_index_at(self._head)
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
        highlight = self._document.highlights.next_own(selection.start, selection.end)
        if highlight is not None:
            self._set_selection(highlight.start, highlight.end)

    def action_previous_highlight(self) -> None:
        """Select the previous own coding before the selection, in `(start, end)` order."""
        selection = self.selection
        highlight = self._document.highlights.previous_own(selection.start, selection.end)
        if highlight is not None:
            self._set_selection(highlight.start, highlight.end)

    def action_next_uncoded_turn(self) -> None:
        """Select the speech of the next turn (after the caret's turn) with no own coding in it."""
        structure = self._document.structure
        for index in range(structure.turn_index_after(self._head), len(structure.turns)):
            turn = structure.turns[index]
            if turn.speaker and turn.speaker in self.skipped_speakers:
                continue
            if turn.end > turn.start and not self._document.highlights.has_own_within(turn.start, turn.end):
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
        self._extend_to(self._document.structure.sentence_end_after(self._head))

    def action_extend_sentence_backward(self) -> None:
        """Move the head to the previous sentence start."""
        self._extend_to(self._document.structure.sentence_start_before(self._head))

    def action_extend_turn_forward(self) -> None:
        """Move the head to the next end of a turn's speech."""
        self._extend_to(self._document.structure.turn_end_after(self._head))

    def action_extend_turn_backward(self) -> None:
        """Move the head to the previous start of a turn's speech."""
        self._extend_to(self._document.structure.turn_start_before(self._head))

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
        turn = self._document.structure.turns[index]
        self._set_selection(turn.start, turn.end)

    def _page(self, direction: int) -> None:
        """Scroll a whole page and take the caret along, on the same screen row (as editors do); a caret
        out of view (after scrolling with the mouse) is brought into view."""
        layout = self._layout
        if layout is None or not layout.row_count:
            return
        page = self._page_height()
        row, column = layout.position_of(self._head)
        target_row = max(0, min(layout.row_count - 1, row + direction * page))
        caret = layout.offset_at(target_row, column)
        old_top = int(self.scroll_y)
        top = max(0, min(self.max_scroll_y, old_top + direction * page))
        on_screen = old_top <= row < old_top + page
        self._set_selection(caret, caret, reveal=not on_screen, top=top)

    # -- changing the selection and keeping it in view ------------------------------------------------

    def _set_selection(self, anchor: int, head: int, *, reveal: bool = True, top: int | None = None) -> None:
        """Select `anchor`..`head`; scroll the view to row `top` if given, then (with `reveal`) as little as
        needed to show the selection. The screen hears of the change before the view is re-drawn."""
        if (anchor, head) == (self._anchor, self._head):
            if top is not None:
                self.scroll_to(y=top, animate=False)
            if reveal:
                self._reveal_selection()
            return
        old = self.selection
        self._anchor, self._head = anchor, head
        self._forget_span(old.start, old.end)
        selection = self.selection
        self._forget_span(selection.start, selection.end)
        self._announce_selection(reveal=reveal, top=top)

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
