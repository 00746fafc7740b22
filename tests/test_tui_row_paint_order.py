"""The row painter resolves overlapping codings from the order `HighlightIndex.overlapping` returns them in
(application order), without asking the index for each highlight's order: the results must equal the rule
stated with explicit orders (shortest wins, the last applied among equals; gutter marks by start, then
application order).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.tui.transcript_model import Highlight, HighlightIndex
from qcode.tui.widgets.transcript_view.rows import _OWNER_AND_START, _START, _innermost_color

COLORS = ["#aa0000", "#00aa00", "#0000aa", "#aaaa00"]

highlight_specs = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from(COLORS), st.booleans(), st.sampled_from("ab")),
    min_size=1, max_size=25,
)


def _index(specs) -> HighlightIndex:
    index = HighlightIndex()
    for n, (start, length, color, muted, owner) in enumerate(specs):
        index.add(Highlight(f"k{n}", start, start + length, color, "m", muted=muted, owner=owner if muted else ""))
    return index


@settings(max_examples=300, deadline=None)
@given(highlight_specs, st.integers(0, 40))
def test_innermost_colour_is_the_shortest_and_last_applied(specs, offset) -> None:
    index = _index(specs)
    covering = index.overlapping(0, 40)
    for group in ([h for h in covering if h.is_own], [h for h in covering if h.muted]):
        here = [h for h in group if h.start <= offset < h.end]
        expected = min(here, key=lambda h: (h.end - h.start, -index.order(h))).color if here else None
        assert _innermost_color(group, offset) == expected


@settings(max_examples=300, deadline=None)
@given(highlight_specs)
def test_gutter_order_is_by_start_then_application(specs) -> None:
    index = _index(specs)
    covering = index.overlapping(0, 40)
    own = [h for h in covering if h.is_own]
    others = [h for h in covering if h.muted]
    assert sorted(own, key=_START) == sorted(own, key=lambda h: (h.start, index.order(h)))
    assert sorted(others, key=_OWNER_AND_START) == sorted(others, key=lambda h: (h.owner, h.start, index.order(h)))
