"""Vectorised interval arithmetic (pure, no SQL): interval unions over many groups at once and their
lengths, overlaps with segments, runs expanded into positions, and distinct counts per group.

Intervals are half-open `[start, end)` integer ranges. A group is a non-negative integer label (for
example "code 3 of coder 1"); all groups are handled in one vectorised pass by laying them end to end
on one number line (`group * stride + position`), so that a running maximum merges every group's
intervals at once without a Python loop per group.
"""

from __future__ import annotations

import numpy as np


def _int64(array: np.ndarray | list[int]) -> np.ndarray:
    return np.asarray(array, dtype=np.int64).reshape(-1)


def expand_runs(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For runs i = [starts[i], starts[i] + sizes[i]): every (run, position) pair, run by run.

    The vectorised form of `[(i, p) for i in runs for p in range(start_i, start_i + size_i)]`.
    """
    starts, sizes = _int64(starts), _int64(sizes)
    owner = np.repeat(np.arange(sizes.size), sizes)
    offset = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return owner, np.repeat(starts, sizes) + offset


def merge_by_group(
    starts: np.ndarray, ends: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The union of each group's intervals as disjoint, non-touching intervals, sorted by group, start.

    Returns `(starts, ends, groups)` of the merged intervals. Empty intervals are dropped.
    """
    starts, ends, groups = _int64(starts), _int64(ends), _int64(groups)
    if not starts.size == ends.size == groups.size:
        raise ValueError("starts, ends and groups differ in length")
    keep = ends > starts
    starts, ends, groups = starts[keep], ends[keep], groups[keep]
    if not starts.size:
        return starts, ends, groups
    if starts.min() < 0 or groups.min() < 0:
        raise ValueError("positions and groups must be non-negative")
    stride = int(ends.max()) + 1
    line_starts = groups * stride + starts
    line_ends = groups * stride + ends
    order = np.argsort(line_starts, kind="stable")
    line_starts, line_ends = line_starts[order], line_ends[order]
    reach = np.maximum.accumulate(line_ends)
    opens = np.ones(line_starts.size, dtype=bool)
    # Touching intervals ([0, 5) and [5, 9)) merge too: the union is the same either way.
    opens[1:] = line_starts[1:] > reach[:-1]
    first = np.flatnonzero(opens)
    merged_starts = line_starts[first]
    merged_ends = np.maximum.reduceat(line_ends, first)
    merged_groups = merged_starts // stride
    offset = merged_groups * stride
    return merged_starts - offset, merged_ends - offset, merged_groups


def union_length_by_group(
    starts: np.ndarray, ends: np.ndarray, groups: np.ndarray, n_groups: int
) -> np.ndarray:
    """For each group 0..n_groups-1, how many positions its intervals cover (each position once)."""
    merged_starts, merged_ends, merged_groups = merge_by_group(starts, ends, groups)
    return np.bincount(
        merged_groups, weights=merged_ends - merged_starts, minlength=n_groups
    ).astype(np.int64)


def overlaps_with_segments(
    segment_starts: np.ndarray,
    segment_ends: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (segment, interval) pair that overlaps, with the length of the overlap.

    Segments must be sorted and disjoint (like the speaker turns of transcripts laid end to end);
    intervals may be anything. Returns `(segment index, interval index, overlap length)`, ordered by
    interval, then segment; pairs with no common position are left out.
    """
    segment_starts, segment_ends = _int64(segment_starts), _int64(segment_ends)
    starts, ends = _int64(starts), _int64(ends)
    if np.any(segment_starts[1:] < segment_ends[:-1]) or np.any(segment_ends < segment_starts):
        raise ValueError("segments must be sorted, disjoint half-open ranges")
    # Segments overlapping [s, e) are those with end > s and start < e: a contiguous run of indices.
    first = np.searchsorted(segment_ends, starts, side="right")
    stop = np.searchsorted(segment_starts, ends, side="left")
    interval, segment = expand_runs(first, np.maximum(stop - first, 0))
    length = np.minimum(segment_ends[segment], ends[interval]) - np.maximum(
        segment_starts[segment], starts[interval]
    )
    keep = length > 0
    return segment[keep], interval[keep], length[keep]


def distinct(keys: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, sorted (a sort and a comparison: faster than np.unique's
    hash table on the large, spread-out keys used here)."""
    keys = np.sort(_int64(keys))
    if not keys.size:
        return keys
    keep = np.empty(keys.size, dtype=bool)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    return keys[keep]


def count_distinct(keys: np.ndarray, groups_of_key: np.ndarray, n_groups: int) -> np.ndarray:
    """For each group 0..n_groups-1, the number of distinct keys among its entries.

    Entry i has key `keys[i]` in group `groups_of_key[i]`; what is counted is distinct (group, key) pairs.
    """
    keys, groups_of_key = _int64(keys), _int64(groups_of_key)
    if not keys.size:
        return np.zeros(n_groups, dtype=np.int64)
    stride = int(keys.max()) + 1
    pairs = distinct(groups_of_key * stride + keys)
    return np.bincount(pairs // stride, minlength=n_groups).astype(np.int64)
