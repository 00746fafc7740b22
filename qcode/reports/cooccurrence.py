"""Code co-occurrence: for each pair of codes, the units both apply to.

A unit "has" a code when any selected coder's coding of it marks the unit (pooled over coders): for
turns and sentences by the unit rule of `shared/design/agreement.md`, for transcripts when the code is
used anywhere in the transcript. `count[a][b]` is the number of units that have both a and b; the
diagonal `count[a][a]` is the number of units that have a. The Jaccard index is
|A ∩ B| / |A ∪ B| = count[a][b] / (count[a][a] + count[b][b] - count[a][b]) over the same units; it is
undefined (None, never NaN) when neither code marks any unit, and 1.0 on the diagonal of a used code.

Codes: without rollup, the applicable codes of the selection (groups have no codings of their own);
with rollup, the codes named in the selection (by default the top-level codes), each standing for its
whole subtree, so that a unit has the code when any code of the subtree marks it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qcode.analysis.groups import grouping
from qcode.errors import InputError
from qcode.analysis.units import ReportData
from qcode.agreement.intervals import distinct, expand_runs
from qcode.i18n import _

COOCCURRENCE_UNITS = ("turn", "sentence", "transcript")
COOCCURRENCE_MEASURES = ("count", "jaccard")


@dataclass(frozen=True)
class CooccurrenceMatrix:
    """A symmetric code x code matrix of unit counts (and the Jaccard index derived from it)."""

    unit: str
    codes: tuple[str, ...]
    coders: tuple[str, ...]
    rollup: bool
    units_total: int  # units in the analysis (with at least one content character; or transcripts)
    counts: tuple[tuple[int, ...], ...]

    def jaccard(self, a: int, b: int) -> float | None:
        both = self.counts[a][b]
        either = self.counts[a][a] + self.counts[b][b] - both
        return both / either if either else None

    def value(self, measure: str, a: int, b: int) -> int | float | None:
        if measure == "count":
            return self.counts[a][b]
        if measure == "jaccard":
            return self.jaccard(a, b)
        raise ValueError(f"unknown measure {measure!r}; choose one of {COOCCURRENCE_MEASURES}")

    def values(self, measure: str) -> list[list[int | float | None]]:
        n = len(self.codes)
        return [[self.value(measure, a, b) for b in range(n)] for a in range(n)]


def _columns(data: ReportData, rollup: bool, named: tuple[str, ...] | None) -> tuple[list[str], dict[int, list[int]]]:
    """The matrix's codes, and for each analysis code index the columns it counts towards."""
    book = data.codebook
    if not rollup:
        columns = [c for c in data.codes if book[c].codable]
        return columns, {data.code_index[c]: [j] for j, c in enumerate(columns)}
    columns = list(named) if named else [c.id for c in book.roots() if c.id in data.code_index]
    columns = [c for c in data.codes if c in set(columns)]  # codebook order
    targets: dict[int, list[int]] = {}
    for j, column in enumerate(columns):
        for member in book.subtree(column):
            if member in data.code_index:
                targets.setdefault(data.code_index[member], []).append(j)
    return columns, targets


def _pair_counts(unit: np.ndarray, column: np.ndarray, k: int) -> np.ndarray:
    """counts[a, b] = the number of units with marks in both columns a and b.

    `unit` is sorted and each (unit, column) mark appears once. Every mark is paired with every mark of
    its own unit (itself included, which gives the diagonal), so the work is the sum of the squares of
    the number of codes per unit: small, since a unit carries a few codes.
    """
    if not unit.size:
        return np.zeros((k, k), dtype=np.int64)
    first = np.flatnonzero(np.concatenate(([True], unit[1:] != unit[:-1])))
    size = np.diff(np.concatenate((first, [unit.size])))
    run = np.repeat(np.arange(first.size), size)  # which unit each mark belongs to
    left, right = expand_runs(first[run], size[run])
    return np.bincount(column[left] * k + column[right], minlength=k * k).reshape(k, k).astype(np.int64)


def cooccurrence(
    data: ReportData, unit: str = "turn", *, rollup: bool = False, named: tuple[str, ...] | None = None,
    unit_mask: np.ndarray | None = None,
) -> CooccurrenceMatrix:
    """The co-occurrence matrix of `data` over `unit` (turn, sentence or transcript).

    `named` are the codes the user selected (used with `rollup`; default: the top-level codes).
    `unit_mask` keeps only some units (those of one group of `--by`): per unit of the table, or per
    transcript for the transcript unit.
    """
    if unit not in COOCCURRENCE_UNITS:
        raise InputError(_("unknown unit '{unit}'; choose one of {units}").format(unit=unit, units=", ".join(COOCCURRENCE_UNITS)))
    columns, targets = _columns(data, rollup, named)
    if unit == "transcript":
        unit_of_item = data.coding_transcript
        code_of_item = data.coding_code
        units_total = len(data.transcripts) if unit_mask is None else int(unit_mask.sum())
    else:
        units = data.units(unit)
        unit_of_item = units.marked_unit
        code_of_item = data.coding_code[units.marked_coding]
        units_total = int(units.content.sum() if unit_mask is None else (units.content & unit_mask).sum())
    if unit_mask is not None:
        keep = unit_mask[unit_of_item]
        unit_of_item, code_of_item = unit_of_item[keep], code_of_item[keep]

    # Each item (a coding, or a unit-coding pair) becomes one (unit, column) mark per column it counts for.
    lookup_size = len(data.codes)
    per_code = np.array([len(targets.get(i, [])) for i in range(lookup_size)], dtype=np.int64)
    flat = np.array([j for i in range(lookup_size) for j in targets.get(i, [])], dtype=np.int64)
    pointer = np.cumsum(per_code) - per_code
    item, entry = expand_runs(pointer[code_of_item], per_code[code_of_item])
    column = flat[entry]
    k = max(len(columns), 1)
    marks = distinct(unit_of_item[item] * k + column)  # sorted, so each unit's marks are consecutive
    counts = _pair_counts(marks // k, marks % k, len(columns))
    return CooccurrenceMatrix(
        unit=unit,
        codes=tuple(columns),
        coders=data.coders,
        rollup=rollup,
        units_total=units_total,
        counts=tuple(tuple(int(v) for v in row) for row in counts),
    )


def cooccurrence_by(
    data: ReportData, unit: str, by: str, *, rollup: bool = False, named: tuple[str, ...] | None = None
) -> list[tuple[str, CooccurrenceMatrix]]:
    """One co-occurrence matrix per group of `by` (`qcode.analysis.groups`), over that group's units."""
    found = grouping(data, by)
    if unit == "transcript":
        if found.level != "transcript":
            raise InputError(_("--by {by} groups speakers' turns; use --unit turn or sentence").format(by=by))
        groups = found.transcript_group
    else:
        groups = found.unit_groups(data.units(unit))
    return [(name, cooccurrence(data, unit, rollup=rollup, named=named, unit_mask=groups == g))
            for g, name in enumerate(found.names)]
