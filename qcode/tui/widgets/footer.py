"""Textual's footer, with each key's description in the interface language, showing only keys that fit.

Binding descriptions are English message ids (marked with `N_` in `qcode.tui.bindings`); Textual
copies bindings when screens are defined, so they are translated here, where they are shown.

A key cut off at the right edge is worse than a key left out (every key is on the help screen, `?`),
so the footer shows as many whole keys as its width holds, chosen in this order: Help, then the keys
of the focused widget, the screen's keys, and last the app-wide ones (as Textual orders them). At 80
columns that is the few keys of the task at hand; a wider terminal shows more. Widths are counted in
screen cells (a Chinese character takes two).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from qcode.i18n import _

HELP_ACTION = "help"
KEY_PADDING = 3  # a space either side of the key and one after the description (FooterKey's own CSS)


@dataclass(frozen=True)
class ShownKey:
    binding: Binding
    key_display: str
    description: str
    enabled: bool
    tooltip: str

    @property
    def cells(self) -> int:
        return cell_len(self.key_display) + cell_len(self.description) + KEY_PADDING


def fitting(keys: list[ShownKey], width: int) -> list[ShownKey]:
    """The keys that fit in `width` cells, Help first, then in the order given; shown in the order given."""
    ranked = sorted(range(len(keys)), key=lambda i: (keys[i].binding.action != HELP_ACTION, i))
    kept: set[int] = set()
    used = 0
    for index in ranked:
        if used + keys[index].cells <= width:
            kept.add(index)
            used += keys[index].cells
    return [key for index, key in enumerate(keys) if index in kept]


class Footer(TextualFooter):
    def __init__(self) -> None:
        # Ctrl+P (command palette) is an ordinary app key here, shown when there is room (app.palette).
        super().__init__(show_command_palette=False)
        self._composed_width = 0

    def candidates(self) -> list[ShownKey]:
        """The keys Textual would show, one per action, translated."""
        keys: dict[str, ShownKey] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = ShownKey(binding, self.app.get_key_display(binding), _(binding.description),
                                                enabled, _(tooltip) if tooltip else "")
        return list(keys.values())

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._composed_width = self.size.width or self.app.size.width
        for key in fitting(self.candidates(), self._composed_width):
            yield FooterKey(key.binding.key, key.key_display, key.description, key.binding.action,
                            disabled=not key.enabled, tooltip=key.tooltip).data_bind(compact=TextualFooter.compact)

    def on_resize(self, event: Resize) -> None:
        if self._bindings_ready and event.size.width != self._composed_width:
            self.call_after_refresh(self.recompose)
