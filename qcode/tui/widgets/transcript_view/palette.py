"""The styles the transcript view draws with, worked out from the theme once and then looked up.

A `Palette` is made from the widget's own style, its component styles and whether the theme is dark;
the view makes a new one whenever its styles change (theme, focus) and keeps it otherwise, so drawing a
row reads no Textual style at all.

Own codings tint the background with the code's colour, blended into the widget's background so the
text stays readable on light and dark themes. Other coders' codings are drawn as underlined text in the
code's colour, made readable on the background; keyword suggestions italic, with a double underline
(strong) or a dim single one (weak). Colour maths is WCAG's (relative luminance, contrast ratio).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from rich.style import Style
from textual.color import Color

WHITE = Color(255, 255, 255)
BLACK = Color(0, 0, 0)

LABEL = "transcript-view--label"
ASIDE = "transcript-view--aside"
SELECTION = "transcript-view--selection"
CURSOR = "transcript-view--cursor"
GUTTER = "transcript-view--gutter"
COMPONENTS = frozenset({LABEL, ASIDE, SELECTION, CURSOR, GUTTER})


def luminance(color: Color) -> float:
    """WCAG relative luminance."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = color.rgb
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: Color, second: Color) -> float:
    """WCAG contrast ratio (1 to 21)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(color: Color, background: Color, fallback: Color, minimum: float = 3.0) -> Color:
    """`color`, moved towards `fallback` just far enough to be readable on `background`."""
    for step in (0.0, 0.2, 0.4, 0.6, 0.8):
        candidate = color.blend(fallback, step)
        if contrast(candidate, background) >= minimum:
            return candidate
    return fallback


class Paint(NamedTuple):
    """Everything that decides the style of a run of text.

    A tuple, so that the row painter can look a style up with a plain tuple of the same fields (equal
    tuples hash alike) without building a `Paint` for each run of text.
    """

    role: str  # "text", "label" or "aside"
    own_color: str | None
    muted_color: str | None
    selected: bool
    cursor: bool
    suggested: tuple[str, str] | None = None  # (colour, "strong" or "weak") of a keyword suggestion


PaintKey = tuple[str, str | None, str | None, bool, bool, tuple[str, str] | None]
"""A `Paint`'s fields as a plain tuple."""


class Palette:
    """Styles for runs of text and gutter marks, computed once per combination and cached."""

    def __init__(self, base: Style, components: Mapping[str, Style], *, dark: bool, span_tint: float) -> None:
        """`base` is the widget's style, `components` its component styles by class name, `span_tint`
        the share of a code's colour in the background of its spans."""
        self.base = base
        self.gutter = components[GUTTER]
        self._components = components
        self._span_tint = span_tint
        self._background, self._foreground = _plain_colors(base, dark)
        self._styles: dict[PaintKey, Style] = {}
        self._gutter_styles: dict[tuple[str, bool], Style] = {}

    def style(self, paint: PaintKey) -> Style:
        """The style of a run of text: a `Paint`, or a plain tuple of its six fields."""
        style = self._styles.get(paint)
        if style is None:
            style = self._styles[paint] = self._compose(Paint(*paint))
        return style

    def gutter_style(self, color: str, muted: bool) -> Style:
        """The style of a code's mark in the gutter: the code's colour as background (own coding), or
        underlined in it (another coder's coding, a suggestion)."""
        key = (color, muted)
        style = self._gutter_styles.get(key)
        if style is None:
            style = self._gutter_styles[key] = self._compose_gutter(color, muted)
        return style

    def _compose(self, paint: Paint) -> Style:
        background, foreground = self._background, self._foreground
        style = self.base
        if paint.role == "label":
            style += self._components[LABEL]
        elif paint.role == "aside":
            style += self._components[ASIDE]
        if paint.own_color is not None:
            background = background.blend(Color.parse(paint.own_color), self._span_tint)
            text = foreground
            if contrast(foreground, background) < 4.5:
                text = background.get_contrast_text(1.0)
            style += Style(color=text.rich_color, bgcolor=background.rich_color)
        if paint.muted_color is not None:
            color = readable(Color.parse(paint.muted_color), background, foreground)
            style += Style(color=color.rich_color, underline=True)
        if paint.suggested is not None:
            suggested_color, strength = paint.suggested
            color = readable(Color.parse(suggested_color), background, foreground)
            style += Style(color=color.rich_color, italic=True, underline2=strength == "strong",
                           underline=strength == "weak", dim=strength == "weak")
        if paint.selected:
            style += self._components[SELECTION]
        if paint.cursor:
            style += self._components[CURSOR]
        return style

    def _compose_gutter(self, color: str, muted: bool) -> Style:
        code_color = Color.parse(color)
        if muted:
            background = self._background
            if self.gutter.bgcolor is not None:
                gutter_background = Color.from_rich_color(self.gutter.bgcolor)
                if gutter_background.ansi is None:
                    background = gutter_background
            shown = readable(code_color, background, self._foreground)
            return self.gutter + Style(color=shown.rich_color, underline=True)
        text = code_color.get_contrast_text(1.0)
        return self.gutter + Style(color=text.rich_color, bgcolor=code_color.rich_color, bold=True)


def _plain_colors(base: Style, dark: bool) -> tuple[Color, Color]:
    """The widget's background and foreground as plain RGB (ANSI themes give no RGB to blend)."""
    background = Color.from_rich_color(base.bgcolor) if base.bgcolor is not None else None
    if background is None or background.ansi is not None:
        background = BLACK if dark else WHITE
    foreground = Color.from_rich_color(base.color) if base.color is not None else None
    if foreground is None or foreground.ansi is not None:
        foreground = WHITE if dark else BLACK
    return background, foreground
