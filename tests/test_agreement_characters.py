"""Character-level (NVivo-style) agreement from interval endpoints, checked against per-character masks."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from qcode.agreement import (
    CharCounts,
    char_counts,
    char_counts_batch,
    character_agreement_report,
    reasons,
)


def mask(length: int, spans: list[tuple[int, int]]) -> np.ndarray:
    covered = np.zeros(length, dtype=bool)
    for start, end in spans:
        covered[max(start, 0) : min(end, length)] = True
    return covered


spans_strategy = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 60)).map(sorted).map(tuple), max_size=6
)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 60), spans_strategy, spans_strategy)
def test_counts_equal_per_character_masks(
    length: int, spans_a: list, spans_b: list
) -> None:
    a, b = mask(length, spans_a), mask(length, spans_b)
    counts = char_counts(length, spans_a, spans_b)
    assert counts == CharCounts(
        int((a & b).sum()),
        int((a & ~b).sum()),
        int((~a & b).sum()),
        int((~a & ~b).sum()),
    )


def test_overlapping_codings_by_one_coder_count_once() -> None:
    counts = char_counts(20, [(0, 10), (5, 15), (5, 8)], [(12, 20)])
    assert counts == CharCounts(both=3, a_only=12, b_only=5, neither=0)


def test_kappa_equals_cohen_over_characters_and_nvivo_formula() -> None:
    rng = np.random.default_rng(1)
    length = 500
    spans_a = [tuple(sorted(rng.integers(0, length, 2))) for _ in range(8)]
    spans_b = [tuple(sorted(rng.integers(0, length, 2))) for _ in range(8)]
    counts = char_counts(length, spans_a, spans_b)
    stats = counts.statistics()
    a, b = mask(length, spans_a), mask(length, spans_b)
    assert stats["cohen_kappa"].value == pytest.approx(
        cohen_kappa_score(a, b), abs=1e-9
    )
    assert stats["percent_agreement"].value == pytest.approx(np.mean(a == b), abs=1e-9)
    # NVivo: K = (TA - sum EF) / (TU - sum EF), EF the expected frequency of each agreement cell.
    ta = counts.both + counts.neither
    ef = (
        (counts.both + counts.a_only) * (counts.both + counts.b_only)
        + (counts.neither + counts.b_only) * (counts.neither + counts.a_only)
    ) / length
    assert stats["cohen_kappa"].value == pytest.approx(
        (ta - ef) / (length - ef), abs=1e-9
    )
    # Every statistic on the characters equals the unit-level one on the masks as 2-coder ratings.
    from qcode.agreement import (
        fleiss_kappa,
        gwet_ac1,
        krippendorff_alpha_nominal,
        scott_pi,
    )

    ratings = np.column_stack([a, b]).astype(int)
    assert stats["scott_pi"].value == pytest.approx(
        scott_pi(ratings, 2).value, abs=1e-9
    )
    assert stats["fleiss_kappa"].value == pytest.approx(
        fleiss_kappa(ratings, 2).value, abs=1e-9
    )
    assert stats["krippendorff_alpha_nominal"].value == pytest.approx(
        krippendorff_alpha_nominal(ratings, 2).value, abs=1e-9
    )
    assert stats["gwet_ac1"].value == pytest.approx(
        gwet_ac1(ratings, 2).value, abs=1e-9
    )


def test_pooling_sums_counts() -> None:
    first = char_counts(10, [(0, 5)], [(0, 3)])
    second = char_counts(8, [], [(2, 4)])
    assert first + second == CharCounts(3, 2, 2, 11)
    assert (first + second).total == 18


def test_nobody_coded_is_undefined_kappa() -> None:
    stats = char_counts(30, [], []).statistics()
    assert stats["percent_agreement"].value == 1.0
    assert stats["cohen_kappa"].undefined_reason == reasons.KAPPA_ONE_CATEGORY


def test_batch_keeps_groups_apart_and_clips_to_each_group() -> None:
    # A coding running past its group's end must not spill into the next group.
    counts = char_counts_batch(
        np.array([5, 5]),
        np.array([0, 1]),
        np.array([0, 1]),
        np.array([3, 0]),
        np.array([99, 2]),
    )
    assert counts.tolist() == [[0, 2, 0, 3], [0, 0, 2, 3]]


def test_character_report_pools_per_code_and_overall() -> None:
    lengths = np.array([20, 10])
    rated = np.array([[True, True], [True, True]])
    codings = [  # transcript, code, coder, start, end
        (0, 0, 0, 0, 10),
        (0, 0, 1, 5, 10),
        (1, 0, 0, 0, 4),
        (1, 0, 1, 0, 4),
        (0, 1, 0, 12, 20),
        (1, 1, 1, 2, 6),
    ]
    t, k, c, s, e = (np.array(column) for column in zip(*codings, strict=True))
    report = character_agreement_report(
        coders=["A", "B"],
        codes=["K0", "K1"],
        transcripts=["t1", "t2"],
        lengths=lengths,
        rated=rated,
        transcript_index=t,
        code_index=k,
        coder_index=c,
        starts=s,
        ends=e,
    )
    json.dumps(report, allow_nan=False)
    assert list(report)[:7] == [
        "unit",
        "coders",
        "n_units",
        "overall",
        "per_code",
        "pairwise",
        "label_sets",
    ]
    assert report["unit"] == "char" and report["n_units"] == 30
    k0 = char_counts(20, [(0, 10)], [(5, 10)]) + char_counts(10, [(0, 4)], [(0, 4)])
    k1 = char_counts(20, [(12, 20)], []) + char_counts(10, [], [(2, 6)])
    assert (
        report["per_code"]["K0"]["cohen_kappa"]
        == k0.statistics()["cohen_kappa"].to_json()
    )
    assert (
        report["overall"]["cohen_kappa"]
        == (k0 + k1).statistics()["cohen_kappa"].to_json()
    )
    cell = report["per_code_transcript"]["K0"]["t1"]["A|B"]
    assert cell["counts"] == {"both": 5, "a_only": 5, "b_only": 0, "neither": 10}
    assert report["label_sets"]["krippendorff_alpha_masi"]["value"] is None


def test_character_report_skips_transcripts_a_pair_did_not_both_rate() -> None:
    report = character_agreement_report(
        coders=["A", "B", "C"],
        codes=["K0"],
        transcripts=["t1", "t2"],
        lengths=np.array([10, 10]),
        rated=np.array([[True, True, True], [True, True, False]]),
        transcript_index=np.array([0, 0, 0, 1, 1]),
        code_index=np.zeros(5, int),
        coder_index=np.array([0, 1, 2, 0, 1]),
        starts=np.array([0, 0, 2, 0, 5]),
        ends=np.array([5, 5, 5, 5, 10]),
    )
    assert "A|C" not in report["per_code_transcript"]["K0"]["t2"]
    assert "A|B" in report["per_code_transcript"]["K0"]["t2"]
    expected_ac = (
        char_counts(10, [(0, 5)], [(2, 5)]).statistics()["cohen_kappa"].to_json()
    )
    assert report["pairwise"]["A|C"]["cohen_kappa"] == expected_ac
    assert (
        report["overall"]["scott_pi"]["undefined_reason"]
        == reasons.CHARACTER_LEVEL_PAIRS_ONLY
    )
    assert report["overall"]["cohen_kappa"]["value"] is not None
