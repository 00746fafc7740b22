"""A compositor whose partial updates draw only the widgets under the dirty regions.

Textual's `Compositor.render_partial_update` crops to the bounding box of all dirty regions
(`Region.from_union`). On the coding screen a Page Down dirties the transcript (left) and the one-line
position pane (right) in the same frame, so the box is the whole screen: every widget in it (the codebook
tree, titles, scrollbars) is rendered and cut into pieces for every row, and then the update throws those
pieces away because they lie outside the dirty spans. That made Page Down cost 1.4x a bare view.

This compositor keeps Textual's update as it is (the same `ChopsUpdate`, the same spans, the same bytes
written to the terminal) and only skips work whose result the update would discard:

- a widget is rendered only if it overlaps a dirty region itself, not merely the box around them;
- a widget's row is cut into pieces only if its columns meet a dirty span on that row.

Why the output is the same: every cell inside a span lies in some dirty region (spans merge only touching
or overlapping regions). The front-most widget covering such a cell therefore overlaps a dirty region and
is still rendered, in the same front-to-back order, so it still wins the piece. Pieces the update would
skip may stay empty. `tests/test_tui_dirty_regions_compositor.py` compares the bytes with Textual's.

Textual is pinned to one release (pyproject.toml); this overrides one method of its compositor and uses
the same private helpers it does.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from typing import cast

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip


class DirtyRegionsCompositor(Compositor):
    """`Compositor` whose partial updates render only the widgets that overlap a dirty region."""

    def render_partial_update(self) -> ChopsUpdate | None:
        update_regions = list(self._dirty_regions)
        self._dirty_regions.clear()
        if not update_regions:
            return None
        spans = list(self._regions_to_spans(update_regions))
        line_spans: dict[int, list[tuple[int, int]]] = {}
        for y, x1, x2 in spans:
            line_spans.setdefault(y, []).append((x1, x2))
        chops = self._render_dirty_chops(update_regions, line_spans)
        chop_ends = [cut_set[1:] for cut_set in self.cuts]
        return ChopsUpdate(chops, spans, chop_ends)

    def _render_dirty_chops(
        self,
        update_regions: list[Region],
        line_spans: Mapping[int, list[tuple[int, int]]],
    ) -> Sequence[Mapping[int, Strip]]:
        """Textual's `_render_chops`, for the rows of each widget that still owe a piece to a dirty span."""
        cuts = self.cuts
        fromkeys = cast("Callable[[list[int]], dict[int, Strip | None]]", dict.fromkeys)
        chops: list[dict[int, Strip | None]] = [fromkeys(cut_set[:-1]) for cut_set in cuts]
        unfilled = self._pieces_written(line_spans)
        for widget, (region, clip) in self.visible_widgets.items():  # front to back, as Textual paints
            if not unfilled:
                break  # every piece the update writes is filled: widgets further back would be thrown away
            shown = region.intersection(clip)
            if not any(shown.overlaps(dirty_region) for dirty_region in update_regions):
                continue
            owed = self._rows_owed(shown, unfilled)
            if not owed:
                continue
            first_row, last_row = min(owed), max(owed)
            crop = Region(shown.x - region.x, first_row - region.y, shown.width, last_row - first_row + 1)
            strips = widget.render_lines(crop)
            render_x = shown.x
            for y, strip in zip(range(first_row, last_row + 1), strips):
                final_cuts = owed.get(y)
                if final_cuts is None:
                    continue
                chops_line = chops[y]
                row_unfilled = unfilled[y]
                # Painting front to back: the first piece for a cut wins (as in Textual).
                get_chops_line = chops_line.get
                for cut, piece in zip(final_cuts, strip.divide([cut - render_x for cut in final_cuts[1:]])):
                    if get_chops_line(cut) is None:
                        chops_line[cut] = piece
                        row_unfilled.discard(cut)
                if not row_unfilled:
                    del unfilled[y]
        return cast("Sequence[Mapping[int, Strip]]", chops)

    def _pieces_written(self, line_spans: Mapping[int, list[tuple[int, int]]]) -> dict[int, set[int]]:
        """By row, the cuts starting a piece that meets a span (the same test as `ChopsUpdate`): the pieces
        the update writes, none filled yet."""
        cuts = self.cuts
        written: dict[int, set[int]] = {}
        for y, spans in line_spans.items():
            row_cuts = cuts[y]
            starts = {start for start, end in zip(row_cuts, row_cuts[1:])
                      if any(start <= x2 and end > x1 for x1, x2 in spans)}
            if starts:
                written[y] = starts
        return written

    def _rows_owed(self, shown: Region, unfilled: Mapping[int, set[int]]) -> dict[int, list[int]]:
        """The rows where the widget showing in `shown` has a piece that the update writes and no widget in
        front of it has filled yet, each with the cuts of the widget on that row (Textual's `final_cuts`)."""
        cuts = self.cuts
        left, right = shown.column_span
        top, bottom = shown.line_span
        owed: dict[int, list[int]] = {}
        for y, row_unfilled in unfilled.items():
            if not top <= y < bottom:
                continue
            row_cuts = cuts[y]  # sorted
            final_cuts = row_cuts[bisect_left(row_cuts, left):bisect_right(row_cuts, right)]
            if not row_unfilled.isdisjoint(final_cuts[:-1]):
                owed[y] = final_cuts
        return owed
