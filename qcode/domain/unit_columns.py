"""The units of one kind of one transcript as columns of machine numbers, for long transcripts.

A 1.5 M-character transcript has about 125,000 sentences and 28,000 turns. As `Unit` objects, each with
its own int objects, they took about 25 MiB of the coding screen's memory; as arrays of C ints about
2 MiB (issue 11 point 7). `UnitColumns` is also a read-only sequence of `Unit`s, made one at a time on
access, for code that wants objects.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator

from qcode.domain.column_rows import ColumnRows
from qcode.domain.models import Span, Unit, UnitKind

NO_OFFSET = -1
"""A missing label offset in `label_starts` / `label_ends`."""

OFFSET_TYPECODE = "i"
"""C int: offsets are below 2**31 (a transcript of that many characters could not be opened anyway)."""


class UnitColumns(ColumnRows[Unit]):
    """Units of one kind in order: `starts`, `ends` and, unless `bounds_only`, label offsets (`NO_OFFSET`
    for none), speakers (one string object per distinct name) and times (NaN for none). The units' index
    is their position; the sentences' turn index is not kept."""

    __slots__ = ("_names", "bounds_only", "ends", "kind", "label_ends", "label_starts", "speakers", "starts",
                 "times")

    def __init__(self, kind: UnitKind, *, bounds_only: bool = False) -> None:
        self.kind = kind
        self.bounds_only = bounds_only
        self.starts: array[int] = array(OFFSET_TYPECODE)
        self.ends: array[int] = array(OFFSET_TYPECODE)
        self.label_starts: array[int] = array(OFFSET_TYPECODE)
        self.label_ends: array[int] = array(OFFSET_TYPECODE)
        self.speakers: list[str | None] = []
        self.times: array[float] = array("d")
        self._names: dict[str, str] = {}

    def append(self, start: int, end: int, label_start: int | None = None, label_end: int | None = None,
               speaker: str | None = None, time: float | None = None) -> None:
        """Add the next unit (only `start` and `end` are kept when `bounds_only`)."""
        self.starts.append(start)
        self.ends.append(end)
        if self.bounds_only:
            return
        self.label_starts.append(NO_OFFSET if label_start is None else label_start)
        self.label_ends.append(NO_OFFSET if label_end is None else label_end)
        self.speakers.append(None if speaker is None else self._names.setdefault(speaker, speaker))
        self.times.append(math.nan if time is None else time)

    def span(self, index: int) -> Span:
        return Span(self.starts[index], self.ends[index])

    def __len__(self) -> int:
        return len(self.starts)

    def _row(self, index: int) -> Unit:
        start, end = self.starts[index], self.ends[index]
        if self.bounds_only:
            return Unit(self.kind, index, start, end)
        label_start, label_end, time = self.label_starts[index], self.label_ends[index], self.times[index]
        return Unit(self.kind, index, start, end, self.speakers[index], None,
                    None if label_start == NO_OFFSET else label_start,
                    None if label_end == NO_OFFSET else label_end,
                    None if math.isnan(time) else time)

    def __iter__(self) -> Iterator[Unit]:
        return (self[index] for index in range(len(self)))
