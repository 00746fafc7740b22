"""Bootstrap 95% confidence intervals: resampling units with replacement, percentile method.

Method (documented here because researchers cite it):

- The resampled units are the units that enter the statistic, i.e. those with at least two ratings
  (pairable units); n' of them are drawn with replacement, `n_resamples` times.
- The interval is the percentile interval: the 2.5% and 97.5% quantiles of the resampled statistic
  (`numpy.quantile`, linear interpolation).
- A resample in which the statistic is 0/0 is dropped. If more than 5% of the resamples are undefined
  the interval is withheld (None, with the reason), because the quantiles of the remaining resamples
  would describe a selected subset rather than the sampling distribution.
- Randomness comes from `numpy.random.default_rng(seed)`, created afresh for every family of
  statistics, so the same seed gives identical intervals and adding a code does not move the others.

Speed: every statistic is a function of sums over units of per-unit terms (see `formulas`), and units
with identical ratings have identical terms. Units are therefore grouped by their rating pattern and a
resample is a vector of draw counts per group, multinomial with probabilities group size / n' (exactly
the distribution of resampling units). The sums of all resamples are then one matrix product of the
count matrix with the groups' terms, processed in chunks of resamples to bound memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from qcode.agreement import formulas
from qcode.agreement.messages import Message
from qcode.agreement.nominal import pair_labels
from qcode.i18n import N_

MAX_UNDEFINED_SHARE = 0.05
"""Above this share of undefined resamples an interval is withheld."""

CHUNK_ELEMENTS = 4_000_000
"""Upper bound on the entries of one chunk's draw-count matrix (about 32 MB as float64)."""


@dataclass(frozen=True, slots=True)
class Interval:
    """A bootstrap interval, or the reason none is given although one was requested."""

    ci95: tuple[float, float] | None
    reason: str | None = None


Evaluate = Callable[[np.ndarray], np.ndarray]
"""Maps draw counts per group (resamples, groups) to statistics (resamples, statistics), NaN = 0/0."""


