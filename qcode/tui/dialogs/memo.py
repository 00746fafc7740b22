"""Write or edit a memo (on a coding, a transcript or a code). An empty memo removes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from qcode.i18n import _
from qcode.tui import bindings
from qcode.tui.shown import name_markup, visible_controls, visible_name


class MemoDialog(ModalScreen[str | None]):
    """Returns the memo text (Ctrl+S) or None (Escape)."""

    BINDINGS = bindings.MEMO_DIALOG

    def __init__(self, title: str, text: str = "", *, context: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.context = context

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo-dialog"):
            yield Label(f"[b]{visible_name(self.title_text)}[/b]")
            if self.context:
                shown = " ".join(self.context.split())
                yield Label(f"[dim]“{name_markup(shown[:160])}{'…' if len(shown) > 160 else ''}”[/dim]", classes="hint")
            # A memo from an old project or another program may hold control characters: shown, never sent.
            yield TextArea(visible_controls(self.text), soft_wrap=True, id="memo-text", show_line_numbers=False)
            yield Label("[dim]" + _("Ctrl+S save · Escape cancel · an empty memo is removed") + "[/dim]", classes="hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        edited = self.query_one(TextArea).text
        self.dismiss(self.text if edited == visible_controls(self.text) else edited)

    def action_cancel(self) -> None:
        self.dismiss(None)
