"""Choose one of a few options (e.g. which of overlapping codings to remove)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from qcode.tui import bindings
from qcode.tui.shown import visible_controls, visible_name


def when_chosen(then: Callable[[str], object]) -> Callable[[str | None], None]:
    """A dialog's callback that runs `then(choice)` unless the dialog was cancelled (None)."""

    def callback(choice: str | None) -> None:
        if choice is not None:
            then(choice)

    return callback


class ChoiceDialog(ModalScreen[str | None]):
    """Returns the chosen option's id, or None."""

    BINDINGS = bindings.DIALOG

    def __init__(self, question: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.question = question
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # Questions and labels name codes, coders and transcripts: control characters shown, never sent.
            yield Label(f"[b]{visible_controls(self.question)}[/b]")
            yield OptionList(*(Option(visible_name(label), id=key) for key, label in self.options))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
