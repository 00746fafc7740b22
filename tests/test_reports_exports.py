"""`qcode export xlsx` and `qcode codebook export`, read back as a user's tools would read them."""

from __future__ import annotations

import gc
import json
import unicodedata
import zipfile

import openpyxl
import pytest

from qcode.analysis.units import load_report_data
from qcode.cli.common import run_cli
from qcode.cli.report_cmds import codebook_export
from qcode.codebook import parse_codebook_text
from qcode.reports.frequencies import code_frequencies
from qcode.reports.tables import Table
from qcode.reports.workbook import without_breakdown
from qcode.reports.xlsx import EXCEL_CELL_LIMIT, column_letter, write_workbook
from tests.conftest import CliResult
from tests.reports_support import CODEBOOK_YAML, TEXTS

pytest_plugins = ["tests.reports_support"]  # the `report_project` fixture

SHEETS = ["Frequencies", "Frequencies by transcript", "Co-occurrence (count, turns)", "Quotes", "Codebook",
          "Counts per code", "Memos"]  # no agreement sheets: nobody marked a transcript complete


def sheet_rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def as_dicts(sheet) -> list[dict]:
    header, *body = sheet_rows(sheet)
    return [dict(zip(header, row, strict=True)) for row in body]


def east_asian_width(text: str) -> int:
    """Cells of a one-line text, counted independently of qcode: wide and full-width characters are two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@pytest.fixture
def workbook(report_project, run, tmp_path):
    path = tmp_path / "out" / "report.xlsx"
    result = run("export", "xlsx", path, "-p", report_project.root)
    assert result.exit_code == 0, result.stderr
    assert f"wrote {path}" in result.stderr
    return openpyxl.load_workbook(path)


def test_the_workbook_has_every_sheet_with_a_frozen_bold_header(workbook):
    assert workbook.sheetnames == SHEETS
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])


def test_frequency_sheets_equal_the_json_report(workbook, report_project, run):
    for sheet, args in ((workbook["Frequencies"], ()), (workbook["Frequencies by transcript"], ("--by", "transcript"))):
        expected = json.loads(run("freq", "--format", "json", *args, "-p", report_project.root).stdout)
        assert as_dicts(sheet) == expected
    share = workbook["Frequencies"]["J2"]
    assert workbook["Frequencies"]["J1"].value == "share"
    assert share.value == pytest.approx(5 / 9) and share.number_format == "0.0%"


def test_cooccurrence_quotes_and_codebook_sheets(workbook, report_project, run):
    matrix = sheet_rows(workbook["Co-occurrence (count, turns)"])
    assert matrix[0] == ["code", "name", "Q", "Q.TIME", "Q.READ", "R", "L"]
    assert matrix[3] == ["Q.READ", "Readability", 1, 0, 2, 0, 0]  # names in the interface language

    quotes = as_dicts(workbook["Quotes"])
    assert len(quotes) == 11
    for quote in quotes:
        assert quote["text"] == TEXTS[quote["transcript"]][quote["start"]:quote["end"]]
    assert quotes[0] == {"transcript": "T1", "speaker": "受访者A", "start": 19, "end": 33, "code": "Q.TIME",
                         "name": "Timeliness", "coder": "甲", "text": "不太及时。有时候一周都不更新", "memo": None,
                         "time": None}

    codebook = {row["code"]: row for row in as_dicts(workbook["Codebook"])}
    assert list(codebook) == ["G", "Q", "Q.TIME", "Q.READ", "R", "L"]
    q = codebook["Q"]
    assert (q["name (zh)"], q["name (en)"], q["definition (en)"]) == (
        "信息质量", "Information quality", "The quality of the information itself.")
    assert (q["codings"], q["turns"], q["transcripts"], q["codings with subtree"]) == (1, 2, 1, 7)
    assert (codebook["G"]["codings"], codebook["G"]["codings with subtree"]) == (None, 9)


def test_column_widths_follow_the_widest_cell_in_cells(workbook):
    quotes = workbook["Quotes"]
    # Column F holds code names such as 及时性: three wide characters, six cells.
    names = [row[5] for row in sheet_rows(quotes)]
    widest = max(east_asian_width(str(n)) for n in names)
    # Excel stores a width with its cell padding (10 is stored as 10.71); it shows the whole part.
    assert int(quotes.column_dimensions["F"].width) == max(6, widest + 2)
    # The text column: the longest line of a passage, in cells, plus a margin.
    texts = [row[7] for row in sheet_rows(quotes)[1:]]
    widest = max(east_asian_width(line) for text in texts for line in text.split("\n"))
    assert int(quotes.column_dimensions["H"].width) == min(60, widest + 2)


def test_what_excel_cannot_hold_is_changed_visibly_and_formulas_stay_text(tmp_path):
    long_text = "长" * 40_000
    table = Table("Edge cases", ("a", "b"), (
        ("=SUM(A1:A3)", "#N/A"),
        ("bell\x07here", long_text),
        (" padded ", "line\r\nbreak"),
        (True, 0.25),
    ))
    path = tmp_path / "edge.xlsx"
    warnings = write_workbook(path, [table])
    assert [w.message for w in warnings] == [
        "sheet 'Edge cases', cell A3: characters that Excel cannot store (control characters) were replaced by �",
        "sheet 'Edge cases', cell B3: text longer than Excel's 32,767 characters per cell was cut",
    ]
    assert all(w.severity == "warning" and w.path == str(path) for w in warnings)
    sheet = openpyxl.load_workbook(path)["Edge cases"]
    assert sheet["A2"].value == "=SUM(A1:A3)" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "#N/A" and sheet["B2"].data_type == "s"
    assert sheet["A3"].value == "bell\ufffdhere"
    cut = sheet["B3"].value
    assert len(cut) == EXCEL_CELL_LIMIT and cut.endswith("[cut by qcode: the full text has 40,000 characters]")
    # Excel breaks lines in a cell with LF; a CR would be stored as the escape _x000D_, so CRLF becomes LF.
    assert sheet["A4"].value == " padded " and sheet["B4"].value == "line\nbreak"
    assert sheet["A5"].value is True and sheet["B5"].value == 0.25
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        assert not any(name.endswith(".partial") for name in package.namelist())


def test_sheet_names_are_made_valid_and_unique(tmp_path):
    tables = [Table("a/b: c?" + "x" * 40, ("h",), ()), Table("a/b: c?" + "x" * 40, ("h",), ())]
    path = tmp_path / "names.xlsx"
    write_workbook(path, tables)
    names = openpyxl.load_workbook(path).sheetnames
    assert names[0] == "a b  c " + "x" * 24 and names[1].endswith(" (2)") and len(names[1]) == 31


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_an_unwritable_target_is_an_error_and_leaves_nothing_behind(report_project, run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("export", "xlsx", blocker / "report.xlsx", "-p", report_project.root)
    assert result.exit_code == 1
    assert "\nerror: " in "\n" + result.stderr and "cannot write the workbook" in result.stderr
    assert "Traceback" not in result.stderr


def test_codebook_appendix_in_both_languages(report_project, run_codebook_export):
    result = run_codebook_export(report_project.root)
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    assert md.startswith("# 附录：编码本：测试编码本 / Test codebook\n")
    assert "编码本 report-fixture，版本 1。" in md
    assert "| **G** | 问题 / Problems (类属) | 9 | 5 | 2 |" in md  # groups show their subtree
    assert "| &nbsp;&nbsp;Q | 信息质量 / Information quality | 1 | 2 | 1 |" in md
    section = md.split("### Q 信息质量 / Information quality\n\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines() == [
        "- **定义**：信息本身的质量。",
        "- **定义**：The quality of the information itself.",
        "- **纳入**：及时、好懂。",
        "- **纳入**：Timely, readable.",
        "- **排除**：回应 → R",
        "- **排除**：Responses -> R",
        "- **示例**：「信息太少了。」",
        "- **示例**：「Too little information.」",
        "- **频次**：1 条编码记录，2 个话轮，1 份访谈",
        "- **合计（含下级编码）**：7 条编码记录，4 个话轮，2 份访谈",
    ]


def test_codebook_appendix_in_english_with_sentences_and_a_coder(report_project, run_codebook_export, tmp_path):
    target = tmp_path / "appendix.md"
    result = run_codebook_export(report_project.root, "--lang", "en", "--unit", "sentence",
                                 "--coders", "乙", "-o", target)
    assert result.exit_code == 0, result.stderr
    md = target.read_text(encoding="utf-8")
    assert md.startswith("# Appendix: Codebook: Test codebook\n")
    assert "Counts: codings by 乙 in 3 transcripts;" in md
    assert "### Q.READ Readability\n\n- **Count**: 1 coding, 1 sentence, 1 transcript\n" in md
    assert "信息" not in md.split("## Overview")[1].split("###")[0]  # names in English only


def test_codebook_export_yaml_round_trips(report_project, run_codebook_export):
    result = run_codebook_export(report_project.root, "--format", "yaml")
    assert result.exit_code == 0, result.stderr
    assert parse_codebook_text(result.stdout) == parse_codebook_text(CODEBOOK_YAML)


@pytest.fixture
def run_codebook_export(capsys):
    """`qcode codebook export ARGS`: the command is attached to the `codebook` group by its module's owner;
    here it runs on its own, through the same error handling as every command."""

    def invoke(root, *args) -> CliResult:
        capsys.readouterr()
        code = run_cli(codebook_export, ["-p", str(root), *map(str, args)])
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return invoke


def test_cells_of_subclassed_types_are_checked_too_and_unknown_types_refused(tmp_path):
    class Label(str):
        pass

    path = tmp_path / "kinds.xlsx"
    warnings = write_workbook(path, [Table("Kinds", ("a", "b"), ((Label("x\x01y"), 3), ("fine", None)))])
    assert [w.message for w in warnings] == [
        "sheet 'Kinds', cell A2: characters that Excel cannot store (control characters) were replaced by �"]
    sheet = openpyxl.load_workbook(path)["Kinds"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["a", "b"], ["x\ufffdy", 3], ["fine", None]]
    with pytest.raises(TypeError, match="cannot write dict"):
        write_workbook(tmp_path / "bad.xlsx", [Table("Bad", ("a",), (({"no": 1},),))])


def test_writing_a_workbook_leaves_garbage_collection_as_it_was(tmp_path):
    table = Table("T", ("a",), (("x",),))
    assert gc.isenabled()
    write_workbook(tmp_path / "a.xlsx", [table])
    assert gc.isenabled()
    gc.disable()
    try:
        write_workbook(tmp_path / "b.xlsx", [table])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_column_widths_of_a_long_table_measure_a_spread_sample(tmp_path):
    """Widths come from a sample spread over the rows; a wide cell anywhere in it widens its column, numbers
    count their digits, and no column is wider than the cap."""
    rows = [(f"第{i}行", i, "短") for i in range(10_000)]
    rows[5_000] = ("很长的一个中文单元格的内容", 123_456_789, "x" * 200)
    table = Table("Long", ("text", "number", "capped"), tuple(rows))
    path = tmp_path / "long.xlsx"
    write_workbook(path, [table])
    sheet = openpyxl.load_workbook(path)["Long"]
    assert [int(sheet.column_dimensions[c].width) for c in "ABC"] == [
        east_asian_width("很长的一个中文单元格的内容") + 2, len("123456789") + 2, 60]


@pytest.mark.parametrize("unit", ["turn", "sentence"])
def test_the_pooled_sheet_is_the_totals_of_the_sheet_by_transcript(report_project, unit):
    data = load_report_data(report_project.store)
    assert without_breakdown(code_frequencies(data, unit, by="transcript")) == code_frequencies(data, unit)
