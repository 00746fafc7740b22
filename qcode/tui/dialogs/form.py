"""A few labelled one-line fields (a code's names, definition, keywords ...); returns their values."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from qcode.tui import bindings
from qcode.i18n import _
from qcode.tui.shown import visible_name


class FormDialog(ModalScreen[dict[str, str] | None]):
    """Returns {field: value} (Ctrl+S, or Enter in the last field) or None (Escape)."""

    # Priority: the scrolling container around the fields would otherwise take ↑/↓ to scroll.
    BINDINGS = [*bindings.FORM_DIALOG, Binding("down", "app.focus_next", show=False, priority=True),
                Binding("up", "app.focus_previous", show=False, priority=True)]

    def __init__(self, title: str, fields: list[tuple[str, str, str]], *, hint: str = "") -> None:
        """`fields` are (key, label, current value)."""
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Label(f"[b]{visible_name(self.title_text)}[/b]")
            if self.hint:
                yield Label(f"[dim]{self.hint}[/dim]", classes="hint")
            with VerticalScroll(classes="form-fields"):
                for key, label, value in self.fields:
                    yield Label(visible_name(label))
                    # Typing edits the text rather than replacing it (a rename changes a word or two). A name
                    # from an old project may hold control characters: shown, never sent to the terminal.
                    yield Input(visible_name(value), id=f"field-{key}", select_on_focus=False)
            yield Label("[dim]" + _("Enter or ↓ next field · ↑ previous · Ctrl+S save · Escape cancel") + "[/dim]",
                        classes="hint")

    def on_mount(self) -> None:
        first = self.query(Input).first()
        first.focus()
        first.cursor_position = len(first.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index == len(inputs) - 1:
            self.action_save()
        else:
            inputs[index + 1].focus()

    def action_save(self) -> None:
        self.dismiss({key: self.query_one(f"#field-{key}", Input).value for key, _, _ in self.fields})

    def action_cancel(self) -> None:
        self.dismiss(None)
