"""`qcode codebook check|load|show` as a user runs them, including the refusals that protect codings."""

from __future__ import annotations

import json
import sqlite3

import pytest

from qcode.project.coding import CodingSession
from qcode.project.project import Project
from tests.conftest import REPO_ROOT

V1 = "codes:\n  - {id: A, name: 甲}\n  - {id: B, name: 乙}\n  - {id: G, name: 组, codable: false, children: [{id: C, name: 丙}]}\n"


def dump(path):
    return list(sqlite3.connect(path).iterdump())


@pytest.fixture
def proj(tmp_path, run):
    root = tmp_path / "p"
    run("init", root)
    (tmp_path / "v1.yaml").write_text(V1, encoding="utf-8")
    assert run("codebook", "load", tmp_path / "v1.yaml", "-p", root).exit_code == 0
    (tmp_path / "t.txt").write_text("访谈者：好。\n受访者：很好。\n", encoding="utf-8")
    run("import", tmp_path / "t.txt", "-p", root)
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t")
        ann = CodingSession(project.store, "ann")
        ann.apply(info, "A", 4, 6)
        ann.apply(info, "A", 11, 13)
        ann.apply(info, "C", 11, 13)
    return root


def test_check_reports_problems_with_line_and_column_and_exit_status(tmp_path, run):
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  - {id: A, name: A, colour: red}\n  - {id: A, name: B, key: x}\n  - {id: C, name: C, key: x}\n",
                   encoding="utf-8")
    result = run("codebook", "check", bad)
    assert result.exit_code == 1
    assert f"{bad}:2:" in result.stderr and "unknown field 'colour'" in result.stderr
    assert f"{bad}:3:" in result.stderr and "duplicate id 'A'" in result.stderr
    assert "duplicate hotkey" in result.stderr or "hotkey 'x'" in result.stderr
    good = run("codebook", "check", REPO_ROOT / "codebooks" / "nps-toe.yaml")
    assert good.exit_code == 0 and "35 codes, 6 groups" in good.stdout


def test_malformed_yaml_is_refused_with_its_position_and_changes_nothing(proj, tmp_path, run):
    broken = tmp_path / "broken.yaml"
    broken.write_text("codes:\n  - {id: A, name: [unclosed\n", encoding="utf-8")
    before = dump(proj / "qcode.db")
    result = run("codebook", "load", broken, "-p", proj)
    assert result.exit_code == 1 and f"{broken}:" in result.stderr and "Traceback" not in result.stderr
    assert dump(proj / "qcode.db") == before


@pytest.mark.parametrize("content,expected", [
    (b"", "empty"),
    (b"\x00\x01\x02\x03" * 20, "binary"),
    ("codes: [{id: 甲, name: x}]".encode("gbk"), "UTF-8"),
])
def test_unreadable_codebook_files(tmp_path, run, content, expected):
    path = tmp_path / "cb.yaml"
    path.write_bytes(content)
    result = run("codebook", "check", path)
    assert result.exit_code == 1 and str(path) in result.stderr and expected in result.stderr


def test_dropping_a_coded_code_is_refused_with_counts(proj, tmp_path, run):
    (tmp_path / "v2.yaml").write_text("codes:\n  - {id: B, name: 乙}\n  - {id: C, name: 丙}\n", encoding="utf-8")
    before = dump(proj / "qcode.db")
    result = run("codebook", "load", tmp_path / "v2.yaml", "-p", proj)
    assert result.exit_code == 1
    assert "drops code 'A', which has 2 codings" in result.stderr and "--rename A=NEW_ID" in result.stderr
    assert dump(proj / "qcode.db") == before


def test_turning_a_coded_code_into_a_group_is_refused(proj, tmp_path, run):
    (tmp_path / "v2.yaml").write_text(
        "codes:\n  - {id: A, name: 甲, codable: false, children: [{id: A1, name: 子}]}\n  - {id: B, name: 乙}\n"
        "  - {id: C, name: 丙}\n", encoding="utf-8")
    result = run("codebook", "load", tmp_path / "v2.yaml", "-p", proj)
    assert result.exit_code == 1 and "makes 'A' a group" in result.stderr


def test_rename_moves_the_codings_and_journals_them(proj, tmp_path, run):
    (tmp_path / "v2.yaml").write_text("codes:\n  - {id: A2, name: 甲二}\n  - {id: B, name: 乙}\n  - {id: C, name: 丙}\n",
                                      encoding="utf-8")
    result = run("codebook", "load", tmp_path / "v2.yaml", "--rename", "A=A2", "-p", proj)
    assert result.exit_code == 0, result.stderr
    assert "Moved 2 codings from A to A2" in result.stdout
    with Project.open(proj) as project:
        assert sorted(c.code for c in project.store.codings.all()) == ["A2", "A2", "C"]
        assert project.store.codes.ids() == {"A2", "B", "C"}
        actions = [e.action for e in project.store.journal.recent(100)]
        assert actions.count("coding.recode") == 2 and "codebook.load" in actions
    unknown = run("codebook", "load", tmp_path / "v2.yaml", "--rename", "Z=A2", "-p", proj)
    assert unknown.exit_code == 1 and "no code 'Z'" in unknown.stderr


def test_loading_the_same_codebook_again_changes_nothing(proj, tmp_path, run):
    before = dump(proj / "qcode.db")
    result = run("codebook", "load", tmp_path / "v1.yaml", "-p", proj)
    assert result.exit_code == 0 and "nothing changed" in result.stdout
    assert dump(proj / "qcode.db") == before


def test_show_prints_the_tree_with_counts(proj, run):
    table = run("codebook", "show", "-p", proj).stdout
    assert "甲" in table and "  C" in table
    rows = {r["id"]: r for r in json.loads(run("codebook", "show", "--format", "json", "-p", proj).stdout)}
    assert rows["A"]["codings"] == 2 and rows["G"]["codings_with_subtree"] == 1 and rows["G"]["codable"] is False


def test_keyword_suggestions_that_block_a_change_are_named_and_can_be_cleared(proj, tmp_path, run):
    with Project.open(proj) as project:
        info = project.store.transcripts.by_name("t")
        CodingSession(project.store, "auto:keywords", source="suggest").apply(info, "B", 4, 6)
    (tmp_path / "v2.yaml").write_text("codes:\n  - {id: A, name: 甲}\n  - {id: C, name: 丙}\n", encoding="utf-8")
    refused = run("codebook", "load", tmp_path / "v2.yaml", "-p", proj)
    assert refused.exit_code == 1
    assert "drops code 'B', which has 1 coding (1 of them keyword suggestions by auto:keywords" in refused.stderr
    cleared = run("suggest", "--clear", "-p", proj)
    assert cleared.exit_code == 0 and "Removed 1 coding of auto:keywords" in cleared.stdout
    assert run("codebook", "load", tmp_path / "v2.yaml", "-p", proj).exit_code == 0
