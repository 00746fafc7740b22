"""Which units a coding marks (agreement.md, "From codings to ratings", point 3).

For `turn` and `sentence` units, a coding applies to a unit when it overlaps at least one of the unit's
*content* characters, so a coding that spills over a full stop does not mark the next sentence. A
character is content unless it is white space or punctuation:

- white space: `str.isspace()` or Unicode category Z* (includes the ideographic space U+3000);
- punctuation: Unicode category P* (，。！？“”《》…… and ASCII punctuation);
- invisible controls and format characters, categories Cc and Cf (zero-width space, BOM, joiners),
  are treated as white space: they are not visible text a coder could mean to code.

Everything else is content, including symbols (S*, e.g. emoji, ￥, +) and digits.

The optional share rule replaces "at least one content character" by "at least `min_share` of the
unit's content characters": share(u, g) = (content characters of u covered by the union of the
codings of group g) / (content characters of u), where a group is one coder's codings of one code,
so overlapping codings count once. A unit without content characters is never marked.

Offsets are half-open [start, end) code-point indices into the canonical text. Units are sorted and
do not overlap; a coding may span many units. Everything is vectorised with numpy.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import numpy as np

from qcode.errors import InputError
from qcode.i18n import _

_NOT_CONTENT_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def is_content_character(character: str) -> bool:
    """Whether one character counts as content for the unit rule (see the module docstring)."""
    category = unicodedata.category(character)
    return not (
        character.isspace()
        or category.startswith("P")
        or category in _NOT_CONTENT_CATEGORIES
    )


@cache
def _basic_plane_table() -> np.ndarray:
    """Content flags of all 65,536 code points of the Basic Multilingual Plane, built once on demand."""
    return np.fromiter(
        (is_content_character(chr(cp)) for cp in range(0x10000)),
        dtype=bool,
        count=0x10000,
    )


def content_prefix(text: str) -> np.ndarray:
    """Prefix sums of content characters: `prefix[i]` is the number of content characters in text[:i].

    The content characters of [start, end) are `prefix[end] - prefix[start]`. Length len(text) + 1.
    """
    code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    content = np.empty(code_points.size, dtype=bool)
    basic = code_points < 0x10000
    content[basic] = _basic_plane_table()[code_points[basic]]
    if not basic.all():
        # Astral characters (most emoji, rare CJK) are few: classify each distinct one directly.
        astral, where = np.unique(code_points[~basic], return_inverse=True)
        flags = np.array(
            [is_content_character(chr(int(cp))) for cp in astral], dtype=bool
        )
        content[~basic] = flags[where]
    prefix = np.zeros(code_points.size + 1, dtype=np.int64)
    np.cumsum(content, out=prefix[1:])
    return prefix


def _as_offsets(*arrays: np.ndarray) -> list[np.ndarray]:
    return [np.asarray(array, dtype=np.int64).reshape(-1) for array in arrays]


def _overlapping_pairs(
    unit_starts: np.ndarray, unit_ends: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every (unit, interval) pair whose ranges overlap, ordered by interval then unit."""
    # Units overlapping [s, e) are those with end > s and start < e: a contiguous run of indices.
    first = np.searchsorted(unit_ends, starts, side="right")
    stop = np.searchsorted(unit_starts, ends, side="left")
    run = np.maximum(stop - first, 0)
    interval = np.repeat(np.arange(starts.size), run)
    run_start = np.cumsum(run) - run
    unit = np.arange(int(run.sum())) - np.repeat(run_start, run) + np.repeat(first, run)
    return unit, interval


def _check_units(unit_starts: np.ndarray, unit_ends: np.ndarray, length: int) -> None:
    if unit_starts.size != unit_ends.size:
        raise ValueError("unit_starts and unit_ends differ in length")
    if np.any(unit_ends < unit_starts) or np.any(unit_starts[1:] < unit_ends[:-1]):
        raise ValueError("units must be sorted, non-overlapping half-open ranges")
    if unit_starts.size and (unit_starts[0] < 0 or unit_ends[-1] > length):
        raise ValueError("units must lie within the text")


def _check_codings(starts: np.ndarray, ends: np.ndarray, length: int) -> None:
    if starts.size != ends.size:
        raise ValueError("coding_starts and coding_ends differ in length")
    if np.any(starts < 0) or np.any(ends < starts) or np.any(ends > length):
        raise ValueError("codings must be half-open ranges within the text")


