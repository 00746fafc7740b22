"""Colours: parsing what a codebook may say, the default palette, and the bundled codebook's colours."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from qcode.codebook import load_codebook
from qcode.codebook.colors import NAMED_COLORS, parse_color
from qcode.domain.codebook import DEFAULT_PALETTE

BUNDLED = Path(__file__).resolve().parent.parent / "codebooks" / "nps-toe.yaml"
LIGHT, DARK = "#ffffff", "#1e1e1e"  # a white terminal, and a typical dark theme's background


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""

    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(color[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, from 1 (none) to 21 (black on white)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("#ABC", "#aabbcc"), ("#E15759", "#e15759"), (" teal ", "#008080"), ("Grey", "#808080"),
     ("#abcd", None), ("#ggg", None), ("reddish", None), ("", None)],
)  # fmt: skip
def test_parse_color(value, expected):
    assert parse_color(value) == expected


def test_named_colours_are_hex():
    assert all(parse_color(hex_value) == hex_value for hex_value in NAMED_COLORS.values())


def test_the_palette_is_readable_on_dark_and_light_and_neighbours_differ():
    assert len(DEFAULT_PALETTE) == len(set(DEFAULT_PALETTE)) == 24
    for color in DEFAULT_PALETTE:
        assert contrast(color, LIGHT) >= 3.2 and contrast(color, DARK) >= 3.2, color
    for a, b in pairwise(DEFAULT_PALETTE):
        # at least 80 of 255 apart in some channel, so adjacent codes never look alike
        assert max(abs(int(a[i : i + 2], 16) - int(b[i : i + 2], 16)) for i in (1, 3, 5)) >= 80, (a, b)


def test_the_bundled_codes_have_distinct_readable_colours():
    colours = [code.color for code in load_codebook(BUNDLED).codable()]
    assert len(set(colours)) == len(colours) == 35
    for color in colours:
        assert contrast(color, LIGHT) >= 3.0 and contrast(color, DARK) >= 3.0, color
