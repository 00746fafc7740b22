"""The transcript view's drawn rows, kept by row number, the least recently used dropped first.

Textual's `LRUCache` keeps its order in a linked list of Python lists; every hit and every store walks
Python code, a few microseconds each, paid for every row of every frame. An `OrderedDict` keeps the same
order in C (issue 11 point 6).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import KeysView

from textual.strip import Strip


class RowCache:
    """Up to `size` drawn rows by row number; storing one more drops the least recently used."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._rows: OrderedDict[int, Strip] = OrderedDict()

    def __len__(self) -> int:
        return len(self._rows)

    def keys(self) -> KeysView[int]:
        return self._rows.keys()

    def get(self, row: int) -> Strip | None:
        """The row if kept (it becomes the most recently used), else None."""
        strip = self._rows.get(row)
        if strip is not None:
            self._rows.move_to_end(row)
        return strip

    def set(self, row: int, strip: Strip) -> None:
        rows = self._rows
        rows[row] = strip
        rows.move_to_end(row)
        if len(rows) > self.size:
            rows.popitem(last=False)

    def discard(self, row: int) -> None:
        self._rows.pop(row, None)

    def clear(self) -> None:
        self._rows.clear()

    def grow(self, size: int) -> None:
        """Keep at least `size` rows from now on (never fewer than before)."""
        self.size = max(self.size, size)
