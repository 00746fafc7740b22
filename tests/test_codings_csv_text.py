"""`codings import`: the text column is checked, --reanchor finds moved passages, memos are never dropped."""

from __future__ import annotations

import sqlite3

import pytest

from qcode.project.coding import CodingSession
from qcode.project.project import Project

TEXT = "访谈者：您好。\n受访者：我们镇的公众号每天更新。公众号很重要。\n访谈者：谢谢。\n"
EDITED = "访谈者：您好，欢迎。\n受访者：我们镇的公众号每天更新。公众号很重要。\n访谈者：谢谢。\n"


def _project(tmp_path, run, name: str, text: str):
    root = tmp_path / name
    run("init", root)
    (tmp_path / "cb.yaml").write_text("codes: [{id: A, name: A}, {id: B, name: B}]\n", encoding="utf-8")
    run("codebook", "load", tmp_path / "cb.yaml", "-p", root)
    folder = tmp_path / f"{name}-src"
    folder.mkdir()
    (folder / "t.txt").write_text(text, encoding="utf-8")
    run("import", folder / "t.txt", "-p", root)
    return root


def _codings(root):
    with Project.open(root) as project:
        return sorted((c.coder, c.code, c.start, c.end, c.memo) for c in project.store.codings.all())


def _dump(root):
    return list(sqlite3.connect(root / "qcode.db").iterdump())


@pytest.fixture
def exported(tmp_path, run):
    """A project coded on TEXT, and its codings exported with the words."""
    root = _project(tmp_path, run, "old", TEXT)
    with Project.open(root) as project:
        t = project.store.transcripts.by_name("t")
        ann = CodingSession(project.store, "ann")
        first = TEXT.index("公众号")
        ann.apply(t, "A", first, first + 3, memo="账号")
        ann.apply(t, "B", TEXT.index("谢谢"), TEXT.index("谢谢") + 2)
    out = tmp_path / "codings.csv"
    assert run("codings", "export", "-p", root, "-o", out).exit_code == 0
    return out


def test_export_writes_the_coded_words(exported):
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "coder,transcript,start,end,code,memo,text"
    assert lines[1].endswith(",A,账号,公众号") and lines[2].endswith(",B,,谢谢")


def test_rows_whose_words_differ_are_refused_and_listed(exported, tmp_path, run):
    other = _project(tmp_path, run, "new", EDITED)  # same transcript name, three characters inserted
    before = _dump(other)
    result = run("codings", "import", exported, "-p", other)
    assert result.exit_code == 1
    old = TEXT.index("公众号")
    assert f"{exported}:2: the words differ: the file has '公众号', 't' has '们镇的' at {old}-{old + 3}" in result.stderr
    assert f"{exported}:3: the words differ" in result.stderr and "--reanchor" in result.stderr
    assert "2 bad rows; nothing was imported" in result.stderr
    assert _dump(other) == before


def test_reanchor_finds_each_passage_by_its_words_nearest_the_old_offsets(exported, tmp_path, run):
    other = _project(tmp_path, run, "new", EDITED)
    result = run("codings", "import", exported, "--reanchor", "-p", other)
    assert result.exit_code == 0, result.stderr
    assert "2 passages found by their words at new offsets" in result.stdout
    first = EDITED.index("公众号")  # the first of two occurrences is nearest to the old offset
    thanks = EDITED.index("谢谢")
    assert _codings(other) == [("ann", "A", first, first + 3, "账号"), ("ann", "B", thanks, thanks + 2, "")]


def test_reanchor_refuses_words_that_are_gone(exported, tmp_path, run):
    other = _project(tmp_path, run, "new", EDITED.replace("谢谢", "再见"))
    before = _dump(other)
    result = run("codings", "import", exported, "--reanchor", "-p", other)
    assert result.exit_code == 1
    assert f"{exported}:3: the words '谢谢' are nowhere in 't'; cannot re-anchor" in result.stderr
    assert _dump(other) == before


def test_reanchor_needs_a_text_column(tmp_path, run):
    root = _project(tmp_path, run, "p", TEXT)
    path = tmp_path / "plain.csv"
    path.write_text("coder,transcript,start,end,code\nann,t,0,3,A\n", encoding="utf-8")
    result = run("codings", "import", path, "--reanchor", "-p", root)
    assert result.exit_code == 1 and "no text column" in result.stderr


