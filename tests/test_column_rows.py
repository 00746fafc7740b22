"""Column-backed sequences index like lists: negative indexes, slices, and IndexError past either end."""

from __future__ import annotations

import pytest

from qcode.domain.models import UnitKind
from qcode.domain.unit_columns import UnitColumns
from qcode.tui.text_layout import Blocks


def _units() -> UnitColumns:
    units = UnitColumns(UnitKind.SENTENCE, bounds_only=True)
    for start in (0, 5, 9):
        units.append(start, start + 3)
    return units


def _blocks() -> Blocks:
    blocks = Blocks()
    for start in (0, 5, 9):
        blocks.append(start, start + 3, start == 0)
    return blocks


@pytest.mark.parametrize("make", [_units, _blocks])
def test_column_rows_index_like_a_list(make) -> None:
    rows = make()
    items = list(rows)
    assert len(items) == 3
    assert [rows[i].start for i in range(-3, 3)] == [item.start for item in items * 2]
    assert [item.start for item in rows[1:]] == [5, 9]
    assert [item.start for item in rows[::-1]] == [9, 5, 0]
    for outside in (3, -4):
        with pytest.raises(IndexError):
            rows[outside]
