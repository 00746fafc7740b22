"""Data for the statistics screen: the same numbers as `qcode freq --by coder / --by transcript`."""

from __future__ import annotations

import json

import pytest

from qcode.reports.statistics import CodeCoderCounts, code_coder_counts, code_transcript_matrix

from qcode.analysis.selection import Selection

pytest_plugins = ["tests.reports_support"]  # the `report_project` fixture


def test_code_by_coder_counts_for_side_by_side_bars(report_project):
    counts = code_coder_counts(report_project.store)
    assert isinstance(counts, CodeCoderCounts)
    assert counts.coders == ("丙", "乙", "甲")
    labels = [(r.code, r.scope, r.depth) for r in counts.rows]
    assert labels == [("G", "subtree", 0), ("Q", "code", 1), ("Q", "subtree", 1), ("Q.TIME", "code", 2),
                      ("Q.READ", "code", 2), ("R", "code", 1), ("L", "code", 0)]
    by_code = {(r.code, r.scope): i for i, r in enumerate(counts.rows)}
    q_read = by_code[("Q.READ", "code")]
    assert counts.codings[q_read] == (1, 1, 1)
    assert counts.units[q_read] == (1, 1, 1)
    assert counts.pooled_units[q_read] == 2  # c7 and c8 mark the same turn
    assert counts.units[by_code[("G", "subtree")]] == (1, 3, 5)
    assert counts.largest == 5
    assert counts.units_total == 9
    assert counts.rows[1].name == "Information quality" and counts.rows[1].color.startswith("#")  # interface language


def test_code_by_transcript_matrix_for_a_heat_table(report_project, run):
    matrix = code_transcript_matrix(report_project.store, unit="sentence", measure="units")
    assert matrix.transcripts == ("T1", "T2", "T3")
    records = json.loads(run("freq", "--by", "transcript", "--unit", "sentence", "--format", "json",
                             "-p", report_project.root).stdout)
    expected = {(r["code"], r["scope"], r["transcript"]): r["units"] for r in records}
    for i, row in enumerate(matrix.rows):
        assert matrix.values[i] == tuple(expected[(row.code, row.scope, t)] for t in matrix.transcripts)
    q_time = [r.code for r in matrix.rows].index("Q.TIME")
    assert matrix.values[q_time] == (3, 0, 0) and matrix.totals[q_time] == 3
    share = code_transcript_matrix(report_project.store, Selection(codes=("L",)), measure="share")
    assert share.values == ((pytest.approx(1 / 4), pytest.approx(1 / 3), 0.0),)
    assert share.largest == pytest.approx(1 / 3)


def test_an_unknown_measure_is_refused(report_project):
    with pytest.raises(ValueError, match="unknown measure"):
        code_transcript_matrix(report_project.store, measure="words")
