"""The workbook's counts sheet with native charts, its agreement sheets and its memo sheet, read back
with openpyxl (an independent reader) and compared with the JSON of `qcode agree` and `qcode freq`."""

from __future__ import annotations

import json

import openpyxl
import pytest

from qcode.project.project import Project

pytest_plugins = ["tests.reports_support"]  # the `report_project` fixture


@pytest.fixture
def completed_project(report_project, run):
    """The fixture project with every transcript marked complete by all three coders, and some memos."""
    for coder in ("甲", "乙", "丙"):
        assert run("complete", "T1", "T2", "T3", "--coder", coder, "-p", report_project.root).exit_code == 0
    with Project.open(report_project.root) as project:
        store = project.store
        t2 = store.transcripts.by_name("T2")
        with store.transaction("甲") as tx:
            store.memos.set(tx, "transcript", t2.guid, "甲", "受访者很配合")
            store.memos.set(tx, "code", "R", "乙", "回应要区分线上和线下")
            store.memos.set(tx, "project", "", "丙", "第一轮编码")
    return report_project


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def workbook(completed_project, run, tmp_path):
    path = tmp_path / "report.xlsx"
    result = run("export", "xlsx", path, "--bootstrap", "200", "-p", completed_project.root)
    assert result.exit_code == 0, result.stderr
    return openpyxl.load_workbook(path)


def test_counts_sheet_has_a_bar_chart_per_code_and_per_coder(workbook, completed_project, run):
    sheet = workbook["Counts per code"]
    header, *body = rows_of(sheet)
    assert header == ("code", "name", "turns", "codings", "丙", "乙", "甲")
    pooled = {r["code"]: r for r in json.loads(run("freq", "--format", "json", "-p", completed_project.root).stdout)
              if r["scope"] == "code" and r["codable"]}
    by_coder = json.loads(run("freq", "--by", "coder", "--format", "json", "-p", completed_project.root).stdout)
    coder_codings = {(r["code"], r["coder"]): r["codings"] for r in by_coder if r["scope"] == "code"}
    assert [row[0] for row in body] == list(pooled)
    for code, name, units, codings, *per_coder in body:
        assert (name, units, codings) == (pooled[code]["name"], pooled[code]["units"], pooled[code]["codings"])
        assert per_coder == [coder_codings[(code, c)] for c in ("丙", "乙", "甲")]
    charts = sheet._charts
    assert len(charts) == 2
    assert [chart.tagname for chart in charts] == ["barChart", "barChart"]
    assert [len(chart.series) for chart in charts] == [1, 3]
    references = [s.val.numRef.f for s in charts[1].series]
    assert references == ["'Counts per code'!$E$2:$E$6", "'Counts per code'!$F$2:$F$6", "'Counts per code'!$G$2:$G$6"]
    assert charts[0].series[0].cat.strRef.f == "'Counts per code'!$B$2:$B$6"  # names, not ids


def test_agreement_sheets_equal_the_agree_report_with_interval_bounds(workbook, completed_project, run):
    report = json.loads(run("agree", "--bootstrap", "200", "--format", "json", "-p", completed_project.root).stdout)
    overall = {row[0]: row for row in rows_of(workbook["Agreement overall (turns)"])[1:]}
    alpha = report["overall"]["krippendorff_alpha_nominal"]
    assert overall["Krippendorff's alpha (nominal)"][1:4] == pytest.approx((alpha["value"], *alpha["ci95"]))
    masi = report["label_sets"]["krippendorff_alpha_masi"]
    assert overall["Krippendorff's alpha (MASI distance, label sets)"][1] == pytest.approx(masi["value"])

    header, *body = rows_of(workbook["Agreement per code (turns)"])
    assert [row[0] for row in body] == list(report["per_code"])
    for row in body:
        values = dict(zip(header, row, strict=True))
        expected = report["per_code"][row[0]]
        assert values["% agree"] == pytest.approx(expected["percent_agreement"]["value"])
        assert values["alpha"] == pytest.approx(expected["krippendorff_alpha_nominal"]["value"])
    header, *body = rows_of(workbook["Agreement pairwise (turns)"])
    assert [row[0] for row in body] == list(report["pairwise"])
    kappa = header.index("kappa")
    assert [row[kappa] for row in body] == pytest.approx(
        [report["pairwise"][pair]["cohen_kappa"]["value"] for pair in report["pairwise"]])


def test_memo_sheet_lists_project_transcript_code_and_coding_memos(workbook):
    header, *body = rows_of(workbook["Memos"])
    assert header == ("about", "target", "coder", "memo", "coded text", "updated")
    found = {(row[0], row[1], row[2], row[3], row[4]) for row in body}
    assert found == {
        ("project", None, "丙", "第一轮编码", None),
        ("transcript", "T2", "甲", "受访者很配合", None),
        ("code", "Response [R]", "乙", "回应要区分线上和线下", None),
        ("coding", "T1 72-76 Readability [Q.READ]", "甲", "重要", "看不懂。"),
    }


def test_without_completed_transcripts_the_workbook_says_why_it_has_no_agreement(report_project, run, tmp_path):
    path = tmp_path / "report.xlsx"
    result = run("export", "xlsx", path, "-p", report_project.root)
    assert result.exit_code == 0
    assert "note: no agreement sheets" in result.stderr
    assert not any(name.startswith("Agreement") for name in openpyxl.load_workbook(path).sheetnames)


def test_headers_sheet_names_and_chart_titles_in_chinese(completed_project, run, tmp_path):
    path = tmp_path / "报告.xlsx"
    result = run("--lang", "zh", "export", "xlsx", path, "--bootstrap", "50", "-p", completed_project.root)
    assert result.exit_code == 0, result.stderr
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[:2] == ["编码频次", "按访谈的编码频次"]
    assert "备忘录" in workbook.sheetnames and "总体一致性（话轮）" in workbook.sheetnames
    header = rows_of(workbook["各编码计数"])[0]
    assert header == ("编码", "名称", "话轮", "编码数", "丙", "乙", "甲")
    assert rows_of(workbook["编码频次"])[1][1] == "问题"  # code names follow the language too
    chart = workbook["各编码计数"]._charts[0]
    assert "".join(r.t for p in chart.title.tx.rich.p for r in p.r) == "各编码的话轮"