def assign_codings_to_units(
    prefix: np.ndarray,
    unit_starts: np.ndarray,
    unit_ends: np.ndarray,
    coding_starts: np.ndarray,
    coding_ends: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The (unit index, coding index) pairs where the coding overlaps a content character of the unit.

    `prefix` comes from `content_prefix(text)`. Pairs are ordered by coding, then by unit.
    """
    unit_starts, unit_ends, starts, ends = _as_offsets(
        unit_starts, unit_ends, coding_starts, coding_ends
    )
    length = prefix.size - 1
    _check_units(unit_starts, unit_ends, length)
    _check_codings(starts, ends, length)
    unit, coding = _overlapping_pairs(unit_starts, unit_ends, starts, ends)
    low = np.maximum(unit_starts[unit], starts[coding])
    high = np.minimum(unit_ends[unit], ends[coding])
    marks = prefix[high] - prefix[low] > 0
    return unit[marks], coding[marks]


def _merge_by_group(
    starts: np.ndarray, ends: np.ndarray, groups: np.ndarray, length: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Union of each group's intervals as disjoint intervals (starts, ends, group), sorted by group."""
    keep = ends > starts
    starts, ends, groups = starts[keep], ends[keep], groups[keep]
    # Lay the groups end to end on one line so that one running maximum merges all of them at once.
    stride = length + 1
    line_starts = groups * stride + starts
    line_ends = groups * stride + ends
    order = np.argsort(line_starts, kind="stable")
    line_starts, line_ends = line_starts[order], line_ends[order]
    reach = np.maximum.accumulate(line_ends) if line_ends.size else line_ends
    opens = np.ones(line_starts.size, dtype=bool)
    opens[1:] = line_starts[1:] > reach[:-1]
    first = np.flatnonzero(opens)
    merged_starts = line_starts[first]
    merged_ends = np.maximum.reduceat(line_ends, first) if first.size else line_ends[:0]
    merged_groups = merged_starts // stride
    return (
        merged_starts - merged_groups * stride,
        merged_ends - merged_groups * stride,
        merged_groups,
    )


def assign_by_share(
    prefix: np.ndarray,
    unit_starts: np.ndarray,
    unit_ends: np.ndarray,
    coding_starts: np.ndarray,
    coding_ends: np.ndarray,
    coding_groups: np.ndarray,
    min_share: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The (unit index, group) pairs where group's codings cover at least `min_share` of the unit.

    A group is one coder's codings of one code (the caller numbers them, 0..G-1); its codings are
    merged first so that overlaps count once. Pairs are sorted by unit, then group.
    """
    if not 0.0 < min_share <= 1.0:
        raise InputError(
            _("the minimum share of a unit must be above 0 and at most 1, got {value}").format(value=min_share)
        )
    unit_starts, unit_ends, starts, ends, groups = _as_offsets(
        unit_starts, unit_ends, coding_starts, coding_ends, coding_groups
    )
    length = prefix.size - 1
    _check_units(unit_starts, unit_ends, length)
    _check_codings(starts, ends, length)
    if groups.size != starts.size:
        raise ValueError("coding_groups and coding_starts differ in length")
    if groups.size and groups.min() < 0:
        raise ValueError("coding groups must be numbered from 0")
    merged_starts, merged_ends, merged_groups = _merge_by_group(
        starts, ends, groups, length
    )
    unit, interval = _overlapping_pairs(
        unit_starts, unit_ends, merged_starts, merged_ends
    )
    low = np.maximum(unit_starts[unit], merged_starts[interval])
    high = np.minimum(unit_ends[unit], merged_ends[interval])
    covered = prefix[high] - prefix[low]
    n_groups = int(groups.max()) + 1 if groups.size else 1
    pair_key = unit * n_groups + merged_groups[interval]
    keys, where = np.unique(pair_key, return_inverse=True)
    covered_by_pair = np.bincount(
        where.reshape(-1), weights=covered, minlength=keys.size
    )
    pair_units = keys // n_groups
    content = (prefix[unit_ends] - prefix[unit_starts])[pair_units]
    # Division (correctly rounded) rather than min_share * content, so that 3 of 30 meets 0.1.
    share = np.divide(
        covered_by_pair, content, out=np.zeros(keys.size), where=content > 0
    )
    marks = (content > 0) & (share >= min_share)
    return pair_units[marks], keys[marks] % n_groups
