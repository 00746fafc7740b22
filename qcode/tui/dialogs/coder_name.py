"""Asked once: the coder's name, under which their codings are stored (remembered in the user config)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from qcode.tui import bindings


class CoderNameDialog(ModalScreen[str | None]):
    """Returns the name typed, or None if the coder cancels (the app then quits)."""

    BINDINGS = bindings.DIALOG

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("[b]Who is coding?[/b]")
            yield Label("Your codings are stored under this name; other coders' codings are kept apart. "
                        "qcode remembers it (change it with --coder or in your settings).", classes="hint")
            yield Input(placeholder="your name, e.g. 王芳 or ann", id="coder-name")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.notify("Please type a name", severity="warning")
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
