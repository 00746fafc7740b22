"""`--by attr:NAME` and `--where` on cooccur, quotes, agree and the workbook (hand counts of the report fixture).

T1 is 官员, T2 市民, T3 has no group. See `tests/reports_support.py` for the codings.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

pytest_plugins = ["tests.reports_support"]


@pytest.fixture
def grouped(report_project, run):
    root = report_project.root
    assert run("attributes", "set", "T1", "group=官员", "-p", root).exit_code == 0
    assert run("attributes", "set", "T2", "group=市民", "-p", root).exit_code == 0
    return report_project


def test_cooccur_by_group_counts_each_groups_units(grouped, run):
    result = run("cooccur", "--by", "attr:group", "--format", "json", "-p", grouped.root)
    assert result.exit_code == 0, result.stderr
    groups = {g["group"]: g for g in json.loads(result.stdout)["groups"]}
    codes = [c["code"] for c in groups["官员"]["codes"]]
    official = groups["官员"]["counts"]
    # In T1's turn t1, Q.TIME (c1-c3) and L (c4) co-occur; in T2 nothing has both.
    assert official[codes.index("Q.TIME")][codes.index("L")] == 1
    assert groups["市民"]["counts"][codes.index("Q.TIME")][codes.index("L")] == 0
    assert (groups["官员"]["units_total"], groups["市民"]["units_total"], groups["(no value)"]["units_total"]) == (4, 3, 2)
    where = run("cooccur", "--where", "group=官员", "--format", "json", "-p", grouped.root)
    assert json.loads(where.stdout)["counts"] == official


def test_quotes_by_group_and_where(grouped, run):
    result = run("quotes", "Q.READ", "--by", "attr:group", "--format", "json", "-p", grouped.root)
    assert result.exit_code == 0, result.stderr
    assert [(r["group"], r["transcript"], r["start"]) for r in json.loads(result.stdout)] == [
        ("官员", "T1", 72), ("官员", "T1", 72), ("市民", "T2", 24)]
    md = run("quotes", "Q.READ", "--by", "attr:group", "-p", grouped.root)
    assert "attr:group = 官员" in md.stdout and "attr:group = 市民" in md.stdout
    only = run("quotes", "Q.READ", "--where", "group=市民", "--format", "json", "-p", grouped.root)
    assert [r["transcript"] for r in json.loads(only.stdout)] == ["T2"]


def test_agree_by_group_gives_a_report_per_group(grouped, run):
    result = run("agree", "--by", "attr:group", "--include-incomplete", "--bootstrap", "0", "--format", "json",
                 "-p", grouped.root)
    assert result.exit_code == 0, result.stderr
    groups = {g["group"]: g for g in json.loads(result.stdout)["groups"]}
    assert groups["官员"]["report"]["transcripts"] == ["T1"]
    assert groups["市民"]["report"]["transcripts"] == ["T2"]
    assert "error" in groups["(no value)"]  # nobody coded T3
    alone = run("agree", "--where", "group=官员", "--include-incomplete", "--bootstrap", "0", "--format", "json",
                "-p", grouped.root)
    assert json.loads(alone.stdout)["per_code"] == groups["官员"]["report"]["per_code"]


def test_the_workbook_gets_a_sheet_per_grouping(grouped, run, tmp_path):
    out = tmp_path / "report.xlsx"
    result = run("export", "xlsx", out, "--by", "attr:group", "--by", "person", "-p", grouped.root)
    assert result.exit_code == 0, result.stderr
    names = openpyxl.load_workbook(out).sheetnames
    assert any("attr:group" in n or "attr_group" in n or "group" in n for n in names)
    assert sum("person" in n for n in names) == 2  # frequencies and crosstab
