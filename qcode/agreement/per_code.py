"""The per-code (binary) table: every statistic on present/absent, one row per code (agreement.md).

For code j, x(c, u) = 1 if j is in S(c, u), 0 if coder c rated u without applying j, and missing where c
did not rate u; q = 2. The computation is vectorised over all codes at once: a unit's count table for
code j is (r_u - r_uj, r_uj), with r_u the coders who rated u and r_uj those who applied j.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qcode.agreement import formulas, reasons
from qcode.agreement.matrix import CodingMatrix
from qcode.agreement.nominal import (
    STATISTICS,
    count_based_results,
    defined_or,
    mean_of_pairs,
    pair_labels,
)
from qcode.agreement.result import Result

Table = dict[str, Result]


@dataclass(frozen=True)
class PerCodeStatistics:
    """Per code: the seven statistics, every coder pair's statistics, and the units each coder coded."""

    by_code: dict[str, Table]
    pairwise: dict[str, dict[str, Table]]  # code -> "A|B" -> statistics
    coded_units: dict[
        str, dict[str, int]
    ]  # code -> coder -> units the coder applied the code to


@dataclass(frozen=True, slots=True)
class _PairVectors:
    """Cohen's kappa and Scott's pi of one coder pair, for every code at once."""

    n_common: int
    kappa: np.ndarray  # (k,)
    pi: np.ndarray  # (k,)

    def results(self, code: int) -> Table:
        if self.n_common == 0:
            nothing = Result.undefined(reasons.NO_COMMON_UNITS)
            return {"cohen_kappa": nothing, "scott_pi": nothing}
        return {
            "cohen_kappa": defined_or(
                float(self.kappa[code]), reasons.KAPPA_ONE_CATEGORY
            ),
            "scott_pi": defined_or(float(self.pi[code]), reasons.PI_ONE_CATEGORY),
        }


def _summary(rated: np.ndarray, present: np.ndarray) -> formulas.CountSummary:
    """Count summary of every code: category 0 = absent, 1 = present; raters per unit are shared."""
    raters = rated.sum(axis=1).astype(np.float64)
    applied = np.ascontiguousarray(present.sum(axis=1, dtype=np.float64).T)  # (k, n)
    return formulas.summarise_counts(
        np.stack([raters - applied, applied]), ratings=raters
    )


def _pair_vectors(
    rated: np.ndarray, present: np.ndarray, i: int, j: int
) -> _PairVectors:
    both = rated[:, i] & rated[:, j]
    a = present[both, i, :]
    b = present[both, j, :]
    n = int(both.sum())
    agreeing = (a == b).sum(axis=0)
    applied_a, applied_b = a.sum(axis=0), b.sum(axis=0)
    margins_a = np.stack([n - applied_a, applied_a], axis=-1)
    margins_b = np.stack([n - applied_b, applied_b], axis=-1)
    return _PairVectors(
        n_common=n,
        kappa=formulas.cohen_kappa(n, agreeing, margins_a, margins_b),
        pi=formulas.scott_pi(n, agreeing, margins_a, margins_b),
    )


def _tables(
    rated: np.ndarray, present: np.ndarray, coders: tuple[str, ...], n_codes: int
) -> list[Table]:
    """The seven binary statistics of every code for the coders in `rated`'s columns."""
    summary = _summary(rated, present)
    pairs = {
        label: _pair_vectors(rated, present, i, j)
        for i, j, label in pair_labels(coders)
    }
    tables = []
    for code in range(n_codes):
        results = count_based_results(summary.at(code), 2)
        if len(coders) == 2:
            (pair,) = pairs.values()
            results |= pair.results(code)
        elif len(coders) > 2:
            kappas = {
                label: pair.results(code)["cohen_kappa"]
                for label, pair in pairs.items()
            }
            results["cohen_kappa"] = mean_of_pairs(kappas)
            results["scott_pi"] = Result.undefined(reasons.SCOTT_NEEDS_TWO_CODERS)
        else:
            nothing = Result.undefined(reasons.NO_PAIRABLE_UNITS)
            results |= {"cohen_kappa": nothing, "scott_pi": nothing}
        tables.append({name: results[name] for name in STATISTICS})
    return tables


def per_code_statistics(matrix: CodingMatrix) -> PerCodeStatistics:
    """The per-code table, the per-code pairwise tables and each coder's coded-unit counts."""
    codes, coders = matrix.codes, matrix.coders
    rated, present = matrix.rated, matrix.present
    by_code = dict(zip(codes, _tables(rated, present, coders, len(codes)), strict=True))
    pairwise: dict[str, dict[str, Table]] = {code: {} for code in codes}
    if len(coders) == 2:
        # The only pair is the whole table; no need to compute it twice.
        label = pair_labels(coders)[0][2]
        pairwise = {code: {label: table} for code, table in by_code.items()}
    for i, j, label in pair_labels(coders) if len(coders) > 2 else []:
        pair_tables = _tables(
            rated[:, [i, j]], present[:, [i, j], :], (coders[i], coders[j]), len(codes)
        )
        for code, table in zip(codes, pair_tables, strict=True):
            pairwise[code][label] = table
    applied = present.sum(axis=0)  # (m, k)
    coded_units = {
        code: {coder: int(applied[c, j]) for c, coder in enumerate(coders)}
        for j, code in enumerate(codes)
    }
    return PerCodeStatistics(by_code, pairwise, coded_units)
