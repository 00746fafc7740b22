"""Messages made below the CLI (codebook checks, project refusals, undo descriptions, file problems)
come out in the interface language: Chinese with --lang zh, English otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcode.codebook import read_codebook_text
from qcode.errors import InputError, Problem
from qcode.i18n import ngettext, using_language
from qcode.project.codebook_editing import CodebookEditor
from qcode.project.coding import CodingSession
from qcode.text.decode import decode_bytes

BROKEN = """codes:
  - id: A
    name: 甲
    key: q
    colour: red
  - id: A
    name: 乙
    key: q
    codable: false
    keywords: [x]
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_codebook_check_prints_chinese_problems_with_lang_zh(run, broken):
    result = run("--lang", "zh", "codebook", "check", broken)
    assert result.exit_code == 1
    err = result.stderr
    assert "编码中有未知字段 'colour'（是不是 'color'？）" in err
    assert "id 'A' 重复：第 2 行的编码已使用它" in err
    assert "编码“A”是分组（codable: false），不能用于编码，因此不能有快捷键" in err
    assert "编码“A”是分组，不能用于编码，因此它的关键词永远不会被建议" in err
    assert "unknown field" not in err and "duplicate id" not in err


def test_codebook_check_stays_english_by_default(run, broken):
    result = run("codebook", "check", broken)
    assert result.exit_code == 1
    assert "unknown field 'colour' in a code (did you mean 'color'?)" in result.stderr
    assert "duplicate id 'A': the code at line 2 already has it" in result.stderr


def test_composed_codebook_problems_are_chinese_throughout():
    text = "codes:\n  - id: A\n    name: [甲]\n  - {id: B}\n"
    with using_language("zh"):
        problems = [p.message for p in read_codebook_text(text, "c.yaml").errors]
    assert "编码“A”的名称 应为字符串，或语言到字符串的映射，实际为列表" in problems
    assert "编码“B”没有 'name'" in problems


def test_project_refusals_are_chinese(project):
    editor = CodebookEditor(project.store, "ann", source="cli")
    editor.add("A", "甲")
    with using_language("zh"), pytest.raises(InputError) as raised:
        editor.add("A", "重复")
    assert str(raised.value) == "id 为 'A' 的编码已存在（甲）"
    with using_language("zh"), pytest.raises(InputError) as raised:
        editor.merge("A", "A")
    assert str(raised.value) == "编码不能合并到自身"


def test_deleting_a_coded_code_is_refused_in_chinese_with_the_count(run, project):
    editor = CodebookEditor(project.store, "ann", source="cli")
    editor.add("A", "甲")
    editor.add("B", "乙")
    root = project.root
    (root / "t.txt").write_text("受访者：我们每天都看阅读量。\n", encoding="utf-8")
    assert run("import", root / "t.txt", "-p", root).exit_code == 0
    info = project.store.transcripts.by_name("t")
    CodingSession(project.store, "ann").apply(info, "A", 4, 8)
    refused = run("--lang", "zh", "codes", "delete", "A", "-p", root)
    assert refused.exit_code != 0
    assert "'A' 有 1 条编码记录；未删除任何内容" in refused.stderr
    english = run("codes", "delete", "A", "-p", root)
    assert "'A' has 1 coding; nothing was deleted" in english.stderr


def test_undo_describes_the_change_in_the_interface_language(project):
    editor = CodebookEditor(project.store, "ann", source="cli")
    editor.add("A", "甲")
    (project.root / "t.txt").write_text("受访者：我们每天都看阅读量。\n", encoding="utf-8")
    from qcode.project.importing import import_transcripts

    import_transcripts(project, [project.root / "t.txt"])
    session = CodingSession(project.store, "ann")
    session.apply(project.store.transcripts.by_name("t"), "A", 4, 8)
    with using_language("zh"):
        undone = session.undo()
        assert undone is not None and undone.description == "撤销：应用 甲 [A]（t，4-8）"
    redone = session.redo()
    assert redone is not None and redone.description == "redo: apply 甲 [A] at 4-8 in t"
    # The journal keeps machine fields only: the same change reads in either language afterwards.
    with using_language("zh"):
        assert session.undo().description == "撤销：应用 甲 [A]（t，4-8）"


def test_file_problems_and_warnings_are_chinese():
    with using_language("zh"), pytest.raises(InputError) as raised:
        decode_bytes(b"", path="empty.txt")
    assert "空文件；没有可导入的文本" in str(raised.value)
    with using_language("zh"):
        assert str(Problem("x", "f.yaml", 3, severity="warning")) == "f.yaml:3: 警告: x"


def test_ngettext_picks_the_form_and_translates_both():
    assert ngettext("{count} coding", "{count} codings", 1).format(count=1) == "1 coding"
    assert ngettext("{count} coding", "{count} codings", 2).format(count=2) == "2 codings"
    with using_language("zh"):
        assert ngettext("{count} coding", "{count} codings", 2).format(count=2) == "2 条编码记录"


def test_a_chinese_project_gets_chinese_comments_and_the_same_settings(run, tmp_path):
    from qcode.project.config import load_config
    from qcode.text.segment import read_dictionary

    assert run("--lang", "zh", "init", tmp_path / "zh").exit_code == 0
    assert run("init", tmp_path / "en").exit_code == 0
    toml = (tmp_path / "zh" / "qcode.toml").read_text(encoding="utf-8")
    assert toml.startswith("# qcode 项目设置") and "split_sentences_on_semicolon = true" in toml
    assert "# 中文分词（jieba）的项目词典" in (tmp_path / "zh" / "dictionary.txt").read_text(encoding="utf-8")
    assert load_config(tmp_path / "zh") == load_config(tmp_path / "en")
    words = [read_dictionary(tmp_path / lang / "dictionary.txt") for lang in ("zh", "en")]
    assert [w.word for w in words[0]] == [w.word for w in words[1]] == ["公众号", "一网通办", "政务微信", "融媒体中心"]
