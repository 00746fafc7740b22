"""`qcode crosstab` and `qcode matrix`: cases with each code per group, tests of presence, cases x codes.

The tests of presence are checked against hand computation and a published example (not against scipy,
which computes them): Pearson's chi-square of a 2 x 2 table is n(ad - bc)^2 / ((a+b)(c+d)(a+c)(b+d)) and
its p-value for df = 1 is erfc(sqrt(chi2 / 2)); for df = 2 the p-value is exp(-chi2 / 2). Fisher's exact
test on the "lady tasting tea" table [[3, 1], [1, 3]] has the two-sided p-value 34/70 = 0.4857 (Fisher 1935).
"""

from __future__ import annotations

import csv
import io
import json
import math

import openpyxl
import pytest

from qcode.analysis.selection import Selection
from qcode.analysis.units import load_report_data
from qcode.reports.crosstab import crosstab, presence_test

pytest_plugins = ["tests.reports_support"]


def test_chi_square_of_a_2x2_table_matches_the_hand_formula():
    a, b, c, d = 10, 20, 30, 40  # with the code: 10 of 40 in group 1, 20 of 60 in group 2
    test = presence_test([[a, b], [c, d]])
    n = a + b + c + d
    chi2 = n * (a * d - b * c) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    assert test.name == "chi_square" and test.df == 1
    assert test.statistic == pytest.approx(chi2) == pytest.approx(0.79365, abs=1e-5)
    assert test.p_value == pytest.approx(math.erfc(math.sqrt(chi2 / 2)))
    assert test.cramers_v == pytest.approx(math.sqrt(chi2 / n))
    assert test.note is None


def test_chi_square_of_a_2x3_table_matches_the_hand_computation():
    table = [[10, 20, 30], [30, 20, 10]]
    # Expected counts: every row 60, every column 40, n 120 -> 20 in each cell.
    chi2 = sum((o - 20) ** 2 / 20 for row in table for o in row)
    test = presence_test(table)
    assert (test.statistic, test.df) == (pytest.approx(chi2), 2)
    assert test.p_value == pytest.approx(math.exp(-chi2 / 2))
    assert test.cramers_v == pytest.approx(math.sqrt(chi2 / 120))


def test_small_expected_counts_use_fisher_exact_for_2x2_and_a_note_otherwise():
    tea = presence_test([[3, 1], [1, 3]])
    assert tea.name == "fisher_exact" and tea.df is None
    assert tea.p_value == pytest.approx(34 / 70)  # Fisher (1935), the lady tasting tea
    assert tea.statistic == pytest.approx(9.0)  # odds ratio (3*3)/(1*1)
    assert "expected counts below 5" in tea.note
    wide = presence_test([[3, 1, 2], [1, 3, 2]])
    assert wide.name == "chi_square" and "approximate" in wide.note
    untestable = presence_test([[2, 3], [0, 0]])
    assert untestable.name is None and "every case" in untestable.note


def test_crosstab_of_the_fixture_by_a_transcript_attribute(report_project, run):
    store, root = report_project.store, report_project.root
    for name, group in (("T1", "官员"), ("T2", "市民"), ("T3", "市民")):
        assert run("attributes", "set", name, f"group={group}", "-p", root).exit_code == 0
    table = crosstab(load_report_data(store), "attr:group")
    assert table.case_kind == "transcript" and table.groups == (("官员", 1), ("市民", 2))
    rows = {r.code: r for r in table.rows}
    # Q.READ: T1 (c7, c8) and T2 (c9) -> 官员 1 of 1 case, 2 codings; 市民 1 of 2 cases, 1 coding.
    assert [(c.cases_with_code, c.share, c.codings) for c in rows["Q.READ"].cells] == [(1, 1.0, 2), (1, 0.5, 1)]
    assert rows["Q.READ"].test.name == "fisher_exact"
    assert rows["Q.READ"].test.p_value == pytest.approx(1.0)  # [[1,1],[0,1]]: every table as or less likely
    assert "G" in rows and rows["G"].scope == "subtree"

    result = run("crosstab", "--by", "attr:group", "--format", "json", "-p", root)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["by"] == "attr:group" and record["groups"] == [{"group": "官员", "cases": 1},
                                                                 {"group": "市民", "cases": 2}]
    q_read = next(c for c in record["codes"] if c["code"] == "Q.READ")
    assert q_read["cells"][1] == {"group": "市民", "cases_with_code": 1, "share": 0.5, "codings": 1}
    assert set(q_read["test"]) >= {"name", "statistic", "df", "p_value", "cramers_v"}
    for fmt in ("table", "csv", "md"):
        shown = run("crosstab", "--by", "attr:group", "--format", fmt, "-p", root)
        assert shown.exit_code == 0 and "Q.READ" in shown.stdout, shown.stderr
    out = root / "crosstab.xlsx"
    assert run("crosstab", "--by", "attr:group", "--format", "xlsx", "-o", out, "-p", root).exit_code == 0
    assert openpyxl.load_workbook(out).active["A1"].value is not None


def test_crosstab_by_person_counts_persons(report_project):
    table = crosstab(load_report_data(report_project.store, Selection(speakers=("all",))), "person")
    assert table.case_kind == "person"
    groups = dict(table.groups)
    assert groups["T1:受访者A"] == 1 and groups["T1:访谈者"] == 1
    row = next(r for r in table.rows if r.code == "Q.READ")
    cells = {c.group: c for c in row.cells}
    assert (cells["T1:受访者A"].cases_with_code, cells["T1:受访者A"].codings) == (1, 2)
    assert cells["T2:受访者B"].cases_with_code == 1 and cells["T3:受访者A"].cases_with_code == 0


def test_matrix_rows_are_cases_with_attributes_first(report_project, run):
    root = report_project.root
    assert run("attributes", "set", "T1", "age=34", "-p", root).exit_code == 0
    result = run("matrix", "--value", "count", "--format", "csv", "-p", root)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    header = rows[0]
    assert header[:2] == ["case", "age"] and "Q.READ" in header
    by_case = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    assert by_case["T1"]["age"] == "34" and by_case["T1"]["Q.READ"] == "2" and by_case["T3"]["Q.READ"] == "0"
    presence = run("matrix", "--value", "presence", "--format", "csv", "-p", root)
    assert {r[0]: r for r in csv.reader(io.StringIO(presence.stdout.lstrip("\ufeff")))}["T1"][
        header.index("Q.READ")] == "1"
    chars = run("matrix", "--value", "characters", "--format", "csv", "-p", root)
    t1 = {r[0]: r for r in csv.reader(io.StringIO(chars.stdout.lstrip("\ufeff")))}["T1"]
    assert t1[header.index("Q.READ")] == "4"  # [72,75) and [72,76) together: 看不懂。
    out = root / "m.xlsx"
    assert run("matrix", "--format", "xlsx", "-o", out, "-p", root).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet["A1"].value == "case" and sheet["B1"].value == "age"
