"""Project text as the widgets show it: names and memos from old projects or other programs' files may hold
escape sequences or bidi overrides, which must never reach the terminal raw, and `[` which must never be
read as markup. New names with control characters are refused where they are made (see
`qcode.domain.control_chars`); this is for what got in before or came from elsewhere."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

from qcode.domain.control_chars import visible_controls, visible_name

__all__ = ["name_markup", "text_markup", "visible_controls", "visible_name", "visible_text"]


def name_markup(name: object) -> str:
    """A name for markup (a Static, a Label, a DataTable cell): on one line, control characters shown."""
    return escape(visible_name(str(name)))


def text_markup(text: object) -> str:
    """A memo or passage for markup: line breaks kept, other control characters shown."""
    return escape(visible_controls(str(text)))


def visible_text(text: Text) -> Text:
    """A Rich `Text` built from project data, with its control characters shown (tab and line feed kept).
    One character for one, so its styles stay where they were."""
    shown = visible_controls(text.plain)
    if shown != text.plain:
        text.plain = shown
    return text
