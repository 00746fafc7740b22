"""Krippendorff's alpha over whole label sets with the MASI distance (agreement.md, "Label sets").

The value of a rating is the set S(c, u) of codes coder c applied to unit u; an empty set is compared as
the set {`<none>`}, so two empty sets agree perfectly and an empty set is disjoint from any code.
MASI (Passonneau 2006) is 1 - J * M with J the Jaccard index and M = 1 for identical sets, 2/3 when one
contains the other, 1/3 for other overlap and 0 for disjoint sets.

Alpha is 1 - D_o / D_e with
  D_o = (1/n) sum_u 1/(m_u - 1) sum_{ordered pairs of values in u} delta,
  D_e = 1/(n (n - 1)) sum_{v, v'} n_v n_v' delta(v, v'),
over pairable units (m_u >= 2 values). It is computed on the distinct label sets: each (unit, coder)
set is packed into bits, the distinct sets are counted, and distances are taken between distinct sets
only, so the cost grows with the number of distinct sets rather than with units x units.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import combinations

import numpy as np

from qcode.agreement import reasons
from qcode.agreement.bootstrap import Interval, distinct_rows, percentile_intervals
from qcode.agreement.result import Result

_DENSE_DISTANCE_LIMIT = 4_000_000
"""Keep the whole set-by-set distance matrix in memory up to this many entries (32 MB)."""

_BLOCK_ROWS = 512


def masi_distance(
    intersection: np.ndarray, size_a: np.ndarray, size_b: np.ndarray
) -> np.ndarray:
    """1 - J * M from set sizes and intersection sizes (all sets non-empty); vectorised."""
    intersection = np.asarray(intersection, dtype=np.float64)
    size_a = np.asarray(size_a, dtype=np.float64)
    size_b = np.asarray(size_b, dtype=np.float64)
    jaccard = intersection / (size_a + size_b - intersection)
    identical = (intersection == size_a) & (intersection == size_b)
    nested = intersection == np.minimum(size_a, size_b)
    monotonicity = np.where(
        identical,
        1.0,
        np.where(nested, 2.0 / 3.0, np.where(intersection > 0, 1.0 / 3.0, 0.0)),
    )
    distance: np.ndarray = 1.0 - jaccard * monotonicity
    return distance


@dataclass(frozen=True)
class LabelSetRatings:
    """The label sets of the pairable units, as ids into a table of distinct sets.

    `set_ids` (n' pairable units, m coders): id of S(c, u) in `sets`, -1 where c did not rate u.
    `sets` (distinct sets, k + 1) bool: the codes of each distinct set, last column `<none>`.
    """

    set_ids: np.ndarray
    sets: np.ndarray

    @classmethod
    def from_matrix(cls, rated: np.ndarray, present: np.ndarray) -> LabelSetRatings:
        pairable = rated.sum(axis=1) >= 2
        given = rated[pairable]
        codes = present[pairable] & given[:, :, None]
        empty = ~codes.any(axis=2) & given
        with_none = np.concatenate([codes, empty[:, :, None]], axis=2)
        width = with_none.shape[2]
        packed = np.packbits(with_none[given], axis=1)
        distinct, ids = _distinct_packed(packed)
        set_ids = np.full(given.shape, -1, dtype=np.int64)
        set_ids[given] = ids
        sets = np.unpackbits(distinct, axis=1, count=width).astype(bool)
        return cls(set_ids, sets)

    @cached_property
    def set_sizes(self) -> np.ndarray:
        sizes: np.ndarray = self.sets.sum(axis=1)
        return sizes

    def distances(self, rows: slice | np.ndarray) -> np.ndarray:
        """MASI distances from the sets `rows` to every distinct set."""
        as_float = self.sets.astype(np.float64)
        intersections = as_float[rows] @ as_float.T
        return masi_distance(
            intersections, self.set_sizes[rows][:, None], self.set_sizes[None, :]
        )

    @cached_property
    def _dense_distances(self) -> np.ndarray | None:
        n_sets = self.sets.shape[0]
        return (
            self.distances(slice(None))
            if n_sets * n_sets <= _DENSE_DISTANCE_LIMIT
            else None
        )

    def expected_pairs(self, value_counts: np.ndarray) -> np.ndarray:
        """sum_{v,v'} n_v n_v' delta(v, v') for each row of value counts (rows, distinct sets)."""
        dense = self._dense_distances
        if dense is not None:
            pairs: np.ndarray = ((value_counts @ dense) * value_counts).sum(axis=1)
            return pairs
        total = np.zeros(value_counts.shape[0])
        for start in range(0, self.sets.shape[0], _BLOCK_ROWS):
            block = slice(start, start + _BLOCK_ROWS)
            total += (
                (value_counts @ self.distances(block).T) * value_counts[:, block]
            ).sum(axis=1)
        return total

    def observed_terms(self, set_ids: np.ndarray) -> np.ndarray:
        """Per unit: 1/(m_u - 1) times the summed MASI distance over ordered pairs of its values."""
        given = set_ids >= 0
        n_values = given.sum(axis=1)
        total = np.zeros(set_ids.shape[0])
        sizes = self.set_sizes
        for i, j in combinations(range(set_ids.shape[1]), 2):
            both = given[:, i] & given[:, j]
            a, b = set_ids[both, i], set_ids[both, j]
            intersections = (self.sets[a] & self.sets[b]).sum(axis=1)
            total[both] += 2.0 * masi_distance(intersections, sizes[a], sizes[b])
        mean: np.ndarray = np.divide(total, n_values - 1, out=np.zeros_like(total), where=n_values >= 2)
        return mean


def _distinct_packed(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of packed bit rows and each row's index among them."""
    n_bytes = packed.shape[1]
    if n_bytes <= 8:
        # Up to 63 codes: one uint64 key per set sorts far faster than rows of bytes.
        padded = np.zeros((packed.shape[0], 8), dtype=np.uint8)
        padded[:, :n_bytes] = packed
        keys = padded.view("<u8").ravel()
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        return packed[first], inverse.ravel()
    distinct, inverse = np.unique(packed, axis=0, return_inverse=True)
    return distinct, inverse.ravel()


class _GroupedSets:
    """Pairable units grouped by their pattern of set ids, with each group's terms of alpha."""

    def __init__(self, ratings: LabelSetRatings) -> None:
        n_sets = ratings.sets.shape[0]
        self.ratings = ratings
        patterns, self.sizes = distinct_rows(ratings.set_ids + 1, n_sets + 1)
        patterns = patterns - 1
        self.observed = ratings.observed_terms(patterns)
        # Each (group, coder) value, sorted by set id, so that per-set counts are sums of runs.
        group_of_value = np.broadcast_to(
            np.arange(patterns.shape[0])[:, None], patterns.shape
        )
        given = patterns >= 0
        set_of_value = patterns[given]
        order = np.argsort(set_of_value, kind="stable")
        self.value_groups = group_of_value[given][order]
        self.run_starts = np.searchsorted(set_of_value[order], np.arange(n_sets))

    def alpha(self, draws: np.ndarray) -> np.ndarray:
        """Alpha for each row of draw counts per group; NaN where every value is the same set."""
        value_counts = np.add.reduceat(
            draws[:, self.value_groups], self.run_starts, axis=1
        )
        n = value_counts.sum(axis=1)
        expected = self.ratings.expected_pairs(value_counts)  # n (n - 1) D_e
        observed = draws @ self.observed  # n D_o
        with np.errstate(invalid="ignore", divide="ignore"):
            alpha = 1.0 - (n - 1.0) * observed / expected
        return np.where(expected > 0, alpha, np.nan)


def krippendorff_alpha_masi(
    rated: np.ndarray,
    present: np.ndarray,
    *,
    n_resamples: int = 0,
    seed: int | None = None,
) -> tuple[Result, Interval | None]:
    """Alpha over label sets with MASI distance, and its bootstrap interval when `n_resamples` > 0.

    `rated` (n, m) and `present` (n, m, k) as in `CodingMatrix`. The interval resamples the pairable
    units (see `bootstrap`).
    """
    ratings = LabelSetRatings.from_matrix(
        np.asarray(rated, bool), np.asarray(present, bool)
    )
    if ratings.set_ids.shape[0] == 0:
        return Result.undefined(reasons.NO_PAIRABLE_UNITS), None
    if ratings.sets.shape[0] == 1:
        return Result.undefined(reasons.ALPHA_ONE_LABEL_SET), None
    grouped = _GroupedSets(ratings)
    value = float(grouped.alpha(grouped.sizes[None, :].astype(np.float64))[0])
    result = Result.of(value)
    if n_resamples <= 0:
        return result, None
    (interval,) = percentile_intervals(
        grouped.sizes,
        lambda draws: grouped.alpha(draws)[:, None],
        1,
        n_resamples=n_resamples,
        seed=seed,
    )
    return result.with_ci(interval.ci95), interval