def test_a_row_differing_only_in_memo_updates_the_memo_in_the_journal(exported, tmp_path, run):
    root = tmp_path / "old"
    edited = tmp_path / "edited.csv"
    edited.write_text(exported.read_text(encoding="utf-8-sig").replace(",A,账号,", ",A,账号与粉丝,"), encoding="utf-8")
    result = run("codings", "import", edited, "-p", root)
    assert result.exit_code == 0, result.stderr
    assert "Imported 0 codings" in result.stdout and "2 already present" in result.stdout
    assert "1 stored coding took the memo of the file" in result.stdout
    assert ("ann", "A", TEXT.index("公众号"), TEXT.index("公众号") + 3, "账号与粉丝") in _codings(root)
    with Project.open(root) as project:
        entry = [e for e in project.store.journal.recent(5) if e.action == "coding.memo"][-1]
    assert entry.before["memo"] == "账号" and entry.after["memo"] == "账号与粉丝" and entry.source == "csv"


def test_an_empty_memo_in_the_file_never_erases_a_stored_one(exported, tmp_path, run):
    root = tmp_path / "old"
    edited = tmp_path / "edited.csv"
    edited.write_text(exported.read_text(encoding="utf-8-sig").replace(",A,账号,", ",A,,"), encoding="utf-8")
    result = run("codings", "import", edited, "-p", root)
    assert result.exit_code == 0 and "the project's memo was kept" in result.stdout
    assert ("ann", "A", TEXT.index("公众号"), TEXT.index("公众号") + 3, "账号") in _codings(root)


def test_rows_repeating_one_coding_are_stored_once_with_both_memos(tmp_path, run):
    root = _project(tmp_path, run, "p", TEXT)
    path = tmp_path / "twice.csv"
    path.write_text("coder,transcript,start,end,code,memo\n"
                    "ann,t,0,3,A,第一\n"
                    "ann,t,0,3,A,第二\n"
                    "ann,t,0,3,A,第一\n"
                    "ann,t,0,3,A,\n", encoding="utf-8")
    result = run("codings", "import", path, "-p", root)
    assert result.exit_code == 0, result.stderr
    assert "Imported 1 coding by ann" in result.stdout
    assert "3 rows repeated an earlier row of the file and were stored once" in result.stdout
    assert "Different memos on one coding were joined: line 2 (with 3)" in result.stdout
    assert _codings(root) == [("ann", "A", 0, 3, "第一\n\n第二")]


@pytest.mark.parametrize("value, message", [
    ("²", "start is not an integer: '²' (write it in ASCII digits 0-9)"),
    ("١٢", "start is not an integer: '١٢'"),
    ("３", "start is not an integer: '３'"),
    ("+3", "start is not an integer: '+3'"),
    ("-3", "start -3 is negative"),
    ("9" * 5000, "start 99999999999999999999… is far beyond any transcript's length"),
])
def test_offsets_are_strict_ascii_integers(tmp_path, run, value, message):
    root = _project(tmp_path, run, "p", TEXT)
    path = tmp_path / "bad.csv"
    path.write_text(f"coder,transcript,start,end,code\nann,t,{value},5,A\n", encoding="utf-8")
    result = run("codings", "import", path, "-p", root)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"{path}:2: {message}" in result.stderr


def test_a_pipe_is_refused_before_reading(tmp_path, run):
    import os

    root = _project(tmp_path, run, "p", TEXT)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = run("codings", "import", fifo, "-p", root)
    assert result.exit_code == 1 and "not a regular file" in result.stderr


def test_a_formula_escaped_text_cell_still_matches(tmp_path, run):
    text = "访谈者：=SUM(A1)是什么？\n"
    root = _project(tmp_path, run, "p", text)
    start = text.index("=")
    path = tmp_path / "escaped.csv"
    path.write_text(f"coder,transcript,start,end,code,text\nann,t,{start},{start + 8},A,'=SUM(A1)\n", encoding="utf-8")
    result = run("codings", "import", path, "-p", root)
    assert result.exit_code == 0, result.stderr
    assert _codings(root) == [("ann", "A", start, start + 8, "")]


def test_many_bad_rows_are_counted_beyond_the_listed_ones(tmp_path, run):
    root = _project(tmp_path, run, "p", TEXT)
    path = tmp_path / "bad.csv"
    path.write_text("coder,transcript,start,end,code\n" + "ann,t,0,3,ZZ\n" * 250, encoding="utf-8")
    result = run("codings", "import", path, "-p", root)
    assert result.exit_code == 1
    assert "… and 50 more problems" in result.stderr and "250 bad rows; nothing was imported" in result.stderr


def test_white_space_around_an_offset_is_accepted(tmp_path, run):
    root = _project(tmp_path, run, "p", TEXT)
    path = tmp_path / "spaces.csv"
    path.write_text("coder,transcript,start,end,code\nann,t, 0 ,3 ,A\n", encoding="utf-8")
    result = run("codings", "import", path, "-p", root)
    assert result.exit_code == 0, result.stderr
    assert _codings(root) == [("ann", "A", 0, 3, "")]
