"""`qcode cooccur` against hand counts of the fixture project (layout in test_reports_fixture.py).

Codes of each unit, pooled over coders (hand-read from the fixture's coding table):

    turns       T1 t1 {Q.TIME, L}  t2 {R}  t3 {Q.READ}  |  T2 h {L}  i {Q, R}  r {Q, Q.READ}
    sentences   T1 s1 {Q.TIME}  s2 {Q.TIME}  s3 {Q.TIME, L}  s4 {R}  s7 {Q.READ}
                | T2 h {L}  i {Q, R}  r {Q, Q.READ}
    transcripts T1 {Q.TIME, Q.READ, R, L}  T2 {Q, Q.READ, R, L}  T3 {}
"""

from __future__ import annotations

import csv
import io
import json

import pytest

pytest_plugins = ["tests.reports_support"]  # the `report_project` fixture


CODES = ["Q", "Q.TIME", "Q.READ", "R", "L"]

TURNS = [
    [2, 0, 1, 1, 0],
    [0, 1, 0, 0, 1],
    [1, 0, 2, 0, 0],
    [1, 0, 0, 2, 0],
    [0, 1, 0, 0, 2],
]
SENTENCES = [
    [2, 0, 1, 1, 0],
    [0, 3, 0, 0, 1],
    [1, 0, 2, 0, 0],
    [1, 0, 0, 2, 0],
    [0, 1, 0, 0, 2],
]
TRANSCRIPTS = [
    [1, 0, 1, 1, 1],
    [0, 1, 1, 1, 1],
    [1, 1, 2, 2, 2],
    [1, 1, 2, 2, 2],
    [1, 1, 2, 2, 2],
]


def cooccur_json(run, root, *args) -> dict:
    result = run("cooccur", "--format", "json", "-p", root, *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(("unit", "expected", "total"),
                         [("turn", TURNS, 9), ("sentence", SENTENCES, 12), ("transcript", TRANSCRIPTS, 3)])
def test_counts_match_the_hand_counts(report_project, run, unit, expected, total):
    data = cooccur_json(run, report_project.root, "--unit", unit)
    assert [c["code"] for c in data["codes"]] == CODES
    assert data["matrix"] == expected
    assert data["counts"] == expected
    assert data["units_total"] == total
    assert data["coders"] == ["丙", "乙", "甲"]


def test_jaccard_is_intersection_over_union_and_undefined_without_units(report_project, run):
    data = cooccur_json(run, report_project.root, "--measure", "jaccard")
    matrix = data["matrix"]
    q, time, read, r, lead = range(5)
    assert matrix[q][read] == pytest.approx(1 / 3)  # 1 / (2 + 2 - 1)
    assert matrix[time][lead] == pytest.approx(1 / 2)  # 1 / (1 + 2 - 1)
    assert matrix[read][r] == 0.0
    assert all(matrix[i][i] == 1.0 for i in range(5))
    only_c = cooccur_json(run, report_project.root, "--measure", "jaccard", "--coders", "丙")
    # 丙 coded only L (c4) and Q.READ (c7): Q is used by nobody, so its Jaccard index is undefined.
    assert only_c["matrix"][q][q] is None and only_c["matrix"][q][time] is None
    assert only_c["matrix"][read][lead] == 0.0


def test_one_coder_alone(report_project, run):
    data = cooccur_json(run, report_project.root, "--coders", "甲")
    # 甲: c1 c3 (t1), c5 (t2), c8 (t3), c10 (i, r), c11 (h): no turn carries two of 甲's codes.
    assert data["matrix"] == [[2, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1]]


def test_rollup_counts_subtrees(report_project, run):
    data = cooccur_json(run, report_project.root, "--rollup")
    assert [c["code"] for c in data["codes"]] == ["G", "L"]  # the top-level codes
    assert data["matrix"] == [[5, 1], [1, 2]]  # G marks 5 turns; only T1 t1 has G (Q.TIME) and L
    named = cooccur_json(run, report_project.root, "--rollup", "--codes", "Q,R", "--unit", "transcript")
    assert [c["code"] for c in named["codes"]] == ["Q", "R"]
    assert named["matrix"] == [[2, 2], [2, 2]]


def test_table_md_and_csv(report_project, run, tmp_path):
    table = run("cooccur", "-p", report_project.root)
    assert table.exit_code == 0, table.stderr
    assert table.stdout.splitlines()[0] == "Co-occurrence (count, turns)"
    line = next(line for line in table.stdout.splitlines() if line.startswith("Q.READ"))
    assert line.split()[-5:] == ["1", "0", "2", "0", "0"]
    md = run("cooccur", "--lang", "zh", "--measure", "jaccard", "--format", "md", "-p", report_project.root)
    assert "| Q | 信息质量 | 1.000 | 0.000 | 0.333 | 0.333 | 0.000 |" in md.stdout
    target = tmp_path / "c.csv"
    assert run("cooccur", "--lang", "zh", "--format", "csv", "-o", target, "-p", report_project.root).exit_code == 0
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["code", "name", *CODES]
    assert rows[5] == ["L", "领导重视", "0", "1", "0", "0", "2"]


def test_bad_options(report_project, run):
    result = run("cooccur", "--unit", "char", "-p", report_project.root)
    assert result.exit_code == 2
    result = run("cooccur", "--codes", "NOPE", "-p", report_project.root)
    assert result.exit_code == 1 and "no code named 'NOPE'" in result.stderr
