"""Character-level agreement (NVivo style), computed from interval endpoints.

For one code, one transcript and two coders, every character is a unit rated present/absent by both.
The four counts (both, a only, b only, neither) are all the statistics need: percent agreement is
(both + neither) / characters and Cohen's kappa over the characters is NVivo's
K = (TA - sum EF) / (TU - sum EF). Pooling sums the counts (per code over transcripts, and overall).

The counts come from a sweep over interval endpoints, never from per-character arrays: each coding adds
+1 at its start and -1 at its end for its coder, and a stretch between consecutive endpoints is covered
by a coder when that coder's running total is positive (so overlapping codings by one coder count
once). Many (code, transcript) groups are swept in one pass by laying the groups end to end with a
one-character gap, so that no interval can touch another group's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qcode.agreement import formulas
from qcode.agreement.nominal import (
    STATISTICS,
    PairSums,
    count_based_results,
    pair_results,
)
from qcode.agreement.result import Result


@dataclass(frozen=True, slots=True)
class CharCounts:
    """Characters coded by both coders, by coder a only, by coder b only, and by neither."""

    both: int
    a_only: int
    b_only: int
    neither: int

    @property
    def total(self) -> int:
        return self.both + self.a_only + self.b_only + self.neither

    def __add__(self, other: CharCounts) -> CharCounts:
        return CharCounts(
            self.both + other.both,
            self.a_only + other.a_only,
            self.b_only + other.b_only,
            self.neither + other.neither,
        )

    def to_json(self) -> dict[str, int]:
        return {
            "both": self.both,
            "a_only": self.a_only,
            "b_only": self.b_only,
            "neither": self.neither,
        }

    def statistics(self) -> dict[str, Result]:
        """The seven statistics on the characters as units: 2 coders, q = 2, no missing ratings."""
        total = self.total
        agreeing = self.both + self.neither
        margins_a = np.array([self.b_only + self.neither, self.both + self.a_only])
        margins_b = np.array([self.a_only + self.neither, self.both + self.b_only])
        pooled = margins_a + margins_b
        # Every character is a pairable unit with two values, so the summary is closed-form.
        summary = formulas.CountSummary(
            n_pairable=np.asarray(total),
            n_rated=np.asarray(total),
            percent_agreement=np.asarray(agreeing / total if total else np.nan),
            category_shares=pooled / (2.0 * max(total, 1)),
            pairable_totals=pooled,
            coincidence_diagonal=np.asarray(2.0 * agreeing),
        )
        results = count_based_results(summary, 2)
        results |= pair_results(PairSums(total, agreeing, margins_a, margins_b))
        return {name: results[name] for name in STATISTICS}


def char_counts_batch(
    lengths: np.ndarray,
    group: np.ndarray,
    coder: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
) -> np.ndarray:
    """Counts (groups, 4) = (both, a_only, b_only, neither) for many groups in one sweep.

    `lengths[g]` is group g's length in characters; each coding e lies in group `group[e]`, belongs to
    coder `coder[e]` (0 = a, 1 = b) and covers [starts[e], ends[e]), clipped to the group.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    group = np.asarray(group, dtype=np.int64)
    coder = np.asarray(coder, dtype=np.int64)
    if np.any((coder != 0) & (coder != 1)):
        raise ValueError("coder must be 0 (coder a) or 1 (coder b)")
    limit = lengths[group]
    starts = np.clip(np.asarray(starts, dtype=np.int64), 0, limit)
    ends = np.clip(np.asarray(ends, dtype=np.int64), 0, limit)
    keep = ends > starts
    group, coder, starts, ends = group[keep], coder[keep], starts[keep], ends[keep]

    offsets = np.cumsum(lengths + 1) - (lengths + 1)
    positions = np.concatenate([offsets[group] + starts, offsets[group] + ends])
    step = np.concatenate([np.ones_like(starts), -np.ones_like(ends)])
    is_a = np.concatenate([coder == 0, coder == 0])
    event_group = np.concatenate([group, group])
    order = np.argsort(positions, kind="stable")
    positions, step, is_a, event_group = (
        positions[order],
        step[order],
        is_a[order],
        event_group[order],
    )
    covered_a = np.cumsum(np.where(is_a, step, 0))[:-1] > 0
    covered_b = np.cumsum(np.where(is_a, 0, step))[:-1] > 0
    stretch = np.diff(positions)
    # A covered stretch lies inside the group of the endpoint that opens it.
    owner = event_group[:-1]
    n_groups = lengths.size

    def covered(mask: np.ndarray) -> np.ndarray:
        return np.bincount(owner, weights=stretch * mask, minlength=n_groups).astype(
            np.int64
        )

    both = covered(covered_a & covered_b)
    a_total = covered(covered_a)
    b_total = covered(covered_b)
    return np.column_stack(
        [both, a_total - both, b_total - both, lengths - a_total - b_total + both]
    )


def _as_spans(spans: Sequence[tuple[int, int]] | np.ndarray) -> np.ndarray:
    array = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    return array


def char_counts(
    length: int,
    spans_a: Sequence[tuple[int, int]] | np.ndarray,
    spans_b: Sequence[tuple[int, int]] | np.ndarray,
) -> CharCounts:
    """Counts for one text of `length` characters and each coder's [start, end) codings of one code."""
    a, b = _as_spans(spans_a), _as_spans(spans_b)
    both_spans = np.concatenate([a, b])
    coder = np.concatenate([np.zeros(len(a), np.int64), np.ones(len(b), np.int64)])
    row = char_counts_batch(
        np.array([length]),
        np.zeros(len(coder), np.int64),
        coder,
        both_spans[:, 0],
        both_spans[:, 1],
    )[0]
    return CharCounts(*(int(value) for value in row))
