"""Control characters: refused where a name is made, shown harmlessly wherever text is drawn.

Names (coders, transcripts, persons, codes, attributes) and memos reach a terminal. An escape sequence in
them can clear the screen, retitle the window or move the cursor; a bidi override (U+202E) makes text read
backwards. So a new name holding any of them is refused, and text that already holds them (old projects,
other programs' files, transcripts) is drawn with each such character replaced by a visible one.

The characters: C0 controls (tab and line feed only where a text may hold them), DEL, C1 controls (the
8-bit escape U+009B among them), the line and paragraph separators in names, and the bidi embeddings,
overrides and isolates U+202A–U+202E and U+2066–U+2069.
"""

from __future__ import annotations

import re

from qcode.errors import InputError
from qcode.i18n import _

_BIDI = "\u202a-\u202e\u2066-\u2069"
_IN_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_IN_NAME = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085{_BIDI}]")

# C0 controls become their Unicode "control pictures" (ESC shows as ␛), DEL becomes ␡, C1 controls and
# bidi controls become �. One character for one, so offsets into the text stay valid.
_VISIBLE = {code: 0x2400 + code for code in range(0x20)}
_VISIBLE[0x7F] = 0x2421
_VISIBLE.update({code: 0xFFFD for code in range(0x80, 0xA0)})
_VISIBLE.update({code: 0xFFFD for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_VISIBLE.update({0x2028: 0x2424, 0x2029: 0x2424})
_VISIBLE_IN_TEXT = {code: to for code, to in _VISIBLE.items() if code not in (0x09, 0x0A)}


def first_control(text: str, *, multiline: bool = False) -> str | None:
    """The first control character in `text` as `U+001B`, or None. A `multiline` text (a memo, a
    definition) may hold tabs and line feeds; a name may not."""
    found = (_IN_TEXT if multiline else _IN_NAME).search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def visible_controls(text: str) -> str:
    """`text` with every control character but tab and line feed shown as a harmless visible character."""
    return text.translate(_VISIBLE_IN_TEXT) if _IN_TEXT.search(text) else text


def visible_name(text: str) -> str:
    """A name for one line of a screen: every control character, tab and line feed included, shown as a
    visible character."""
    return text.translate(_VISIBLE) if _IN_NAME.search(text) else text


def without_controls(name: str) -> str:
    """`name` with its control characters removed (for names read from other programs' files)."""
    return _IN_NAME.sub("", name) if _IN_NAME.search(name) else name


def check_name(what: str, name: str) -> None:
    """Refuse a new name holding a control character; `what` says whose name it is ("the coder name")."""
    code = first_control(name)
    if code is not None:
        raise InputError(_("{what} '{name}' contains the control character {code}; names may not hold control "
                           "characters or bidi overrides").format(what=what, name=visible_name(name), code=code))
