"""Text on its way out of qcode, to a terminal or a spreadsheet, made harmless.

Transcripts, memos and names come from other people's files. Sent raw to a terminal, an escape sequence
in them can recolour, move the cursor, retitle the window or worse; opened in Excel, a CSV cell that
starts with `=`, `+`, `-` or `@` runs as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import re

from qcode.domain.control_chars import visible_controls

__all__ = ["spreadsheet_safe", "spreadsheet_unescape", "visible_controls"]

# A cell a spreadsheet would read as a formula: starts with = + - @, tab or carriage return. Quotes in
# front are counted so that escaping can be undone exactly (see `spreadsheet_unescape`).
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_START = re.compile(r"'+[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell value that no spreadsheet runs as a formula: text starting with `= + - @`, tab or CR
    gets a leading `'` (OWASP's advice; Excel hides it). Numbers, and text that is a plain number such as
    `-0.25`, stay as they are."""
    if isinstance(value, str) and _FORMULA_START.match(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_unescape(value: str) -> str:
    """The text `spreadsheet_safe` was given (for reading back a CSV qcode wrote)."""
    if _ESCAPED_START.match(value) and not _PLAIN_NUMBER.fullmatch(value[1:]):
        return value[1:]
    return value
