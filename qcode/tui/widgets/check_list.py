"""A list of options to tick, whose boxes read without colour: `[x]` ticked, `[ ]` not.

Textual's SelectionList tells ticked from unticked by colour only, which some terminals, themes and
readers do not show. Space (or Enter, or a click) toggles the highlighted option.
"""

from __future__ import annotations
from qcode.i18n import N_

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from qcode.tui.shown import visible_text

TICKED = "[x] "
UNTICKED = "[ ] "


class CheckList(OptionList):
    """Options `(value, label, ticked)`; `ticked` is the list of ticked values, in option order."""

    BINDINGS = [Binding("space", "toggle_option", N_("Tick / untick"), show=False)]

    def __init__(self, items: list[tuple[str, str, bool]], **kwargs) -> None:
        self.labels = {value: label for value, label, _ in items}
        self.order = [value for value, _, _ in items]
        self.checked = {value for value, _, ticked in items if ticked}
        super().__init__(*(Option(self._prompt(value), id=value) for value in self.order), **kwargs)

    def _prompt(self, value: str) -> Text:
        box = TICKED if value in self.checked else UNTICKED
        return visible_text(Text.assemble((box, "bold"), self.labels[value]))

    @property
    def ticked(self) -> list[str]:
        return [value for value in self.order if value in self.checked]

    def set_ticked(self, values: set[str]) -> None:
        self.checked = set(values) & set(self.order)
        for index, value in enumerate(self.order):
            self.replace_option_prompt_at_index(index, self._prompt(value))

    def action_toggle_option(self) -> None:
        index = self.highlighted
        if index is None:
            return
        value = self.order[index]
        self.checked ^= {value}
        self.replace_option_prompt_at_index(index, self._prompt(value))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle_option()
