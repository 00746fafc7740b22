"""A radio button whose mark differs in shape as well as colour, so the chosen item reads on a
monochrome terminal, in a screen reader's text and in a plain capture of the screen."""

from __future__ import annotations

from textual.widgets import RadioButton

CHOSEN, NOT_CHOSEN = "●", "○"


class MarkedRadioButton(RadioButton):
    def __init__(self, label: str, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(label, value, id=id)
        self.BUTTON_INNER = CHOSEN if value else NOT_CHOSEN

    def watch_value(self) -> None:
        # Textual draws BUTTON_INNER for both states and tells them apart by colour only.
        self.BUTTON_INNER = CHOSEN if self.value else NOT_CHOSEN
        super().watch_value()
