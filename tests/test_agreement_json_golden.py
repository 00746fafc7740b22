"""The agreement reports' JSON, byte for byte, on small fixed examples (issue 11: typed results, same JSON).

The expected files were written by the dict-building report code before the results became typed, so
they pin the JSON researchers' scripts read: keys, their order, the numbers and the notes. To rewrite
them after a deliberate change of the JSON: `python -m tests.test_agreement_json_golden`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qcode.agreement import CodingMatrix, agreement_report, character_agreement_report
from qcode.agreement.unitizing import SpanData
from qcode.agreement.unitizing_report import unitizing_report

EXPECTED = Path(__file__).parent / "samples" / "agreement_json"


def _matrix(seed: int, n: int, m: int, k: int, multi: bool) -> CodingMatrix:
    rng = np.random.default_rng(seed)
    truth = rng.integers(-1, k, size=n)
    present = np.zeros((n, m, k), dtype=bool)
    for c in range(m):
        choice = np.where(rng.random(n) < 0.75, truth, rng.integers(-1, k, size=n))
        coded = choice >= 0
        present[np.flatnonzero(coded), c, choice[coded]] = True
    if multi:
        u, c = np.nonzero(rng.random((n, m)) < 0.1)
        present[u, c, rng.integers(0, k, size=u.size)] = True
    rated = np.ones((n, m), dtype=bool)
    rated[: n // 8, -1] = False
    present[:, :, k - 1] = False  # one code nobody used: undefined figures and their reasons
    return CodingMatrix(tuple("ABCD"[:m]), tuple(f"K{j}" for j in range(k)), rated, present)


def _characters(m: int) -> dict[str, Any]:
    codings = [(0, 0, 0, 0, 10), (0, 0, 1, 5, 10), (1, 0, 0, 0, 4), (1, 0, 1, 0, 4), (0, 1, 0, 12, 20),
               (1, 1, 1, 2, 6), (0, 0, 2, 3, 9), (1, 1, 2, 1, 5)]
    codings = [c for c in codings if c[2] < m]
    t, k, c, s, e = (np.array(column) for column in zip(*codings, strict=True))
    rated = np.ones((2, m), dtype=bool)
    rated[1, -1] = m < 3  # with three coders, the third did not rate t2
    return character_agreement_report(coders=list("ABC"[:m]), codes=["K0", "K1", "K2"], transcripts=["t1", "t2"],
                                      lengths=np.array([20, 10]), rated=rated, transcript_index=t, code_index=k,
                                      coder_index=c, starts=s, ends=e)


def _spans(overlapping: bool) -> dict[str, Any]:
    if overlapping:
        data = SpanData([40, 50], 2, 2, [0, 1, 1, 1], [0, 1, 1, 0], [0, 0, 1, 1], [0, 5, 8, 10], [10, 15, 20, 20])
        return unitizing_report(data, coders=["ann", "bob"], codes=["X", "Y"], transcripts=["T1", "T2"],
                                bootstrap=50, seed=3, by_transcript=True)
    data = SpanData([100, 80, 120], 3, 3, [0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 1, 2, 0, 1, 0, 1, 1, 2],
                    [0, 0, 1, 1, 1, 0, 0, 1, 0], [10, 12, 11, 0, 5, 50, 55, 80, 52], [30, 32, 30, 20, 25, 70, 75, 90, 72])
    return unitizing_report(data, coders=["a", "b", "c"], codes=["X", "Y", "Z"], transcripts=["t1", "t2", "t3"],
                            bootstrap=80, seed=7, by_transcript=True)


EXAMPLES = {
    "two_coders": lambda: agreement_report(_matrix(1, 60, 2, 4, False), unit="sentence"),
    "three_coders_bootstrap": lambda: agreement_report(_matrix(2, 60, 3, 3, False), unit="turn", bootstrap=60,
                                                       seed=5),
    "multi_label_category": lambda: agreement_report(_matrix(3, 50, 2, 3, True), unit="sentence", empty="category",
                                                     bootstrap=40, seed=9),
    "characters_two": lambda: _characters(2),
    "characters_three": lambda: _characters(3),
    "spans": lambda: _spans(False),
    "spans_overlapping": lambda: _spans(True),
}


def _text(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_report_json_is_unchanged(name: str) -> None:
    expected = (EXPECTED / f"{name}.json").read_text(encoding="utf-8")
    assert _text(EXAMPLES[name]()) == expected


if __name__ == "__main__":
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for name, build in EXAMPLES.items():
        (EXPECTED / f"{name}.json").write_text(_text(build()), encoding="utf-8")
