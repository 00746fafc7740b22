"""RowCache keeps the most recently used rows, as Textual's LRUCache did (checked against a plain model)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.strip import Strip

from qcode.tui.widgets.transcript_view.row_cache import RowCache


def strip(row: int) -> Strip:
    return Strip.blank(row + 1)


def test_storing_past_the_size_drops_the_least_recently_used() -> None:
    cache = RowCache(2)
    cache.set(1, strip(1))
    cache.set(2, strip(2))
    assert cache.get(1) is not None  # 1 is now the most recently used
    cache.set(3, strip(3))
    assert sorted(cache.keys()) == [1, 3]
    assert cache.get(2) is None
    cache.grow(3)
    cache.set(4, strip(4))
    assert sorted(cache.keys()) == [1, 3, 4]
    cache.discard(3)
    cache.discard(99)
    assert len(cache) == 2
    cache.clear()
    assert len(cache) == 0


OPERATIONS = st.lists(st.tuples(st.sampled_from(["get", "set", "discard", "grow"]), st.integers(0, 9)), max_size=80)


@settings(max_examples=200, deadline=None)
@given(size=st.integers(1, 5), operations=OPERATIONS)
def test_it_behaves_like_a_list_in_order_of_use(size: int, operations: list[tuple[str, int]]) -> None:
    cache = RowCache(size)
    model: list[int] = []  # least recently used first
    for operation, row in operations:
        if operation == "get":
            found = cache.get(row)
            assert (found is not None) == (row in model)
            if row in model:
                assert found.cell_length == row + 1
                model.remove(row)
                model.append(row)
        elif operation == "set":
            cache.set(row, strip(row))
            if row in model:
                model.remove(row)
            model.append(row)
            if len(model) > cache.size:
                model.pop(0)
        elif operation == "discard":
            cache.discard(row)
            if row in model:
                model.remove(row)
        else:
            cache.grow(row)
        assert list(cache.keys()) == model
