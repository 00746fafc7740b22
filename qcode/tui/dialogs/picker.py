"""The fuzzy code picker: type part of an id, a Chinese or English name, pinyin initials or a hotkey."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qcode.codebook.search import CodeMatcher
from qcode.domain.codebook import Codebook
from qcode.i18n import N_, _
from qcode.tui import bindings


class CodePicker(ModalScreen[str | None]):
    """Returns the chosen code id, or None."""

    BINDINGS = [
        *bindings.DIALOG,
        Binding("down", "move(1)", N_("Next"), show=False, id="picker.down"),
        Binding("up", "move(-1)", N_("Previous"), show=False, id="picker.up"),
    ]

    def __init__(self, matcher: CodeMatcher, codebook: Codebook) -> None:
        super().__init__()
        self.matcher = matcher
        self.codebook = codebook

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label("[b]" + _("Apply code") + "[/b]  [dim]"
                        + _("id, 中文名, English name, pinyin initials (hd → 互动) or hotkey") + "[/dim]")
            yield Input(placeholder=_("type to filter…"), id="picker-query")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._show("")
        self.query_one(Input).focus()

    def _label(self, code_id: str) -> Text:
        code = self.codebook[code_id]
        label = Text()
        label.append(f"{code.key or '':<3}", style="bold")
        label.append("■ ", style=self.codebook.color_of(code_id))
        label.append(self.codebook.display_name(code_id, "zh"))
        english = code.name.get("en") if "en" in code.name.languages else ""
        if english:
            label.append(f"  {english}", style="dim")
        label.append(f"  {code_id}", style="dim italic")
        return label

    def _show(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        matches = self.matcher.match(query)
        options.add_options([Option(self._label(m.code), id=m.code) for m in matches])
        if matches:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.app.bell()
            return
        self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