def distinct_rows(rows: np.ndarray, radix: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a non-negative int matrix (entries < radix) and how often each occurs."""
    _n, width = rows.shape
    if width and radix**width < 2**62:
        # One int64 key per row sorts much faster than a lexicographic row sort.
        weights = radix ** np.arange(width, dtype=np.int64)
        keys = rows.astype(np.int64) @ weights
        _, first, sizes = np.unique(keys, return_index=True, return_counts=True)
        return rows[first], sizes
    patterns, sizes = np.unique(rows, axis=0, return_counts=True)
    return patterns, sizes


_SMALL_GROUP = 8
"""Groups smaller than this are drawn unit by unit: one binomial draw costs about as much as eight
uniform index draws."""


def draw_counts(
    rng: np.random.Generator, group_sizes: np.ndarray, n_resamples: int
) -> np.ndarray:
    """How often each group is drawn when n' = sum(group_sizes) units are resampled with replacement.

    Exact multinomial counts, drawn hierarchically: first the counts of each large group and of the
    pool of all small groups, by conditional binomials vectorised across resamples; then the pool's
    draws as uniform unit indices within the pool. Both stages are exact, so the counts have exactly
    the distribution of resampling units, at a cost of O(large groups + units in small groups).
    """
    n_groups = group_sizes.size
    small = group_sizes < _SMALL_GROUP
    large_groups = np.flatnonzero(~small)
    pool_sizes = group_sizes[small]
    # Categories of the first stage: each large group, then the pool (if any).
    stage_sizes = np.append(group_sizes[large_groups], pool_sizes.sum())
    stage = _conditional_binomials(rng, stage_sizes, n_resamples)
    counts = np.zeros((n_resamples, n_groups), dtype=np.int64)
    counts[:, large_groups] = stage[:, :-1]
    pool_draws = stage[:, -1]
    if pool_draws.any():
        small_groups = np.flatnonzero(small)
        group_of_pool_unit = np.repeat(np.arange(small_groups.size), pool_sizes)
        drawn = group_of_pool_unit[
            rng.integers(0, group_of_pool_unit.size, size=int(pool_draws.sum()))
        ]
        resample = np.repeat(np.arange(n_resamples), pool_draws)
        pool_counts = np.bincount(
            resample * small_groups.size + drawn,
            minlength=n_resamples * small_groups.size,
        )
        counts[:, small_groups] = pool_counts.reshape(n_resamples, small_groups.size)
    return counts


def _conditional_binomials(
    rng: np.random.Generator, sizes: np.ndarray, n_resamples: int
) -> np.ndarray:
    """Multinomial counts of sum(sizes) draws over categories weighted by `sizes`, per resample.

    The construction of `Generator.multinomial` (category j gets Binomial(draws left, size_j / units
    left)), vectorised across resamples instead of across categories. The largest category comes last
    and takes what remains, which needs no draw.
    """
    n_units = int(sizes.sum())
    counts = np.zeros((n_resamples, sizes.size), dtype=np.int64)
    remaining = np.full(n_resamples, n_units, dtype=np.int64)
    units_left = n_units
    order = np.argsort(sizes, kind="stable")
    for category in order[:-1].tolist():
        size = int(sizes[category])
        if size:
            counts[:, category] = rng.binomial(remaining, min(size / units_left, 1.0))
            remaining -= counts[:, category]
            units_left -= size
    counts[:, order[-1]] = remaining
    return counts


def percentile_intervals(
    group_sizes: np.ndarray,
    evaluate: Evaluate,
    n_statistics: int,
    *,
    n_resamples: int,
    seed: int | None,
) -> list[Interval]:
    """Percentile intervals of `n_statistics` statistics computed on the same resamples."""
    if n_resamples < 1:
        raise ValueError(f"the number of resamples must be positive, got {n_resamples}")
    group_sizes = np.asarray(group_sizes, dtype=np.int64)
    rng = np.random.default_rng(seed)
    # Memory per resample: a count per group, plus a drawn index per unit of the small groups.
    per_resample = group_sizes.size + int(group_sizes[group_sizes < _SMALL_GROUP].sum())
    per_chunk = max(1, min(n_resamples, CHUNK_ELEMENTS // max(per_resample, 1)))
    resampled = np.empty((n_resamples, n_statistics))
    for start in range(0, n_resamples, per_chunk):
        size = min(per_chunk, n_resamples - start)
        counts = draw_counts(rng, group_sizes, size).astype(np.float64)
        resampled[start : start + size] = evaluate(counts)
    return [_percentile(resampled[:, column]) for column in range(n_statistics)]


def _percentile(values: np.ndarray) -> Interval:
    defined = values[np.isfinite(values)]
    n_undefined = values.size - defined.size
    if n_undefined > MAX_UNDEFINED_SHARE * values.size:
        return Interval(
            None,
            Message(N_("the statistic was undefined in {count} of {resamples} resamples (more than {share:.0%}), so "
                       "no interval is given"), count=n_undefined, resamples=values.size, share=MAX_UNDEFINED_SHARE),
        )
    low, high = np.quantile(defined, [0.025, 0.975])
    return Interval((float(low), float(high)))


def single_label_intervals(
    values: np.ndarray, q: int, *, n_resamples: int, seed: int | None
) -> dict[str, Interval]:
    """Intervals for nominal alpha and kappa on single-label ratings (n, m), -1 = missing.

    "kappa" is Cohen's kappa for 2 coders and Light's kappa (mean of pairwise kappas, undefined when
    any pair is) for more. Both statistics are computed on the same resamples.
    """
    n_coders = values.shape[1]
    pairable = (values >= 0).sum(axis=1) >= 2
    if not pairable.any():
        nothing = Interval(
            None, N_("no unit was rated by 2 coders, so there is nothing to resample")
        )
        return {"krippendorff_alpha_nominal": nothing, "cohen_kappa": nothing}
    patterns, sizes = distinct_rows(values[pairable] + 1, q + 1)
    patterns = patterns - 1
    pairable_values, diagonal = formulas.alpha_unit_terms(
        formulas.category_counts(patterns, q)
    )
    blocks = [pairable_values.T, diagonal[:, None]]
    categories = np.arange(q)
    for i, j, _ in pair_labels([str(c) for c in range(n_coders)]):
        a, b = patterns[:, i], patterns[:, j]
        both = (a >= 0) & (b >= 0)
        blocks += [
            both[:, None],
            ((a == b) & both)[:, None],
            (a[:, None] == categories) & both[:, None],
            (b[:, None] == categories) & both[:, None],
        ]
    terms = np.hstack([block.astype(np.float64) for block in blocks])
    pair_width = 2 + 2 * q

    def evaluate(draws: np.ndarray) -> np.ndarray:
        sums = draws @ terms
        alpha = formulas.krippendorff_alpha(sums[:, :q], sums[:, q])
        kappas = []
        for start in range(q + 1, terms.shape[1], pair_width):
            n, agreeing = sums[:, start], sums[:, start + 1]
            margins_a = sums[:, start + 2 : start + 2 + q]
            margins_b = sums[:, start + 2 + q : start + pair_width]
            kappas.append(formulas.cohen_kappa(n, agreeing, margins_a, margins_b))
        # The mean is NaN when any pair is, matching Light's kappa's definition here.
        kappa = np.mean(kappas, axis=0) if kappas else np.full(draws.shape[0], np.nan)
        return np.column_stack([alpha, kappa])

    alpha_interval, kappa_interval = percentile_intervals(
        sizes, evaluate, 2, n_resamples=n_resamples, seed=seed
    )
    return {"krippendorff_alpha_nominal": alpha_interval, "cohen_kappa": kappa_interval}
