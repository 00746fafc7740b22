"""`--format docx` of every report a thesis takes, read back with python-docx and compared with the
same report in another format (so the Word table shows exactly the figures the terminal shows)."""

from __future__ import annotations

import json

import docx
import pytest
from docx.oxml.ns import qn

pytest_plugins = ["tests.reports_support"]  # the `report_project` fixture


def md_rows(text: str) -> list[list[str]]:
    """The header and body rows of every Markdown table in `text` (separator lines left out)."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("| ---") and not line.startswith("|---"):
            cells = [c.strip().replace("&nbsp;", " ").replace("<br>", "\n") for c in line.strip("|").split(" | ")]
            rows.append([c.strip() for c in cells])
    return rows


def docx_rows(table) -> list[list[str]]:
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


def captions(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Caption"]


def assert_three_line(table) -> None:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    sides = {child.tag.split("}")[1]: (child.get(qn("w:val")), child.get(qn("w:sz"))) for child in borders}
    assert sides == {"top": ("single", "12"), "bottom": ("single", "12"), "left": ("nil", None),
                     "right": ("nil", None), "insideH": ("nil", None), "insideV": ("nil", None)}


@pytest.mark.parametrize("args", [(), ("--by", "transcript"), ("--by", "coder", "--measure", "share")])
def test_freq_docx_holds_the_markdown_table(report_project, run, tmp_path, args):
    path = tmp_path / "频次.docx"
    result = run("freq", *args, "--lang", "zh", "--format", "docx", "-o", path, "-p", report_project.root)
    assert result.exit_code == 0, result.stderr
    assert f"已写入 {path}" in result.stderr  # --lang zh: messages in Chinese too
    document = docx.Document(str(path))
    [table] = document.tables
    md = run("freq", *args, "--lang", "zh", "--format", "md", "-p", report_project.root).stdout
    assert docx_rows(table) == md_rows(md)
    assert any("信息质量" in row for row in docx_rows(table))
    title = md.splitlines()[0].removeprefix("## ")
    assert captions(document) == [f"表 1 {title}"]
    assert_three_line(table)


def test_cooccur_docx_in_english(report_project, run, tmp_path):
    path = tmp_path / "cooccur.docx"
    result = run("cooccur", "--lang", "en", "--format", "docx", "-o", path, "-p", report_project.root)
    assert result.exit_code == 0, result.stderr
    document = docx.Document(str(path))
    md = run("cooccur", "--lang", "en", "--format", "md", "-p", report_project.root).stdout
    assert docx_rows(document.tables[0]) == md_rows(md)
    assert captions(document)[0].startswith("Table 1. Co-occurrence")
    assert "Information quality" in docx_rows(document.tables[0])[1]


def test_quotes_docx_has_every_passage(report_project, run, tmp_path):
    path = tmp_path / "quotes.docx"
    result = run("quotes", "Q", "--rollup", "--lang", "zh", "--format", "docx", "-o", path, "-p", report_project.root)
    assert result.exit_code == 0, result.stderr
    records = json.loads(run("quotes", "Q", "--rollup", "--lang", "zh", "--format", "json", "-p", report_project.root).stdout)
    header, *body = docx_rows(docx.Document(str(path)).tables[0])
    assert header[:8] == ["访谈", "说话人", "起", "止", "编码", "名称", "编码员", "文本"]  # --lang zh
    assert [(r[0], r[4], r[6], r[7]) for r in body] == \
        [(q["transcript"], q["code"], q["coder"], q["text"].strip()) for q in records]
    assert len(body) == 7  # c1 c2 c3 c7 c8 c9 c10


def test_codebook_docx_in_the_chosen_language(report_project, run, tmp_path):
    path = tmp_path / "codebook.docx"
    result = run("codebook", "export", "--format", "docx", "--lang", "zh", "-o", path, "-p", report_project.root)
    assert result.exit_code == 0, result.stderr
    header, *body = docx_rows(docx.Document(str(path)).tables[0])
    assert "name (zh)" in header and "name (en)" not in header
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert by_code["Q"]["name (zh)"] == "信息质量"
    assert by_code["Q"]["definition (zh)"] == "信息本身的质量。"
    assert by_code["Q.TIME"]["codings"] == "3"  # c1 c2 c3


def test_agreement_docx_overall_per_code_and_pairwise_match_the_json_report(report_project, run, tmp_path):
    path = tmp_path / "agree.docx"
    common = ("--include-incomplete", "--bootstrap", "200", "-p", report_project.root)
    result = run("--lang", "zh", "agree", *common, "--format", "docx", "-o", path)
    assert result.exit_code == 0, result.stderr
    report = json.loads(run("agree", *common, "--format", "json").stdout)
    document = docx.Document(str(path))
    assert [c.split(" ", 2)[:2] for c in captions(document)] == [["表", "1"], ["表", "2"], ["表", "3"]]
    overall, per_code, pairwise = (docx_rows(t) for t in document.tables)
    for table in document.tables:
        assert_three_line(table)

    def shown(result):
        if result["value"] is None:
            return "—"
        text = f"{result['value']:.3f}"
        return text + (f" [{result['ci95'][0]:.3f}, {result['ci95'][1]:.3f}]" if result.get("ci95") else "")

    alpha = dict(overall[1:])["Krippendorff's alpha（名义尺度）"]  # --lang zh
    assert alpha == shown(report["overall"]["krippendorff_alpha_nominal"]) and "[" in alpha
    masi = overall[-1][1]
    assert masi == shown(report["label_sets"]["krippendorff_alpha_masi"])
    assert [row[0] for row in per_code[1:]] == list(report["per_code"])
    kappa_column = per_code[0].index("kappa")
    for row in per_code[1:]:
        assert row[kappa_column] == shown(report["per_code"][row[0]]["cohen_kappa"])
    assert [row[0] for row in pairwise[1:]] == list(report["pairwise"])


def test_agreement_xlsx_keeps_numbers_and_interval_bounds(report_project, run, tmp_path):
    import openpyxl

    path = tmp_path / "agree.xlsx"
    common = ("--include-incomplete", "--bootstrap", "200", "-p", report_project.root)
    assert run("agree", *common, "--format", "xlsx", "-o", path).exit_code == 0
    report = json.loads(run("agree", *common, "--format", "json").stdout)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    alpha = report["overall"]["krippendorff_alpha_nominal"]
    assert rows["Krippendorff's alpha (nominal)"][1:4] == pytest.approx((alpha["value"], *alpha["ci95"]))


@pytest.mark.parametrize("command", [("freq",), ("cooccur",), ("quotes", "Q"), ("agree",),
                                     ("codebook", "export")])
def test_docx_without_a_file_is_a_clear_error(report_project, run, command):
    result = run(*command, "--format", "docx", "-p", report_project.root)
    assert result.exit_code != 0
    assert "give it with -o FILE.docx" in result.stderr
    assert "Traceback" not in result.stderr
