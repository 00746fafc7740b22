"""The agreement formulas of `agreement.md`, written once, as vectorised functions of sums over units.

Every statistic here is a function of sums, over units, of per-unit terms. Writing them that way lets one
implementation serve three callers: a point estimate (sums over all units), the per-code table (a
leading batch axis, one entry per code) and the bootstrap (sums weighted by how often each unit was
drawn, one row per resample). Inside this module an undefined value (0/0) is NaN; the callers turn NaN
into a `Result` with a reason and never let it reach a report.

Notation (agreement.md): unit i has r_i ratings, r_ik of them in category k. Only units with r_i >= 2
("pairable" units) enter the agreement terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np

MISSING = -1
"""The value of a rating a coder did not give (the unit belongs to a transcript they did not rate)."""

Values: TypeAlias = "np.ndarray | np.number[Any] | float"
"""Sums over units: an array (batch axis), or one value; the formulas below take either."""


def category_counts(values: np.ndarray, q: int) -> np.ndarray:
    """r_ik, category first: for `values` (n, m) with -1 = missing, the (q, n) ratings per category."""
    n = values.shape[0]
    given = values >= 0
    unit_of_rating = np.broadcast_to(np.arange(n)[:, None], values.shape)[given]
    flat = values[given] * n + unit_of_rating
    return np.bincount(flat, minlength=q * n).reshape(q, n)


@dataclass(frozen=True, slots=True)
class CountSummary:
    """Sums over units of a category-count table, with an optional leading batch axis.

    `percent_agreement` is NaN where no unit is pairable; `category_shares` (pi_k) is the mean over units
    with at least one rating of r_ik / r_i, zero where no unit was rated.
    """

    n_pairable: np.ndarray  # (...,) units with r_i >= 2
    n_rated: np.ndarray  # (...,) units with r_i >= 1
    percent_agreement: (
        np.ndarray
    )  # (...,) P: mean over pairable units of the share of agreeing pairs
    category_shares: np.ndarray  # (..., q) pi_k
    pairable_totals: (
        np.ndarray
    )  # (..., q) n_k: values in category k among pairable units
    coincidence_diagonal: (
        np.ndarray
    )  # (...,) sum_k o_kk of Krippendorff's coincidence matrix

    def at(self, index: int) -> CountSummary:
        """The summary of one entry of the batch axis (e.g. one code of the per-code table)."""
        return CountSummary(
            n_pairable=self.n_pairable[index],
            n_rated=self.n_rated[index],
            percent_agreement=self.percent_agreement[index],
            category_shares=self.category_shares[index],
            pairable_totals=self.pairable_totals[index],
            coincidence_diagonal=self.coincidence_diagonal[index],
        )


def _agreeing_pairs(counts: np.ndarray) -> np.ndarray:
    """sum_k r_ik (r_ik - 1) over the leading category axis, one category at a time (no big temporary)."""
    total = np.zeros(counts.shape[1:])
    for category in counts:
        total += category * (category - 1.0)
    return total


def alpha_unit_terms(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-unit terms of nominal alpha for counts (q, ..., n): pairable values per category, and o_u.

    o_u = sum_k r_ik (r_ik - 1) / (r_i - 1) is unit i's contribution to the diagonal of the
    coincidence matrix; units with fewer than 2 values contribute nothing (they are unpairable).
    """
    counts = np.asarray(counts, dtype=np.float64)
    ratings = counts.sum(axis=0)
    pairable = ratings >= 2
    diagonal = np.divide(
        _agreeing_pairs(counts),
        ratings - 1.0,
        out=np.zeros(ratings.shape),
        where=pairable,
    )
    return counts * pairable, diagonal


