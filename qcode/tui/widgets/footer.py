"""Textual's footer, with each key's description in the interface language.

Binding descriptions are English message ids (marked with `N_` in `qcode.tui.bindings`); Textual
copies bindings when screens are defined, so they are translated here, where they are shown.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from qcode.i18n import _


class Footer(TextualFooter):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description)
                if isinstance(widget.tooltip, str):
                    widget.tooltip = _(widget.tooltip)
            yield widget
