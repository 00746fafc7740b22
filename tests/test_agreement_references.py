"""Agreement statistics against independent reference libraries on random data (tolerance 1e-9).

The references are used only here: krippendorff, statsmodels, nltk and scikit-learn. Each has its own
conventions, noted where they differ from agreement.md (e.g. nltk's S counts observed labels only).
"""

from __future__ import annotations

import importlib
from itertools import combinations

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from qcode.agreement import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha_masi,
    krippendorff_alpha_nominal,
    light_kappa,
    masi_distance,
    percent_agreement,
    scott_pi,
)

TOLERANCE = 1e-9
# `import nltk.metrics` can resolve to nltk.translate.metrics through nltk's package namespace.
nltk_agreement = importlib.import_module("nltk.metrics.agreement")
nltk_distance = importlib.import_module("nltk.metrics.distance")


def random_ratings(
    rng: np.random.Generator, n: int, m: int, q: int, missing: float = 0.0
) -> np.ndarray:
    values = rng.integers(0, q, size=(n, m))
    # Correlate coders a little so that statistics are not all near 0.
    anchor = rng.integers(0, q, size=n)
    agree = rng.random((n, m)) < 0.5
    values = np.where(agree, anchor[:, None], values)
    if missing:
        values = np.where(rng.random((n, m)) < missing, -1, values)
    return values


def annotation_task(ratings: np.ndarray, **kwargs) -> object:
    triples = [
        (f"c{c}", f"u{u}", int(ratings[u, c]))
        for u in range(ratings.shape[0])
        for c in range(ratings.shape[1])
        if ratings[u, c] >= 0
    ]
    return nltk_agreement.AnnotationTask(triples, **kwargs)


