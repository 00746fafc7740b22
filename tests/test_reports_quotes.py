"""`qcode quotes`: every coded passage, exact text, speaker, offsets, coder and memo, in document order."""

from __future__ import annotations

import csv
import io
import json

import openpyxl

from qcode.project.coding import CodingSession
from tests.reports_support import TEXTS

pytest_plugins = ["tests.reports_support"]  # the `report_project` fixture


def quotes_json(run, root, *args) -> list[dict]:
    result = run("quotes", "--lang", "zh", *args, "--format", "json", "-p", root)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def brief(records: list[dict]) -> list[tuple]:
    return [(r["transcript"], r["speaker"], r["start"], r["end"], r["text"], r["coder"], r["code"], r["memo"])
            for r in records]


def test_passages_of_one_code(report_project, run):
    records = quotes_json(run, report_project.root, "Q.READ")
    # c7 and c8 cover nearly the same words (two coders): both are listed, nothing is merged.
    assert brief(records) == [
        ("T1", "受访者A", 72, 75, "看不懂", "丙", "Q.READ", ""),
        ("T1", "受访者A", 72, 76, "看不懂。", "甲", "Q.READ", "重要"),
        ("T2", "受访者B", 24, 28, "太难懂了", "乙", "Q.READ", ""),
    ]
    for r in records:
        assert r["text"] == TEXTS[r["transcript"]][r["start"]:r["end"]]
        assert r["name"] == "可读性" and len(r["guid"]) == 36


def test_rollup_gathers_the_subtree_and_the_speaker_is_where_a_coding_starts(report_project, run):
    records = quotes_json(run, report_project.root, "G", "--rollup")
    assert [(r["transcript"], r["start"], r["end"], r["code"], r["speaker"]) for r in records] == [
        ("T1", 19, 33, "Q.TIME", "受访者A"),
        ("T1", 24, 34, "Q.TIME", "受访者A"),
        ("T1", 27, 36, "Q.TIME", "受访者A"),
        ("T1", 47, 60, "R", "访谈者"),  # starts in the interviewer's turn, ends in the next one
        ("T1", 72, 75, "Q.READ", "受访者A"),
        ("T1", 72, 76, "Q.READ", "受访者A"),
        ("T2", 12, 17, "R", "访谈者"),
        ("T2", 12, 29, "Q", "访谈者"),
        ("T2", 24, 28, "Q.READ", "受访者B"),
    ]
    header = quotes_json(run, report_project.root, "L")
    assert [(r["transcript"], r["speaker"]) for r in header] == [("T1", "受访者A"), ("T2", None)]


def test_a_coding_that_starts_between_turns_belongs_to_the_next_turn(report_project, run):
    store = report_project.store
    t3 = store.transcripts.by_name("T3")
    # [10, 20) = "\n受访者A：没有了。": starts on the line break before 受访者A's label.
    CodingSession(store, "乙").apply(t3, "R", 10, 20)
    records = quotes_json(run, report_project.root, "R", "--transcripts", "T3")
    assert brief(records) == [("T3", "受访者A", 10, 20, "\n受访者A：没有了。", "乙", "R", "")]


def test_filters_by_coder_and_transcript(report_project, run):
    records = quotes_json(run, report_project.root, "Q.READ", "--coders", "甲,乙", "--transcripts", "T1")
    assert [(r["coder"], r["start"]) for r in records] == [("甲", 72)]


def test_markdown_reads_well_and_keeps_the_text_exact(report_project, run):
    result = run("quotes", "--lang", "zh", "G", "--rollup", "-p", report_project.root)
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    assert md.startswith("# 编码引文：G 问题\n")
    assert "- 编码：G 问题（含下级编码：Q、Q.TIME、Q.READ、R）" in md
    assert "- 共 9 个片段，来自 2 份访谈；编码员：丙、乙、甲" in md
    assert "## T1（6 个片段）" in md and "## T2（3 个片段）" in md
    assert "> 看不懂。\n\n—— 受访者A · [72, 76) · 编码员 甲 · Q.READ 可读性\n\n备注：重要\n" in md
    # A passage over a line break is one block quote whose lines are exactly the coded text.
    block = "> 那留言呢？\n> 受访者A：……\n\n—— 访谈者 · [47, 60) · 编码员 甲 · R 回应\n"
    assert block in md
    quoted = [line for line in md.split("\n\n") if line.startswith(">")]
    texts = ["\n".join(line[2:] for line in block.split("\n")) for block in quoted]
    assert texts[3] == TEXTS["T1"][47:60]
    english = run("quotes", "Q.READ", "--lang", "en", "-p", report_project.root).stdout
    assert english.startswith("# Coded passages: Q.READ Readability\n")
    assert "—— 受访者A · [72, 75) · coder 丙\n" in english


def test_csv_and_xlsx_keep_chinese_and_line_breaks(report_project, run, tmp_path):
    target = tmp_path / "q.csv"
    assert run("quotes", "--lang", "zh", "R", "--format", "csv", "-o", target, "-p", report_project.root).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r["text"] for r in rows] == ["那留言呢？\n受访者A：……", "信息好懂吗"]
    assert list(rows[0]) == ["transcript", "speaker", "start", "end", "code", "name", "coder", "text", "memo", "time"]
    book = tmp_path / "q.xlsx"
    result = run("quotes", "--lang", "zh", "Q.READ", "--format", "xlsx", "-o", book, "-p", report_project.root)
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(book)["引文"]  # --lang zh: sheet name and headers in Chinese too
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["访谈", "说话人", "起", "止", "编码", "名称", "编码员", "文本", "备忘", "时间"]
    assert values[1] == ["T1", "受访者A", 72, 75, "Q.READ", "可读性", "丙", "看不懂", None, None]
    assert values[2][-3:-1] == ["看不懂。", "重要"]


def test_refusals(report_project, run):
    group = run("quotes", "G", "-p", report_project.root)
    assert group.exit_code == 1
    assert "'G' is a group (codable: false)" in group.stderr and "--rollup" in group.stderr
    unknown = run("quotes", "NOPE", "-p", report_project.root)
    assert unknown.exit_code == 1 and "no code named 'NOPE'" in unknown.stderr
    assert "Traceback" not in group.stderr + unknown.stderr


def test_no_passages_says_so(report_project, run):
    result = run("quotes", "--lang", "zh", "Q.TIME", "--transcripts", "T3", "-p", report_project.root)
    assert result.exit_code == 0
    assert "- 共 0 个片段，来自 0 份访谈" in result.stdout
    assert "所选范围内没有这一编码的段落。" in result.stdout
