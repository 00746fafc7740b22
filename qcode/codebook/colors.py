"""Colours a codebook may give its codes: `#rgb`, `#rrggbb`, or one of a short list of names."""

from __future__ import annotations

import re

#: The colour names a codebook may use, with the CSS value each stands for.
NAMED_COLORS: dict[str, str] = {
    "red": "#ff0000",
    "crimson": "#dc143c",
    "maroon": "#800000",
    "brown": "#a52a2a",
    "orange": "#ffa500",
    "gold": "#ffd700",
    "yellow": "#ffff00",
    "olive": "#808000",
    "lime": "#00ff00",
    "green": "#008000",
    "teal": "#008080",
    "cyan": "#00ffff",
    "blue": "#0000ff",
    "navy": "#000080",
    "purple": "#800080",
    "violet": "#ee82ee",
    "magenta": "#ff00ff",
    "pink": "#ffc0cb",
    "gray": "#808080",
    "grey": "#808080",
    "silver": "#c0c0c0",
    "black": "#000000",
    "white": "#ffffff",
}

_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def parse_color(value: str) -> str | None:
    """`#rrggbb` in lower case for a valid colour (`#RGB` is expanded, names looked up), else None."""
    text = value.strip()
    if _HEX_COLOR.fullmatch(text):
        digits = text[1:].lower()
        if len(digits) == 3:
            digits = "".join(digit * 2 for digit in digits)
        return "#" + digits
    return NAMED_COLORS.get(text.lower())