@pytest.mark.parametrize("seed", range(20))
def test_alpha_matches_krippendorff_package_with_missing_data(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m, q = int(rng.integers(2, 6)), int(rng.integers(2, 7))
    ratings = random_ratings(rng, int(rng.integers(5, 80)), m, q, missing=0.3)
    ours = krippendorff_alpha_nominal(ratings, q)
    reliability = np.where(ratings >= 0, ratings, np.nan).T
    if ours.value is None:
        with pytest.raises(ValueError):
            krippendorff.alpha(
                reliability_data=reliability, level_of_measurement="nominal"
            )
    else:
        reference = krippendorff.alpha(
            reliability_data=reliability, level_of_measurement="nominal"
        )
        assert ours.value == pytest.approx(reference, abs=TOLERANCE)


@pytest.mark.parametrize("seed", range(20))
def test_fleiss_and_randolph_match_statsmodels(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    m, q = int(rng.integers(2, 7)), int(rng.integers(2, 6))
    ratings = random_ratings(rng, int(rng.integers(3, 60)), m, q)
    table, _ = aggregate_raters(ratings, n_cat=q)
    assert fleiss_kappa(ratings, q).value == pytest.approx(
        sm_fleiss(table, method="fleiss"), abs=TOLERANCE
    )
    # Randolph's free-marginal kappa is Brennan-Prediger with q = the table's columns.
    assert brennan_prediger(ratings, q).value == pytest.approx(
        sm_fleiss(table, method="randolph"), abs=TOLERANCE
    )


@pytest.mark.parametrize("seed", range(20))
def test_cohen_matches_statsmodels_and_scikit_learn(seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    q = int(rng.integers(2, 6))
    ratings = random_ratings(rng, int(rng.integers(5, 100)), 2, q, missing=0.2)
    ours = cohen_kappa(ratings, q).value
    both = (ratings >= 0).all(axis=1)
    a, b = ratings[both, 0], ratings[both, 1]
    contingency = np.zeros((q, q))
    np.add.at(contingency, (a, b), 1)
    assert ours == pytest.approx(
        cohens_kappa(contingency, return_results=False), abs=TOLERANCE
    )
    assert ours == pytest.approx(cohen_kappa_score(a, b), abs=TOLERANCE)


@pytest.mark.parametrize("seed", range(15))
def test_two_coder_statistics_match_nltk(seed: int) -> None:
    rng = np.random.default_rng(300 + seed)
    q = int(rng.integers(2, 6))
    ratings = random_ratings(rng, int(rng.integers(5, 60)), 2, q)
    task = annotation_task(ratings)
    observed_labels = len(np.unique(ratings))
    assert cohen_kappa(ratings, q).value == pytest.approx(task.kappa(), abs=TOLERANCE)
    assert cohen_kappa(ratings, q).value == pytest.approx(
        task.multi_kappa(), abs=TOLERANCE
    )
    assert scott_pi(ratings, q).value == pytest.approx(task.pi(), abs=TOLERANCE)
    assert krippendorff_alpha_nominal(ratings, q).value == pytest.approx(
        task.alpha(), abs=TOLERANCE
    )
    assert percent_agreement(ratings, q).value == pytest.approx(
        task.avg_Ao(), abs=TOLERANCE
    )
    # nltk's S takes q as the number of labels observed, not the categories of the analysis.
    assert brennan_prediger(ratings, observed_labels).value == pytest.approx(
        task.S(), abs=TOLERANCE
    )


@pytest.mark.parametrize("seed", range(15))
def test_multi_coder_statistics_match_nltk(seed: int) -> None:
    rng = np.random.default_rng(400 + seed)
    m, q = int(rng.integers(3, 6)), int(rng.integers(2, 6))
    ratings = random_ratings(rng, int(rng.integers(5, 50)), m, q)
    task = annotation_task(ratings)
    # nltk's kappa is the mean of pairwise Cohen's kappas (Light's); its multi-pi is Fleiss' kappa
    # on complete data; its alpha handles any number of coders.
    assert light_kappa(ratings, q=q).value == pytest.approx(task.kappa(), abs=TOLERANCE)
    assert fleiss_kappa(ratings, q).value == pytest.approx(task.pi(), abs=TOLERANCE)
    assert krippendorff_alpha_nominal(ratings, q).value == pytest.approx(
        task.alpha(), abs=TOLERANCE
    )
    assert percent_agreement(ratings, q).value == pytest.approx(
        task.avg_Ao(), abs=TOLERANCE
    )


def test_alpha_with_missing_data_matches_nltk() -> None:
    rng = np.random.default_rng(7)
    for _ in range(10):
        ratings = random_ratings(rng, 40, 4, 4, missing=0.35)
        task = annotation_task(ratings)
        assert krippendorff_alpha_nominal(ratings, 4).value == pytest.approx(
            task.alpha(), abs=TOLERANCE
        )


def test_gwet_ac1_by_definition_on_random_data() -> None:
    # No reference library computes AC1 with q fixed by the analysis, so check the definition directly
    # (the published examples are in test_agreement_published).
    rng = np.random.default_rng(8)
    for _ in range(10):
        ratings = random_ratings(rng, 30, 3, 4, missing=0.2)
        rated = [row[row >= 0] for row in ratings]
        pairable = [row for row in rated if row.size >= 2]
        pa = np.mean(
            [
                sum(np.sum(r == k) * (np.sum(r == k) - 1) for k in range(4))
                / (r.size * (r.size - 1))
                for r in pairable
            ]
        )
        pi = np.mean(
            [[np.sum(r == k) / r.size for k in range(4)] for r in rated if r.size],
            axis=0,
        )
        pe = np.sum(pi * (1 - pi)) / 3
        assert gwet_ac1(ratings, 4).value == pytest.approx(
            (pa - pe) / (1 - pe), abs=TOLERANCE
        )


label_sets = st.frozensets(st.integers(0, 5), max_size=4)


@given(label_sets, label_sets)
def test_masi_distance_matches_nltk_and_agreement_md(
    a: frozenset[int], b: frozenset[int]
) -> None:
    # agreement.md compares an empty set as {<none>}; nltk divides by zero on two empty sets, so the
    # reference gets the same substitution. With it, nltk's M (1, 2/3, 1/3, 0) is agreement.md's M.
    a_ref, b_ref = a or frozenset({"<none>"}), b or frozenset({"<none>"})
    intersection = len(a_ref & b_ref)
    ours = float(masi_distance(intersection, len(a_ref), len(b_ref)))
    assert ours == pytest.approx(
        nltk_distance.masi_distance(set(a_ref), set(b_ref)), abs=TOLERANCE
    )


def test_masi_distance_by_hand() -> None:
    # {1,2} vs {1,2,3,4}: J = 2/4, nested so M = 2/3: 1 - 1/3 = 2/3.
    assert masi_distance(2, 2, 4) == pytest.approx(2 / 3, abs=TOLERANCE)
    # {1,2} vs {2,3}: J = 1/3, overlap so M = 1/3: 1 - 1/9.
    assert masi_distance(1, 2, 2) == pytest.approx(8 / 9, abs=TOLERANCE)
    assert masi_distance(0, 1, 3) == 1.0
    assert masi_distance(3, 3, 3) == 0.0


def label_set_matrix(rng: np.random.Generator, n: int, m: int, k: int, missing: float):
    rated = rng.random((n, m)) >= missing
    anchor = rng.random((n, 1, k)) < 0.25
    noise = rng.random((n, m, k)) < 0.15
    present = (anchor ^ noise) & rated[:, :, None]
    return rated, present


def nltk_masi_alpha(rated: np.ndarray, present: np.ndarray) -> float:
    triples = []
    for u in range(rated.shape[0]):
        for c in range(rated.shape[1]):
            if rated[u, c]:
                labels = frozenset(np.flatnonzero(present[u, c]).tolist()) or frozenset(
                    {"<none>"}
                )
                triples.append((f"c{c}", f"u{u}", labels))
    task = nltk_agreement.AnnotationTask(triples, distance=nltk_distance.masi_distance)
    return task.alpha()


@pytest.mark.parametrize("seed", range(12))
def test_masi_alpha_matches_nltk(seed: int) -> None:
    rng = np.random.default_rng(500 + seed)
    m = int(rng.integers(2, 5))
    rated, present = label_set_matrix(
        rng, int(rng.integers(10, 60)), m, 5, missing=0.25 if seed % 2 else 0.0
    )
    ours, _ = krippendorff_alpha_masi(rated, present)
    assert ours.value == pytest.approx(nltk_masi_alpha(rated, present), abs=TOLERANCE)


def test_masi_alpha_by_hand() -> None:
    # Two coders, three units: {a} vs {a}; {a,b} vs {a}; {} vs {b}.
    # Distances: 0; nested J=1/2, M=2/3 -> 2/3; {<none>} vs {b} disjoint -> 1.
    # Values: {a} x3, {a,b} x1, {<none>} x1, {b} x1; n = 6.
    # D_o = (1/6) * sum over units of 2 * delta / (2 - 1) = (2/6) * (0 + 2/3 + 1) = 5/9.
    # D_e = sum over ordered pairs of distinct values of n_v n_v' delta / (n (n - 1)):
    #   {a}-{a,b}: 3*1*(2/3); {a}-{<none>}: 3*1*1; {a}-{b}: 3*1*1; {a,b}-{<none>}: 1*1*1;
    #   {a,b}-{b}: 1*1*(2/3); {<none>}-{b}: 1*1*1 -> sum 2 + 3 + 3 + 1 + 2/3 + 1 = 32/3, doubled 64/3
    #   -> D_e = (64/3) / 30 = 32/45.  alpha = 1 - (5/9) / (32/45) = 1 - 25/32 = 7/32.
    rated = np.ones((3, 2), dtype=bool)
    present = np.zeros((3, 2, 2), dtype=bool)
    present[0, 0, 0] = present[0, 1, 0] = True
    present[1, 0, [0, 1]] = True
    present[1, 1, 0] = True
    present[2, 1, 1] = True
    ours, _ = krippendorff_alpha_masi(rated, present)
    assert ours.value == pytest.approx(7 / 32, abs=TOLERANCE)
    assert ours.value == pytest.approx(nltk_masi_alpha(rated, present), abs=TOLERANCE)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_pairwise_mean_equals_nltk_kappa_for_any_small_panel(
    data: st.DataObject,
) -> None:
    m = data.draw(st.integers(2, 4))
    n = data.draw(st.integers(4, 12))
    rows = data.draw(
        st.lists(
            st.lists(st.integers(0, 2), min_size=m, max_size=m), min_size=n, max_size=n
        )
    )
    ratings = np.array(rows)
    ours = light_kappa(ratings, q=3)
    pairs_defined = all(
        cohen_kappa(ratings[:, [i, j]], 3).value is not None
        for i, j in combinations(range(m), 2)
    )
    if pairs_defined:
        assert ours.value == pytest.approx(
            annotation_task(ratings).kappa(), abs=TOLERANCE
        )
    else:
        assert ours.value is None and "undefined for" in ours.undefined_reason