def _unit_weighted_sum(per_unit: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """sum_i per_unit[..., i] * weights[..., i]; a matrix-vector product when weights are shared."""
    # numpy's stubs type these products as Any; the annotation says what they are.
    weighted: np.ndarray = per_unit @ weights if weights.ndim == 1 else (per_unit * weights).sum(axis=-1)
    return weighted


def summarise_counts(
    counts: np.ndarray, ratings: np.ndarray | None = None
) -> CountSummary:
    """Sum the per-unit terms of a count table (q, ..., n), category axis first, over its unit axis.

    `ratings` (r_i, broadcastable to (..., n)) may be passed when it is shared by the whole batch, as
    in the per-code table where every code has the same raters per unit; it saves summing `counts`.
    """
    counts = np.asarray(counts, dtype=np.float64)
    ratings = (
        counts.sum(axis=0) if ratings is None else np.asarray(ratings, dtype=np.float64)
    )
    pairable = ratings >= 2
    rated = ratings >= 1
    # Per-unit weights, zero where the unit does not enter the term.
    per_pair = np.divide(
        1.0, ratings * (ratings - 1.0), out=np.zeros(ratings.shape), where=pairable
    )
    per_other = np.divide(
        1.0, ratings - 1.0, out=np.zeros(ratings.shape), where=pairable
    )
    per_rating = np.divide(1.0, ratings, out=np.zeros(ratings.shape), where=rated)
    agreeing_pairs = _agreeing_pairs(counts)
    n_pairable = pairable.sum(axis=-1)
    n_rated = rated.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = _unit_weighted_sum(agreeing_pairs, per_pair) / n_pairable
    shares = _unit_weighted_sum(counts, per_rating) / np.maximum(n_rated, 1)
    totals = _unit_weighted_sum(counts, pairable.astype(np.float64))
    batch_shape = np.broadcast_shapes(counts.shape[1:-1], ratings.shape[:-1])
    return CountSummary(
        n_pairable=np.broadcast_to(n_pairable, batch_shape),
        n_rated=np.broadcast_to(n_rated, batch_shape),
        percent_agreement=np.broadcast_to(percent, batch_shape),
        category_shares=np.moveaxis(shares, 0, -1),
        pairable_totals=np.moveaxis(totals, 0, -1),
        coincidence_diagonal=_unit_weighted_sum(agreeing_pairs, per_other),
    )


def krippendorff_alpha(
    pairable_totals: np.ndarray, coincidence_diagonal: np.ndarray
) -> np.ndarray:
    """Nominal alpha = 1 - D_o / D_e = 1 - (n - 1)(n - sum_k o_kk) / (n^2 - sum_k n_k^2).

    n_k are the pairable values per category and n their total (Krippendorff 2011). NaN where the
    expected disagreement is 0: no pairable value, or all of them in one category.
    """
    totals = np.asarray(pairable_totals, dtype=np.float64)
    n = totals.sum(axis=-1)
    expected = n * n - (totals * totals).sum(axis=-1)  # n (n - 1) D_e
    observed = n - coincidence_diagonal  # n D_o
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = 1.0 - (n - 1.0) * observed / expected
    return np.where(expected > 0, alpha, np.nan)


def fleiss_kappa(
    percent_agreement: Values, category_shares: np.ndarray
) -> np.ndarray:
    """(P - P_e) / (1 - P_e) with P_e = sum_k pi_k^2 (Fleiss 1971; Gwet's form for missing data).

    NaN where P is undefined or every rating is in one category (then P_e = 1 exactly).
    """
    shares = np.asarray(category_shares, dtype=np.float64)
    chance = (shares * shares).sum(axis=-1)
    one_category = (shares > 0).sum(axis=-1) <= 1
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = (percent_agreement - chance) / (1.0 - chance)
    return np.where(one_category, np.nan, kappa)


def brennan_prediger(percent_agreement: Values, q: int) -> np.ndarray:
    """(P - 1/q) / (1 - 1/q), q the number of categories in the analysis; NaN when q < 2."""
    if q < 2:
        return np.full(np.shape(percent_agreement), np.nan)
    return (q * np.asarray(percent_agreement, dtype=np.float64) - 1.0) / (q - 1.0)


def gwet_ac1(
    percent_agreement: Values, category_shares: np.ndarray, q: int
) -> np.ndarray:
    """(P - p_e) / (1 - p_e), p_e = sum_k pi_k (1 - pi_k) / (q - 1) (Gwet 2008); NaN when q < 2.

    p_e is at most 1/q, so 1 - p_e never vanishes once q >= 2.
    """
    if q < 2:
        return np.full(np.shape(percent_agreement), np.nan)
    shares = np.asarray(category_shares, dtype=np.float64)
    chance = (shares * (1.0 - shares)).sum(axis=-1) / (q - 1.0)
    ac1: np.ndarray = (percent_agreement - chance) / (1.0 - chance)
    return ac1


def cohen_kappa(
    n: Values, agreeing: Values, margins_a: np.ndarray, margins_b: np.ndarray
) -> np.ndarray:
    """Cohen's kappa from the sums over units both coders rated, in integer-exact form.

    kappa = (p_o - p_e)/(1 - p_e) with p_o = agreeing/n and p_e = sum_k a_k b_k / n^2, multiplied
    through by n^2 so that the 0/0 test is exact: n*agreeing - sum a_k b_k over n^2 - sum a_k b_k.
    NaN where no unit was rated by both or both coders used one and the same category throughout.
    """
    n = np.asarray(n, dtype=np.float64)
    chance = (np.asarray(margins_a, np.float64) * margins_b).sum(axis=-1)
    denominator = n * n - chance
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = (n * agreeing - chance) / denominator
    return np.where(denominator > 0, kappa, np.nan)


def scott_pi(
    n: Values, agreeing: Values, margins_a: np.ndarray, margins_b: np.ndarray
) -> np.ndarray:
    """Scott's pi: p_e = sum_k ((a_k + b_k) / 2n)^2, multiplied through by 4 n^2 like `cohen_kappa`."""
    n = np.asarray(n, dtype=np.float64)
    pooled = np.asarray(margins_a, np.float64) + margins_b
    chance = (pooled * pooled).sum(axis=-1)
    denominator = 4.0 * n * n - chance
    with np.errstate(invalid="ignore", divide="ignore"):
        pi = (4.0 * n * agreeing - chance) / denominator
    return np.where(denominator > 0, pi, np.nan)
