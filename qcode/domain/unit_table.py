"""A transcript's units as the import makes them: its turns as `Unit`s, its sentences as three arrays.

A 50 MB transcript has close to a million sentences; a `Unit` object each costs more time and memory
than finding them. `SentenceTable` keeps each sentence's turn index, start and end in `array`s (8 bytes
a number, nothing for the garbage collector to walk), and storage inserts them from the arrays without
a Python object per row. Iterating a `TranscriptUnits` still gives the `Unit`s, for any other use.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from qcode.domain.models import Unit, UnitKind


def _numbers() -> array[int]:
    return array("q")


@dataclass(frozen=True)
class SentenceTable:
    """Sentences in text order: sentence i is `[start[i], end[i])` of the turn with index `turn[i]`."""

    turn: array[int] = field(default_factory=_numbers)
    start: array[int] = field(default_factory=_numbers)
    end: array[int] = field(default_factory=_numbers)

    def __len__(self) -> int:
        return len(self.start)


@dataclass(frozen=True)
class TranscriptUnits:
    """Every unit of one transcript: turns (in order), then sentences (in order)."""

    turns: tuple[Unit, ...]
    sentences: SentenceTable = field(default_factory=SentenceTable)

    def __len__(self) -> int:
        return len(self.turns) + len(self.sentences)

    def __iter__(self) -> Iterator[Unit]:
        yield from self.turns
        speakers = [turn.speaker for turn in self.turns]
        for index, (turn_index, start, end) in enumerate(
                zip(self.sentences.turn, self.sentences.start, self.sentences.end, strict=True)):
            yield Unit(UnitKind.SENTENCE, index, start, end, speakers[turn_index], turn_index)
