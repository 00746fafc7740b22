"""Names in the order people expect: 问卷星-2 before 问卷星-10, 访谈3 before 访谈12."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[tuple[int, str, int], ...]:
    """Sort key comparing runs of digits by value and the rest as text (case-folded, then as written).

    Each piece is (0, text, 0) or (1, "", number), so a digit run and text never compare directly; the
    digits' own spelling breaks ties ("07" after "7") through the plain name, which callers add last.
    """
    pieces = _DIGITS.split(name.casefold())
    return tuple((1, "", int(piece)) if index % 2 else (0, piece, 0) for index, piece in enumerate(pieces))


def natural_sorted(names: list[str]) -> list[str]:
    return sorted(names, key=lambda name: (natural_key(name), name))
