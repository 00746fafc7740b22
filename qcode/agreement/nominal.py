"""Agreement statistics on single-label nominal ratings (agreement.md, "Statistics").

The ratings are an integer array `values` of shape (n units, m coders): category 0..q-1, or -1 where the
coder did not rate the unit. Each public function returns a `Result`; a 0/0 statistic is undefined with
its reason, never NaN and never a silent 1.0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from qcode.agreement import formulas, reasons
from qcode.agreement.result import Result

STATISTICS = (
    "percent_agreement",
    "cohen_kappa",
    "scott_pi",
    "fleiss_kappa",
    "krippendorff_alpha_nominal",
    "brennan_prediger",
    "gwet_ac1",
)
"""The single-label statistics of a report, in report order."""

COUNT_BASED = (
    "percent_agreement",
    "fleiss_kappa",
    "krippendorff_alpha_nominal",
    "brennan_prediger",
    "gwet_ac1",
)
"""The statistics that depend only on each unit's counts per category (any number of coders)."""

Statistic = Callable[[np.ndarray], Result]


def as_ratings(
    values: np.ndarray | Sequence[Sequence[int]], q: int | None = None
) -> tuple[np.ndarray, int]:
    """Validate ratings (n, m) of ints in -1..q-1 and return them as int64 with q (default: max + 1)."""
    array = np.asarray(values)
    if array.ndim != 2:
        raise ValueError(
            f"ratings must be a 2-d array (units x coders), got shape {array.shape}"
        )
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"ratings must be integers (-1 = missing), got {array.dtype}")
    array = array.astype(np.int64, copy=False)
    largest = int(array.max()) if array.size else -1
    if q is None:
        q = max(largest + 1, 1)
    if array.size and (int(array.min()) < formulas.MISSING or largest >= q):
        raise ValueError(f"ratings must lie in -1..{q - 1}")
    return array, q


@dataclass(frozen=True, slots=True)
class PairSums:
    """Sums over the units two coders both rated: how many, how many agree, and each coder's margins."""

    n: int
    agreeing: int
    margins_a: np.ndarray  # (q,) units coder a put in each category
    margins_b: np.ndarray  # (q,)


def pair_sums(values_a: np.ndarray, values_b: np.ndarray, q: int) -> PairSums:
    """The 2-coder sums behind Cohen's kappa and Scott's pi, over the units both coders rated."""
    both = (values_a >= 0) & (values_b >= 0)
    a, b = values_a[both], values_b[both]
    return PairSums(
        n=int(both.sum()),
        agreeing=int((a == b).sum()),
        margins_a=np.bincount(a, minlength=q),
        margins_b=np.bincount(b, minlength=q),
    )


def defined_or(value: float, reason: str) -> Result:
    """A `Result` for a formula output that is NaN exactly when the statistic is 0/0."""
    return Result.of(value) if np.isfinite(value) else Result.undefined(reason)


def count_based_results(summary: formulas.CountSummary, q: int) -> dict[str, Result]:
    """Percent agreement, Fleiss, nominal alpha, Brennan-Prediger and AC1 from one (unbatched) summary."""
    if int(summary.n_pairable) == 0:
        nothing = Result.undefined(reasons.NO_PAIRABLE_UNITS)
        return dict.fromkeys(COUNT_BASED, nothing)
    percent = float(summary.percent_agreement)
    shares = summary.category_shares
    return {
        "percent_agreement": Result.of(percent),
        "fleiss_kappa": defined_or(
            float(formulas.fleiss_kappa(percent, shares)), reasons.FLEISS_ONE_CATEGORY
        ),
        "krippendorff_alpha_nominal": defined_or(
            float(
                formulas.krippendorff_alpha(
                    summary.pairable_totals, summary.coincidence_diagonal
                )
            ),
            reasons.ALPHA_ONE_CATEGORY,
        ),
        "brennan_prediger": defined_or(
            float(formulas.brennan_prediger(percent, q)),
            reasons.ONE_CATEGORY_IN_ANALYSIS,
        ),
        "gwet_ac1": defined_or(
            float(formulas.gwet_ac1(percent, shares, q)),
            reasons.ONE_CATEGORY_IN_ANALYSIS,
        ),
    }


def pair_results(sums: PairSums) -> dict[str, Result]:
    """Cohen's kappa and Scott's pi of one pair of coders."""
    if sums.n == 0:
        nothing = Result.undefined(reasons.NO_COMMON_UNITS)
        return {"cohen_kappa": nothing, "scott_pi": nothing}
    args = (sums.n, sums.agreeing, sums.margins_a, sums.margins_b)
    return {
        "cohen_kappa": defined_or(
            float(formulas.cohen_kappa(*args)), reasons.KAPPA_ONE_CATEGORY
        ),
        "scott_pi": defined_or(
            float(formulas.scott_pi(*args)), reasons.PI_ONE_CATEGORY
        ),
    }


def _summary(values: np.ndarray, q: int | None) -> tuple[formulas.CountSummary, int]:
    ratings, q = as_ratings(values, q)
    return formulas.summarise_counts(formulas.category_counts(ratings, q)), q


def _two_coders(values: np.ndarray, q: int | None, statistic: str) -> PairSums:
    ratings, q = as_ratings(values, q)
    if ratings.shape[1] != 2:
        raise ValueError(
            f"{statistic} compares exactly 2 coders, got {ratings.shape[1]}; use pairwise()"
        )
    return pair_sums(ratings[:, 0], ratings[:, 1], q)


