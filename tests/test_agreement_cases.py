"""Edge cases of the agreement statistics: undefined (0/0) cases, perfect agreement, missing data."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qcode.agreement import (
    CodingMatrix,
    Result,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha_masi,
    krippendorff_alpha_nominal,
    light_kappa,
    pairwise,
    per_code_statistics,
    percent_agreement,
    reasons,
    scott_pi,
    single_label_ratings,
)


def test_result_refuses_nan_infinity_and_reasonless_none() -> None:
    with pytest.raises(ValueError):
        Result(math.nan)
    with pytest.raises(ValueError):
        Result(math.inf)
    with pytest.raises(ValueError):
        Result(None)
    with pytest.raises(ValueError):
        Result(0.5, "a reason")
    assert Result.of(np.float64(0.25)).to_json() == {
        "value": 0.25,
        "undefined_reason": None,
        "ci95": None,
    }
    assert Result(0.5, ci95=(0.1, 0.9)).to_json()["ci95"] == [0.1, 0.9]


def test_everybody_says_absent_kappa_alpha_fleiss_are_undefined_not_one() -> None:
    ratings = np.zeros(
        (10, 2), dtype=int
    )  # category 0 = "absent" for every unit and coder
    assert cohen_kappa(ratings, 2) == Result.undefined(reasons.KAPPA_ONE_CATEGORY)
    assert scott_pi(ratings, 2) == Result.undefined(reasons.PI_ONE_CATEGORY)
    assert fleiss_kappa(ratings, 2) == Result.undefined(reasons.FLEISS_ONE_CATEGORY)
    assert krippendorff_alpha_nominal(ratings, 2) == Result.undefined(
        reasons.ALPHA_ONE_CATEGORY
    )
    # These are defined: the coders do agree on every unit, and AC1/BP have no 0/0 here.
    assert percent_agreement(ratings, 2).value == 1.0
    assert brennan_prediger(ratings, 2).value == 1.0
    assert gwet_ac1(ratings, 2).value == 1.0


def test_one_coder_only_and_no_units_are_undefined() -> None:
    one_coder = np.array([[0], [1], [1]])
    for statistic in (percent_agreement, fleiss_kappa, krippendorff_alpha_nominal):
        assert statistic(one_coder, 2) == Result.undefined(reasons.NO_PAIRABLE_UNITS)
    assert gwet_ac1(one_coder, 2) == Result.undefined(reasons.NO_PAIRABLE_UNITS)
    no_units = np.zeros((0, 2), dtype=int)
    assert percent_agreement(no_units, 2) == Result.undefined(reasons.NO_PAIRABLE_UNITS)
    assert cohen_kappa(no_units, 2) == Result.undefined(reasons.NO_COMMON_UNITS)
    # Two coders who never rated the same unit.
    disjoint = np.array([[0, -1], [1, -1], [-1, 0], [-1, 1]])
    assert cohen_kappa(disjoint, 2) == Result.undefined(reasons.NO_COMMON_UNITS)
    assert krippendorff_alpha_nominal(disjoint, 2) == Result.undefined(
        reasons.NO_PAIRABLE_UNITS
    )


def test_perfect_agreement_is_one_everywhere() -> None:
    ratings = np.repeat(np.array([0, 1, 2, 1, 0, 2])[:, None], 3, axis=1)
    assert percent_agreement(ratings).value == 1.0
    assert fleiss_kappa(ratings).value == pytest.approx(1.0)
    assert krippendorff_alpha_nominal(ratings).value == pytest.approx(1.0)
    assert light_kappa(ratings).value == pytest.approx(1.0)
    assert brennan_prediger(ratings, 3).value == pytest.approx(1.0)
    assert gwet_ac1(ratings, 3).value == pytest.approx(1.0)
    assert cohen_kappa(ratings[:, :2]).value == pytest.approx(1.0)


def test_q_of_the_analysis_not_the_observed_categories_drives_brennan_prediger() -> (
    None
):
    ratings = np.array(
        [[0, 0], [1, 1], [0, 1], [1, 1]]
    )  # P = 3/4, two categories observed
    assert brennan_prediger(ratings, 2).value == pytest.approx((0.75 - 0.5) / 0.5)
    assert brennan_prediger(ratings, 5).value == pytest.approx((0.75 - 0.2) / 0.8)
    assert brennan_prediger(ratings[:, :0].reshape(4, 0), 1).value is None
    assert brennan_prediger(np.zeros((3, 2), int), 1) == Result.undefined(
        reasons.ONE_CATEGORY_IN_ANALYSIS
    )


def test_light_kappa_is_undefined_when_a_pair_is_and_names_the_pair() -> None:
    # Coders A and B only ever say 0; C varies. Kappa(A, B) is 0/0.
    ratings = np.array([[0, 0, 1], [0, 0, 0], [0, 0, 1], [0, 0, 0]])
    result = light_kappa(ratings, ["A", "B", "C"])
    assert result.value is None
    assert "A|B" in result.undefined_reason
    table = pairwise(ratings, ["A", "B", "C"], lambda pair: cohen_kappa(pair, 2))
    assert list(table) == ["A|B", "A|C", "B|C"]
    assert table["A|B"].value is None


def test_cohen_kappa_requires_two_coders() -> None:
    with pytest.raises(ValueError, match="exactly 2 coders"):
        cohen_kappa(np.zeros((3, 3), int))


def test_ratings_outside_the_categories_are_rejected() -> None:
    with pytest.raises(ValueError):
        percent_agreement(np.array([[0, 3]]), 3)
    with pytest.raises(ValueError):
        percent_agreement(np.array([[0.5, 1.0]]))


def matrix(
    rated: list[list[bool]], codes_applied: list[list[list[int]]], k: int = 3
) -> CodingMatrix:
    present = np.zeros((len(rated), len(rated[0]), k), dtype=bool)
    for u, row in enumerate(codes_applied):
        for c, codes in enumerate(row):
            present[u, c, codes] = True
    coders = tuple("ABCDE"[: len(rated[0])])
    return CodingMatrix(
        coders, tuple(f"K{j}" for j in range(k)), np.array(rated), present
    )


def test_multi_label_units_make_single_label_ratings_unavailable() -> None:
    m = matrix([[True, True], [True, True]], [[[0, 1], [0]], [[2], [2]]])
    ratings = single_label_ratings(m, "missing")
    assert ratings.values is None and ratings.n_multi_label_units == 1
    assert "1 unit carries several codes" in reasons.multi_label(1)


def test_empty_units_are_missing_or_their_own_category() -> None:
    m = matrix(
        [[True, True], [True, True], [True, False]], [[[0], []], [[], []], [[1], []]]
    )
    missing = single_label_ratings(m, "missing")
    assert missing.q == 3
    assert missing.values.tolist() == [[0, -1], [-1, -1], [1, -1]]
    category = single_label_ratings(m, "category")
    assert category.q == 4 and category.categories[-1] == "<none>"
    assert category.values.tolist() == [[0, 3], [3, 3], [1, -1]]


def test_present_is_ignored_where_the_coder_did_not_rate() -> None:
    m = matrix([[True, False]], [[[0], [1]]])
    assert not m.present[0, 1].any()


def test_per_code_table_equals_the_statistics_on_binary_ratings() -> None:
    rng = np.random.default_rng(3)
    rated = rng.random((60, 3)) > 0.2
    present = (rng.random((60, 3, 4)) < 0.3) & rated[:, :, None]
    m = CodingMatrix(("A", "B", "C"), ("w", "x", "y", "z"), rated, present)
    stats = per_code_statistics(m)
    for j, code in enumerate(m.codes):
        binary = m.binary_ratings(j)
        table = stats.by_code[code]
        assert table["percent_agreement"].value == pytest.approx(
            percent_agreement(binary, 2).value, abs=1e-12
        )
        assert table["fleiss_kappa"].value == pytest.approx(
            fleiss_kappa(binary, 2).value, abs=1e-12
        )
        assert table["krippendorff_alpha_nominal"].value == pytest.approx(
            krippendorff_alpha_nominal(binary, 2).value, abs=1e-12
        )
        assert table["gwet_ac1"].value == pytest.approx(
            gwet_ac1(binary, 2).value, abs=1e-12
        )
        assert table["cohen_kappa"].value == pytest.approx(
            light_kappa(binary, q=2).value, abs=1e-12
        )
        assert table["scott_pi"].undefined_reason == reasons.SCOTT_NEEDS_TWO_CODERS
        pair = stats.pairwise[code]["A|C"]
        assert pair["cohen_kappa"].value == pytest.approx(
            cohen_kappa(binary[:, [0, 2]], 2).value, abs=1e-12
        )
        assert pair["scott_pi"].value == pytest.approx(
            scott_pi(binary[:, [0, 2]], 2).value, abs=1e-12
        )
        assert stats.coded_units[code] == {
            coder: int(present[:, c, j].sum()) for c, coder in enumerate(m.coders)
        }


def test_unused_code_is_undefined_per_code_with_reasons() -> None:
    m = matrix(
        [[True, True], [True, True], [True, True]], [[[0], [0]], [[1], [0]], [[], []]]
    )
    table = per_code_statistics(m).by_code["K2"]
    assert table["cohen_kappa"].undefined_reason == reasons.KAPPA_ONE_CATEGORY
    assert (
        table["krippendorff_alpha_nominal"].undefined_reason
        == reasons.ALPHA_ONE_CATEGORY
    )
    assert table["percent_agreement"].value == 1.0


def test_masi_alpha_undefined_cases() -> None:
    one_coder = matrix([[True], [True]], [[[0]], [[1]]])
    assert krippendorff_alpha_masi(one_coder.rated, one_coder.present)[
        0
    ] == Result.undefined(reasons.NO_PAIRABLE_UNITS)
    all_empty = matrix([[True, True], [True, True]], [[[], []], [[], []]])
    assert krippendorff_alpha_masi(all_empty.rated, all_empty.present)[
        0
    ] == Result.undefined(reasons.ALPHA_ONE_LABEL_SET)


def test_masi_alpha_is_one_for_identical_label_sets() -> None:
    m = matrix([[True, True, True]] * 3, [[[0, 1]] * 3, [[2]] * 3, [[]] * 3])
    assert krippendorff_alpha_masi(m.rated, m.present)[0].value == pytest.approx(1.0)


def test_agreement_and_unit_rule_import_neither_textual_nor_sqlite_utils() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, qcode.agreement, qcode.domain.unit_rule; "
        "print(sorted(m for m in ('textual', 'sqlite_utils') if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
