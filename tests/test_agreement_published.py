"""Agreement statistics against published worked examples.

Where a source prints rounded figures we compare at the printed precision, and also against an exact
value (a fraction worked out by hand or an independent reference library) at 1e-9.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from qcode.agreement import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha_nominal,
    percent_agreement,
    scott_pi,
)

TOLERANCE = 1e-9

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers x 12 units,
# nominal values 1..5, "." = missing (here 0). The same data are `cac.raw4raters` in Gwet's irrCAC.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],  # observer A
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],  # observer B
    [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],  # observer C
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],  # observer D
]


def as_ratings(observers: list[list[int]]) -> np.ndarray:
    """Units x coders with categories 0.. and -1 missing, from observer rows valued 1.. (0 missing)."""
    return np.array(observers).T - 1


def alpha_by_hand(units: list[list[int]]) -> Fraction:
    """Nominal alpha from Krippendorff's coincidence matrix, in exact fractions (the paper's steps)."""
    coincidences: dict[tuple[int, int], Fraction] = {}
    for values in units:
        if len(values) < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidences[c, k] = coincidences.get(
                        (c, k), Fraction(0)
                    ) + Fraction(1, len(values) - 1)
    categories = sorted({c for c, _ in coincidences})
    n_c = {
        c: sum(v for (a, _), v in coincidences.items() if a == c) for c in categories
    }
    n = sum(n_c.values())
    observed = sum(v for (c, k), v in coincidences.items() if c != k)
    expected = sum(
        n_c[c] * n_c[k] for c in categories for k in categories if c != k
    ) / (n - 1)
    return 1 - observed / expected


def test_krippendorff_2011_nominal_example_gives_0_743() -> None:
    ratings = as_ratings(KRIPPENDORFF_2011)
    alpha = krippendorff_alpha_nominal(ratings).value
    units = [
        [v for v in column if v] for column in zip(*KRIPPENDORFF_2011, strict=True)
    ]
    assert round(alpha, 3) == 0.743
    assert alpha == pytest.approx(float(alpha_by_hand(units)), abs=TOLERANCE)


def test_gwet_handbook_raw4raters_published_coefficients() -> None:
    # Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed.; printed by the irrCAC R package README
    # for `cac.raw4raters` (the Krippendorff 2011 data): pa 0.8181818, AC1 0.77544 (pe 0.1903212),
    # Fleiss 0.76117 (pe 0.2387153), Krippendorff 0.74342, Brennan-Prediger 0.77273 (q = 5).
    ratings = as_ratings(KRIPPENDORFF_2011)
    assert percent_agreement(ratings).value == pytest.approx(9 / 11, abs=TOLERANCE)
    assert gwet_ac1(ratings, 5).value == pytest.approx(0.77544, abs=5e-6)
    assert fleiss_kappa(ratings).value == pytest.approx(0.76117, abs=5e-6)
    assert krippendorff_alpha_nominal(ratings).value == pytest.approx(0.74342, abs=5e-6)
    assert brennan_prediger(ratings, 5).value == pytest.approx(0.77273, abs=5e-6)
    # The chance terms, exactly: pi_k is the mean over the 12 rated units of r_ik / r_i.
    shares = [Fraction(0)] * 5
    for column in zip(*KRIPPENDORFF_2011, strict=True):
        given = [v for v in column if v]
        for v in given:
            shares[v - 1] += Fraction(1, len(given) * 12)
    pa = Fraction(9, 11)
    pe_ac1 = sum(p * (1 - p) for p in shares) / 4
    pe_fleiss = sum(p * p for p in shares)
    assert float(pe_ac1) == pytest.approx(0.1903212, abs=5e-8)
    assert float(pe_fleiss) == pytest.approx(0.2387153, abs=5e-8)
    assert gwet_ac1(ratings, 5).value == pytest.approx(
        float((pa - pe_ac1) / (1 - pe_ac1)), abs=TOLERANCE
    )
    assert fleiss_kappa(ratings).value == pytest.approx(
        float((pa - pe_fleiss) / (1 - pe_fleiss)), abs=TOLERANCE
    )


# Fleiss (1971), Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses (as in statsmodels' tests:
# statsmodels/stats/tests/test_inter_rater.py, `diagnoses`). Fleiss reports kappa = .430.
FLEISS_1971 = np.array(
    [
        [4, 4, 4, 4, 4, 4],
        [2, 2, 2, 5, 5, 5],
        [2, 3, 3, 3, 3, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3],
        [3, 3, 3, 3, 5, 5],
        [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4],
        [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4],
        [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3],
        [1, 4, 4, 4, 4, 4],
        [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5],
        [1, 1, 1, 1, 1, 2],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 4, 4, 4, 4, 4],
        [2, 2, 4, 5, 5, 5],
        [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4],
        [1, 1, 1, 1, 5, 5],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3],
        [5, 5, 5, 5, 5, 5],
    ]
)


def test_fleiss_1971_kappa_is_0_430_and_matches_statsmodels() -> None:
    from statsmodels.stats.inter_rater import aggregate_raters
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    ratings = FLEISS_1971 - 1
    kappa = fleiss_kappa(ratings).value
    table, _ = aggregate_raters(ratings, n_cat=5)
    assert round(kappa, 3) == 0.430
    assert kappa == pytest.approx(sm_fleiss(table, method="fleiss"), abs=TOLERANCE)
    assert brennan_prediger(ratings, 5).value == pytest.approx(
        sm_fleiss(table, method="randolph"), abs=TOLERANCE
    )


def expand_contingency(table: list[list[int]]) -> np.ndarray:
    """Two coders' ratings (units x 2) from a contingency table: rows coder A, columns coder B."""
    rows = [
        (a, b)
        for a, line in enumerate(table)
        for b, count in enumerate(line)
        for _ in range(count)
    ]
    return np.array(rows)