def percent_agreement(values: np.ndarray, q: int | None = None) -> Result:
    """Mean over units with >= 2 ratings of the share of agreeing coder pairs."""
    summary, q = _summary(values, q)
    return count_based_results(summary, q)["percent_agreement"]


def cohen_kappa(values: np.ndarray, q: int | None = None) -> Result:
    """Cohen's (1960) kappa of exactly 2 coders over the units both rated."""
    return pair_results(_two_coders(values, q, "Cohen's kappa"))["cohen_kappa"]


def scott_pi(values: np.ndarray, q: int | None = None) -> Result:
    """Scott's (1955) pi of exactly 2 coders over the units both rated."""
    return pair_results(_two_coders(values, q, "Scott's pi"))["scott_pi"]


def fleiss_kappa(values: np.ndarray, q: int | None = None) -> Result:
    """Fleiss' (1971) kappa; with missing ratings, Gwet's generalisation (pi_k over rated units)."""
    summary, q = _summary(values, q)
    return count_based_results(summary, q)["fleiss_kappa"]


def krippendorff_alpha_nominal(values: np.ndarray, q: int | None = None) -> Result:
    """Krippendorff's (2011) alpha for nominal data from the coincidence matrix; missing data allowed."""
    ratings, q = as_ratings(values, q)
    # Only alpha's own terms, not the whole count summary: this is the hot path of large reports.
    pairable_values, diagonal = formulas.alpha_unit_terms(
        formulas.category_counts(ratings, q)
    )
    totals = pairable_values.sum(axis=-1)
    if not totals.any():
        return Result.undefined(reasons.NO_PAIRABLE_UNITS)
    alpha = formulas.krippendorff_alpha(totals, diagonal.sum())
    return defined_or(float(alpha), reasons.ALPHA_ONE_CATEGORY)


def brennan_prediger(values: np.ndarray, q: int) -> Result:
    """Brennan-Prediger (Bennett's S, Randolph's free-marginal kappa) with q categories in the analysis."""
    summary, q = _summary(values, q)
    return count_based_results(summary, q)["brennan_prediger"]


def gwet_ac1(values: np.ndarray, q: int) -> Result:
    """Gwet's (2008) AC1 with q categories in the analysis."""
    summary, q = _summary(values, q)
    return count_based_results(summary, q)["gwet_ac1"]


def pair_labels(coders: Sequence[str]) -> list[tuple[int, int, str]]:
    """Every coder pair as (i, j, "A|B"), i < j, in the order the coders were given."""
    return [
        (i, j, f"{coders[i]}|{coders[j]}")
        for i, j in combinations(range(len(coders)), 2)
    ]


def pairwise(
    values: np.ndarray, coders: Sequence[str], stat: Statistic
) -> dict[str, Result]:
    """`stat` on the two columns of every coder pair, keyed "A|B" in the order the coders were given."""
    ratings, _ = as_ratings(values)
    if ratings.shape[1] != len(coders):
        raise ValueError(
            f"{len(coders)} coder names for {ratings.shape[1]} rating columns"
        )
    return {label: stat(ratings[:, [i, j]]) for i, j, label in pair_labels(coders)}


def mean_of_pairs(pair_kappas: dict[str, Result]) -> Result:
    """Light's (1971) kappa: the mean of the pairwise Cohen's kappas.

    If any pair's kappa is undefined, Light's kappa is undefined too (naming the pairs) rather than a
    mean over the defined pairs only: that mean would silently describe a different set of coders than
    the report lists, and the pairwise table already shows every pair that is defined.
    """
    if not pair_kappas:
        return Result.undefined(reasons.NO_PAIRABLE_UNITS)
    undefined = [label for label, result in pair_kappas.items() if result.value is None]
    if undefined:
        return Result.undefined(reasons.light_pair_undefined(undefined))
    return Result.of(float(np.mean([result.value for result in pair_kappas.values()])))


def light_kappa(
    values: np.ndarray, coders: Sequence[str] | None = None, q: int | None = None
) -> Result:
    """Light's kappa of 2 or more coders (for 2 coders it equals Cohen's kappa); see `mean_of_pairs`."""
    ratings, q = as_ratings(values, q)
    names = (
        list(coders)
        if coders is not None
        else [f"coder {i + 1}" for i in range(ratings.shape[1])]
    )
    return mean_of_pairs(pairwise(ratings, names, lambda pair: cohen_kappa(pair, q)))


def single_label_statistics(
    values: np.ndarray, q: int, coders: Sequence[str]
) -> dict[str, Result]:
    """All seven statistics of `STATISTICS` for 1, 2 or more coders, as a report shows them.

    With 2 coders `cohen_kappa` and `scott_pi` are the pair's; with 3 or more `cohen_kappa` is Light's
    kappa and `scott_pi` is undefined (see `fleiss_kappa` and the pairwise table).
    """
    ratings, q = as_ratings(values, q)
    summary = formulas.summarise_counts(formulas.category_counts(ratings, q))
    results = count_based_results(summary, q)
    m = ratings.shape[1]
    if m == 2:
        results |= pair_results(pair_sums(ratings[:, 0], ratings[:, 1], q))
    elif m > 2:
        results["cohen_kappa"] = light_kappa(ratings, coders, q)
        results["scott_pi"] = Result.undefined(reasons.SCOTT_NEEDS_TWO_CODERS)
    else:
        nothing = Result.undefined(reasons.NO_PAIRABLE_UNITS)
        results |= {"cohen_kappa": nothing, "scott_pi": nothing}
    return {name: results[name] for name in STATISTICS}
