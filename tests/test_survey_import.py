"""Questionnaire import: 问卷星 and 腾讯问卷 downloads recognised, other tables by --id/--text/--attributes.

The answers are invented for these tests, in the layout of the two services' Excel and CSV downloads.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from qcode.analysis.selection import Selection
from qcode.analysis.cases import resolve_cases
from qcode.project.project import Project
from tests.conftest import dump

WJX_HEADER = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、您的身份", "2、您的年龄",
              "3、您通过哪些渠道获取政务信息（多选）", "4、您对本区政务公众号有什么意见或建议？",
              "5、您觉得公众号信息难懂的原因是什么？"]
WJX_ROWS = [
    [1, "2024/5/6 10:21:03", "95秒", "微信", "N/A", "10.0.0.1(本地)", "市民", 34, "公众号┋网站",
     "希望留言能及时回复，现在常常一周都没人理。", "专业术语太多，看不懂。"],
    [2, "2024/5/6 11:02:44", "120秒", "微信", "N/A", "10.0.0.2(本地)", "公务员", 45, "公众号",
     "推送的内容和我们关心的不太相关。", ""],
    [3, "2024/5/7 09:15:10", "60秒", "链接", "N/A", "10.0.0.3(本地)", "市民", 67, "电视┋公众号┋社区",
     "", "(跳过)"],
    [4, "2024/5/7 20:40:55", "88秒", "微信", "N/A", "10.0.0.4(本地)", "市民", 29, "网站",
     "办事指南写得很清楚，点赞。", "字太小，老人看不清。"],
]


def wjx_xlsx(path, rows=WJX_ROWS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(WJX_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def proj(tmp_path):
    project = Project.init(tmp_path / "p")
    yield project
    project.close()


def test_a_wjx_download_becomes_documents_turns_and_attributes(proj, run, tmp_path):
    path = wjx_xlsx(tmp_path / "问卷.xlsx")
    result = run("import", path, "-p", proj.root)
    assert result.exit_code == 0, result.stderr
    assert "wjx questionnaire, 4 respondents; created 3 documents" in result.stdout
    assert "empty answers skipped: 3; respondents without any open answer: 1" in result.stdout
    store = proj.store
    names = sorted(t.name for t in store.transcripts.all())
    assert names == ["问卷-1", "问卷-2", "问卷-4"]
    first = store.transcripts.by_name("问卷-1")
    text = store.transcripts.text(first.id)
    assert text == ("您对本区政务公众号有什么意见或建议？：希望留言能及时回复，现在常常一周都没人理。\n\n"
                    "您觉得公众号信息难懂的原因是什么？：专业术语太多，看不懂。\n")
    turns = store.transcripts.units(first.id, "turn")
    assert [(u.speaker, text[u.start:u.end]) for u in turns] == [
        ("您对本区政务公众号有什么意见或建议？", "希望留言能及时回复，现在常常一周都没人理。"),
        ("您觉得公众号信息难懂的原因是什么？", "专业术语太多，看不懂。")]
    assert len(store.transcripts.units(first.id, "sentence")) == 2  # one sentence per answer here
    exported = {r["case"]: r["attributes"] for r in json.loads(
        run("attributes", "export", "--format", "json", "-p", proj.root).stdout)}
    assert exported["问卷-1"] == {"submitted": "2024/5/6 10:21:03", "duration": "95秒", "channel": "微信",
                                 "您的身份": "市民", "您的年龄": 34, "您通过哪些渠道获取政务信息（多选）": "公众号┋网站"}
    assert all("10.0.0" not in json.dumps(a, ensure_ascii=False) for a in exported.values())  # no IP addresses
    older = resolve_cases(store, Selection.from_options(where=["您的年龄>40"]))
    assert [t.name for t in older.transcripts] == ["问卷-2"]
    again = run("import", path, "-p", proj.root)
    assert again.exit_code == 0 and "created 0 documents, 3 unchanged" in again.stdout


def test_option_numbers_download_and_csv_in_gb18030(proj, run, tmp_path):
    rows = [[1, "2024/5/6 10:21:03", "95秒", "微信", "N/A", "x", "1", "34", "1┋2", "留言回复太慢了，希望改进。", "术语多"],
            [2, "2024/5/6 11:02:44", "120秒", "微信", "N/A", "x", "2", "45", "1", "内容和生活关系不大。", "排版乱"]]
    path = tmp_path / "wjx.csv"
    lines = [",".join(WJX_HEADER)] + [",".join(map(str, r)) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    result = run("import", path, "--dry-run", "-p", proj.root)
    assert result.exit_code == 0, result.stderr
    assert "would create 2 documents" in result.stdout
    assert "您的身份 (number)" in result.stdout  # 按选项序号: choices as numbers
    assert proj.store.transcripts.all() == []  # a dry run stores nothing


def test_tencent_and_chosen_columns(proj, run, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["编号", "开始答题时间", "结束答题时间", "答题时长", "1.您所在的街道", "2.您对政务服务有什么建议？"])
    sheet.append([101, "2024-05-06 10:00:00", "2024-05-06 10:03:00", "180", "东城", "希望能在线预约办事，少跑腿。"])
    sheet.append([102, "2024-05-06 11:00:00", "2024-05-06 11:02:00", "120", "西城", "窗口工作人员态度很好。"])
    path = tmp_path / "tencent.xlsx"
    book.save(path)
    result = run("import", path, "--prefix", "腾讯-", "-p", proj.root)
    assert result.exit_code == 0, result.stderr
    assert "tencent questionnaire" in result.stdout
    assert sorted(t.name for t in proj.store.transcripts.all()) == ["腾讯-101", "腾讯-102"]

    other = tmp_path / "plain.csv"
    other.write_text("id,district,comment\na1,东城,服务很好\na2,西城,\n", encoding="utf-8")
    refused = run("import", other, "-p", proj.root)
    assert refused.exit_code == 1 and "--id COL" in refused.stderr
    done = run("import", other, "--id", "id", "--text", "comment", "--attributes", "district", "-p", proj.root)
    assert done.exit_code == 0, done.stderr
    assert "created 1 document" in done.stdout and "1 documents" not in done.stdout and "empty answers skipped: 1" in done.stdout
    bad = run("import", other, "--id", "nope", "--text", "comment", "-p", proj.root)
    assert bad.exit_code == 1 and "no column 'nope'" in bad.stderr


def test_a_broken_table_changes_nothing(proj, run, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("id,answer\n1,好\n1,不好\n", encoding="utf-8")
    before = dump(proj.root / "qcode.db")
    result = run("import", path, "--id", "id", "--text", "answer", "-p", proj.root)
    assert result.exit_code == 1 and "appears twice" in result.stderr and "Traceback" not in result.stderr
    assert dump(proj.root / "qcode.db") == before
    garbage = tmp_path / "bad.xlsx"
    garbage.write_bytes(b"not a zip")
    result = run("import", garbage, "-p", proj.root)
    assert result.exit_code == 1 and "not a readable .xlsx" in result.stderr


def test_control_characters_in_an_answer_are_refused_with_their_cell(proj, run, tmp_path):
    path = tmp_path / "esc.csv"
    path.write_text("id,answer\n1,好\n2,\x1b[31m红\n", encoding="utf-8")
    result = run("import", path, "--id", "id", "--text", "answer", "-p", proj.root)
    assert result.exit_code == 1 and f"{path}:3:2" in result.stderr and "control characters" in result.stderr
    assert proj.store.transcripts.all() == []