def test_textbook_2x2_cohen_kappa_is_0_4() -> None:
    # The worked example of the Wikipedia article "Cohen's kappa" (50 grant proposals read by two
    # readers): both yes 20, A yes/B no 5, A no/B yes 10, both no 15; p_o = 0.7, p_e = 0.5, kappa = 0.4.
    ratings = expand_contingency([[20, 5], [10, 15]])
    assert percent_agreement(ratings).value == pytest.approx(0.7, abs=TOLERANCE)
    assert cohen_kappa(ratings).value == pytest.approx(0.4, abs=TOLERANCE)


def test_gwet_handbook_cont3x3abstractors_published_coefficients() -> None:
    # Gwet (2014) via the irrCAC README: `cont3x3abstractors`, 100 charts x 2 abstractors, 3 categories.
    # Printed: Cohen 0.7964094, Scott 0.7962397, AC1 0.8493305, Brennan-Prediger 0.835,
    # Krippendorff 0.7972585, percent agreement 0.89.
    ratings = expand_contingency([[13, 0, 0], [0, 20, 7], [0, 4, 56]])
    assert cohen_kappa(ratings).value == pytest.approx(0.7964094, abs=5e-8)
    assert scott_pi(ratings).value == pytest.approx(0.7962397, abs=5e-8)
    assert gwet_ac1(ratings, 3).value == pytest.approx(0.8493305, abs=5e-8)
    assert brennan_prediger(ratings, 3).value == pytest.approx(0.835, abs=TOLERANCE)
    assert krippendorff_alpha_nominal(ratings).value == pytest.approx(
        0.7972585, abs=5e-8
    )
    assert percent_agreement(ratings).value == pytest.approx(0.89, abs=TOLERANCE)
    # Cohen's kappa by hand: p_o = 89/100, margins A (13, 27, 60), B (13, 24, 63).
    p_e = Fraction(13 * 13 + 27 * 24 + 60 * 63, 100 * 100)
    exact = (Fraction(89, 100) - p_e) / (1 - p_e)
    assert cohen_kappa(ratings).value == pytest.approx(float(exact), abs=TOLERANCE)


def test_gwet_handbook_distrib_6raters_published_coefficients() -> None:
    # irrCAC README, `distrib.6raters`: 15 subjects x 6 raters over 5 categories, given as counts.
    # Printed: AC1 0.4448007, Fleiss 0.4139265, Krippendorff 0.4204384, Brennan-Prediger 0.4388889,
    # pa 0.5511111.
    distribution = [
        [0, 0, 0, 6, 0],
        [0, 3, 0, 0, 3],
        [0, 1, 4, 0, 1],
        [0, 0, 0, 0, 6],
        [0, 3, 0, 3, 0],
        [2, 0, 4, 0, 0],
        [0, 0, 4, 0, 2],
        [2, 0, 3, 1, 0],
        [2, 0, 0, 4, 0],
        [0, 0, 0, 0, 6],
        [1, 0, 0, 5, 0],
        [1, 1, 0, 4, 0],
        [0, 3, 3, 0, 0],
        [1, 0, 0, 5, 0],
        [0, 2, 0, 3, 1],
    ]
    # Which rater gave which rating does not matter to these coefficients.
    ratings = np.array([np.repeat(np.arange(5), row) for row in distribution])
    assert gwet_ac1(ratings, 5).value == pytest.approx(0.4448007, abs=5e-8)
    assert fleiss_kappa(ratings).value == pytest.approx(0.4139265, abs=5e-8)
    assert krippendorff_alpha_nominal(ratings).value == pytest.approx(
        0.4204384, abs=5e-8
    )
    assert brennan_prediger(ratings, 5).value == pytest.approx(0.4388889, abs=5e-8)
    assert percent_agreement(ratings).value == pytest.approx(0.5511111, abs=5e-8)
