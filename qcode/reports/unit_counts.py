"""Counts of analysis units as phrases that agree with their number: "1 turn", "9 turns", "1 sentence"."""

from __future__ import annotations

from qcode.i18n import N_, counted

UNIT_COUNTS = {  # unit -> (singular, plural)
    "turn": (N_("{count} turn"), N_("{count} turns")),
    "sentence": (N_("{count} sentence"), N_("{count} sentences")),
    "transcript": (N_("{count} transcript"), N_("{count} transcripts")),
}


def counted_units(n: int, unit: str) -> str:
    """`n` units of kind `unit` (turn, sentence, transcript), translated, in the number `n` needs."""
    one, many = UNIT_COUNTS[unit]
    return counted(n, one, many)
