"""Ask for one line of text (a filter, attribute values); Enter accepts, Escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from qcode.tui import bindings
from qcode.tui.shown import visible_name


class LineInputDialog(ModalScreen[str | None]):
    """Returns the text entered (Enter) or None (Escape)."""

    BINDINGS = bindings.DIALOG

    def __init__(self, title: str, value: str = "", *, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"[b]{visible_name(self.title_text)}[/b]")
            yield Input(visible_name(self.value), id="line-input")
            if self.hint:
                yield Label(f"[dim]{self.hint}[/dim]", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
