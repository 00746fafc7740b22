"""Asked once: the coder's name, under which their codings are stored (remembered in the user config),
and the interface language, which switches this dialog at once and every screen after it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, RadioSet

from qcode.i18n import _, current_language, set_language
from qcode.tui import bindings
from qcode.tui.screen_base import QcodeDialog
from qcode.tui.widgets.marked_radio import MarkedRadioButton
from qcode.userconfig import save_language

LANGUAGE_NAMES = {"zh": "简体中文", "en": "English"}  # each in its own language, never translated


class CoderNameDialog(QcodeDialog[str | None]):
    """Returns the name typed, or None if the coder cancels (the app then quits)."""

    BINDINGS = bindings.DIALOG

    def __init__(self) -> None:
        super().__init__()
        self.language_changed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(id="coder-title")
            yield Label(classes="hint", id="coder-hint")
            yield Input(id="coder-name")
            yield Label(id="language-title")
            with RadioSet(id="language"):
                for lang, name in LANGUAGE_NAMES.items():
                    yield MarkedRadioButton(name, value=lang == current_language(), id=f"language-{lang}")

    def on_mount(self) -> None:
        self._show_texts()
        self.query_one("#coder-name", Input).focus()

    def _show_texts(self) -> None:
        self.query_one("#coder-title", Label).update("[b]" + _("Who is coding?") + "[/b]")
        self.query_one("#coder-hint", Label).update(
            _("Your codings are stored under this name; other coders' codings are kept apart. "
              "qcode remembers it (change it with --coder or in your settings)."))
        self.query_one("#coder-name", Input).placeholder = _("your name, e.g. 王芳 or ann")
        self.query_one("#language-title", Label).update(_("Language (Tab, then ↑/↓):"))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        lang = (event.pressed.id or "").removeprefix("language-")
        if lang in LANGUAGE_NAMES and lang != current_language():
            set_language(lang)
            self.language_changed = True
            self._show_texts()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.notify(_("Please type a name"), severity="warning")
            return
        if self.language_changed and self.qapp.remember_coder:
            save_language(current_language(), self.qapp.user_config.path)
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
