"""Counted nouns for the screens: "1 coding", "2 codings", never "1 codings" or "1 hit(s)"."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None, *, thousands: bool = False) -> str:
    """`n` and the noun in the number it needs (English: singular for exactly one)."""
    number = f"{n:,}" if thousands else str(n)
    return f"{number} {noun if n == 1 else (plural or noun + 's')}"
