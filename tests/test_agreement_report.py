"""The agreement report's JSON shape, its notes, and the bootstrap intervals."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qcode.agreement import (
    STATISTICS,
    CodingMatrix,
    agreement_report,
    bootstrap,
    cohen_kappa,
    krippendorff_alpha_masi,
    krippendorff_alpha_nominal,
)
from qcode.agreement.bootstrap import distinct_rows, draw_counts, single_label_intervals
from qcode.agreement.masi import LabelSetRatings, _GroupedSets
from qcode.agreement.nominal import light_kappa

RESULT_KEYS = ["value", "undefined_reason", "ci95"]


def random_matrix(
    seed: int, n: int = 200, m: int = 2, k: int = 4, multi: bool = False
) -> CodingMatrix:
    rng = np.random.default_rng(seed)
    truth = rng.integers(-1, k, size=n)  # -1: no code
    present = np.zeros((n, m, k), dtype=bool)
    for c in range(m):
        choice = np.where(rng.random(n) < 0.8, truth, rng.integers(-1, k, size=n))
        coded = choice >= 0
        present[np.flatnonzero(coded), c, choice[coded]] = True
    if multi:
        extra = rng.random((n, m)) < 0.1
        u, c = np.nonzero(extra)
        present[u, c, rng.integers(0, k, size=u.size)] = True
    rated = np.ones((n, m), dtype=bool)
    rated[: n // 10, -1] = False
    return CodingMatrix(
        tuple("ABCDE"[:m]), tuple(f"K{j}" for j in range(k)), rated, present
    )


def assert_result_shape(result: dict) -> None:
    assert list(result) == RESULT_KEYS
    if result["value"] is None:
        assert (
            isinstance(result["undefined_reason"], str) and result["undefined_reason"]
        )
        assert result["ci95"] is None
    else:
        assert isinstance(result["value"], float) and result["undefined_reason"] is None


def assert_table(table: dict) -> None:
    assert list(table) == list(STATISTICS)
    for result in table.values():
        assert_result_shape(result)


def test_report_has_the_mandated_shape_and_order_for_two_coders() -> None:
    report = agreement_report(random_matrix(1), unit="sentence")
    assert list(report)[:8] == [
        "unit",
        "coders",
        "n_units",
        "overall",
        "per_code",
        "pairwise",
        "label_sets",
        "notes",
    ]
    assert (
        report["unit"] == "sentence"
        and report["coders"] == ["A", "B"]
        and report["n_units"] == 200
    )
    assert_table(report["overall"])
    assert list(report["per_code"]) == ["K0", "K1", "K2", "K3"]
    for table in report["per_code"].values():
        assert_table(table)
    assert list(report["pairwise"]) == ["A|B"]
    assert report["pairwise"]["A|B"] == report["overall"]
    assert list(report["label_sets"]) == ["krippendorff_alpha_masi"]
    assert_result_shape(report["label_sets"]["krippendorff_alpha_masi"])
    json.dumps(report, allow_nan=False)
    assert "per_code_pairwise" not in report and "bootstrap" not in report


def test_two_coder_overall_kappa_is_the_pairs_kappa() -> None:
    m = random_matrix(2)
    report = agreement_report(m, unit="turn")
    values = np.where(m.present.any(axis=2), m.present.argmax(axis=2), -1)
    assert report["overall"]["cohen_kappa"]["value"] == pytest.approx(
        cohen_kappa(values, 4).value, abs=1e-12
    )


def test_three_coders_use_light_kappa_and_say_so() -> None:
    m = random_matrix(3, m=3)
    report = agreement_report(m, unit="sentence")
    assert list(report["pairwise"]) == ["A|B", "A|C", "B|C"]
    values = np.where(m.present.any(axis=2), m.present.argmax(axis=2), -1)
    assert report["overall"]["cohen_kappa"]["value"] == pytest.approx(
        light_kappa(values, q=4).value, abs=1e-12
    )
    assert any("Light's kappa" in note for note in report["notes"])
    assert report["overall"]["scott_pi"]["value"] is None
    assert list(report["per_code_pairwise"]["K0"]) == ["A|B", "A|C", "B|C"]
    assert report["pairwise"]["A|C"]["scott_pi"]["value"] is not None


def test_multi_label_units_null_the_overall_statistics_with_a_pointer() -> None:
    report = agreement_report(random_matrix(4, multi=True), unit="sentence")
    for name in STATISTICS:
        result = report["overall"][name]
        assert result["value"] is None
        assert "per_code and label_sets" in result["undefined_reason"]
    assert report["label_sets"]["krippendorff_alpha_masi"]["value"] is not None
    assert report["per_code"]["K0"]["cohen_kappa"]["value"] is not None


def test_empty_category_option_adds_none_to_q() -> None:
    m = random_matrix(5)
    missing = agreement_report(m, unit="sentence", empty="missing")
    category = agreement_report(m, unit="sentence", empty="category")
    assert (
        missing["overall"]["brennan_prediger"]
        != category["overall"]["brennan_prediger"]
    )
    assert any("<none>" in note for note in category["notes"])


def test_counts_per_code_and_rated_units() -> None:
    m = random_matrix(6)
    report = agreement_report(m, unit="sentence")
    assert report["n_units_rated"] == 200 and report["n_units_pairable"] == 180
    assert report["per_code_counts"]["K1"] == {
        "A": int(m.present[:, 0, 1].sum()),
        "B": int(m.present[:, 1, 1].sum()),
    }


def test_bootstrap_intervals_are_reproducible_and_surround_the_estimate() -> None:
    m = random_matrix(7, n=300, m=3, multi=True)
    first = agreement_report(m, unit="sentence", bootstrap=300, seed=11)
    second = agreement_report(m, unit="sentence", bootstrap=300, seed=11)
    other = agreement_report(m, unit="sentence", bootstrap=300, seed=12)
    assert first == second
    assert first != other
    assert first["bootstrap"] == {"resamples": 300, "seed": 11, "method": "percentile"}
    masi = first["label_sets"]["krippendorff_alpha_masi"]
    low, high = masi["ci95"]
    assert low <= masi["value"] <= high
    for table in first["per_code"].values():
        for name in ("krippendorff_alpha_nominal", "cohen_kappa"):
            low, high = table[name]["ci95"]
            assert low <= table[name]["value"] <= high
        assert (
            table["fleiss_kappa"]["ci95"] is None
        )  # intervals are for alpha and kappa only
    json.dumps(first, allow_nan=False)


def test_bootstrap_without_seed_reports_the_seed_it_used() -> None:
    m = random_matrix(8)
    report = agreement_report(m, unit="sentence", bootstrap=50)
    seed = report["bootstrap"]["seed"]
    assert isinstance(seed, int)
    assert agreement_report(m, unit="sentence", bootstrap=50, seed=seed) == report


def test_grouped_resample_sums_equal_the_statistic_on_the_resampled_units(
    monkeypatch,
) -> None:
    # The bootstrap evaluates a resample from draw counts per rating pattern; expanding the same
    # counts into an explicit list of units must give the same statistics.
    rng = np.random.default_rng(9)
    values = np.where(rng.random((80, 3)) < 0.15, -1, rng.integers(0, 3, size=(80, 3)))
    pairable = values[(values >= 0).sum(axis=1) >= 2]
    patterns, sizes = distinct_rows(pairable + 1, 4)
    patterns -= 1
    for row in draw_counts(np.random.default_rng(1), sizes, 5):
        resample = np.repeat(patterns, row, axis=0)
        monkeypatch.setattr(
            bootstrap, "draw_counts", lambda _rng, _sizes, n, row=row: row[None, :]
        )
        intervals = single_label_intervals(values, 3, n_resamples=1, seed=0)
        assert intervals["krippendorff_alpha_nominal"].ci95[0] == pytest.approx(
            krippendorff_alpha_nominal(resample, 3).value, abs=1e-12
        )
        assert intervals["cohen_kappa"].ci95[0] == pytest.approx(
            light_kappa(resample, q=3).value, abs=1e-12
        )


def test_grouped_masi_alpha_equals_alpha_on_expanded_units() -> None:
    rng = np.random.default_rng(10)
    rated = rng.random((50, 3)) > 0.1
    present = (rng.random((50, 3, 4)) < 0.3) & rated[:, :, None]
    ratings = LabelSetRatings.from_matrix(rated, present)
    grouped = _GroupedSets(ratings)
    # The groups are the distinct rows of set ids, in `distinct_rows` order; find each one's first unit.
    patterns, _ = distinct_rows(ratings.set_ids + 1, ratings.sets.shape[0] + 1)
    group_of_pattern = {tuple(pattern - 1): g for g, pattern in enumerate(patterns)}
    group_of_unit = np.array([group_of_pattern[tuple(row)] for row in ratings.set_ids])
    assert (np.bincount(group_of_unit) == grouped.sizes).all()
    first_unit = np.array(
        [np.flatnonzero(group_of_unit == g)[0] for g in range(len(patterns))]
    )
    counts = draw_counts(np.random.default_rng(2), grouped.sizes, 3)
    for row, value in zip(counts, grouped.alpha(counts.astype(float)), strict=True):
        chosen = np.repeat(first_unit, row)
        ids = ratings.set_ids[chosen]
        expanded_rated = ids >= 0
        codes_of_set = ratings.sets[:, :-1]  # drop the <none> column
        expanded_present = codes_of_set[np.maximum(ids, 0)] & expanded_rated[:, :, None]
        direct, _ = krippendorff_alpha_masi(expanded_rated, expanded_present)
        assert value == pytest.approx(direct.value, abs=1e-12)


def test_draw_counts_are_multinomial() -> None:
    # Each group's count is Binomial(n', size / n'): check means and variances over many resamples.
    sizes = np.array([500, 40, 9, 5, 3, 1, 1, 1, 2, 7])
    n = sizes.sum()
    counts = draw_counts(np.random.default_rng(3), sizes, 20000)
    assert (counts.sum(axis=1) == n).all()
    p = sizes / n
    assert counts.mean(axis=0) == pytest.approx(n * p, rel=0.05, abs=0.05)
    assert counts.var(axis=0) == pytest.approx(n * p * (1 - p), rel=0.1, abs=0.05)


def test_too_many_undefined_resamples_withhold_the_interval() -> None:
    # One unit of disagreement among many identical ones: most resamples leave kappa 0/0.
    values = np.array([[0, 0]] * 60 + [[0, 1]])
    intervals = single_label_intervals(values, 2, n_resamples=200, seed=1)
    assert intervals["cohen_kappa"].ci95 is None
    assert "undefined in" in intervals["cohen_kappa"].reason


def test_negative_bootstrap_is_rejected() -> None:
    with pytest.raises(ValueError):
        agreement_report(random_matrix(1), unit="sentence", bootstrap=-1)
