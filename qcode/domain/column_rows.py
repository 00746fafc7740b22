"""A sequence kept as parallel columns (C arrays), whose items are made when read.

Turns, sentences and layout blocks of a long transcript are stored this way (a 1.5 M-character transcript
has tens of thousands of each: as objects they took ten times the memory). The subclass says how long it
is and how to make item `index`; indexing, negative indexes and slices are the same for all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class ColumnRows(Sequence[T]):
    """Items made on access from columns; subclasses define `__len__` and `_row`."""

    __slots__ = ()

    def _row(self, index: int) -> T:
        """Item `index` (0 <= index < len), made from the columns."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
            if index < 0:
                raise IndexError("index out of range")
        return self._row(index)
