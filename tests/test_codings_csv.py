"""`qcode codings export` / `import`: exact round trips and row-by-row checks."""

from __future__ import annotations

import sqlite3

import pytest

from qcode.project.coding import CodingSession
from qcode.project.project import Project

TEXT = "访谈者：请讲。\n受访者：公众号👍更新慢，𠮷野家也说过。\tTab后。\n"


@pytest.fixture
def coded(tmp_path, run):
    root = tmp_path / "p"
    run("init", root)
    (tmp_path / "t.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "cb.yaml").write_text("codes: [{id: A, name: A}, {id: 乙, name: B}, {id: G, name: G, codable: false, children: [{id: G1, name: G1}]}]\n",
                                      encoding="utf-8")
    run("codebook", "load", tmp_path / "cb.yaml", "-p", root)
    run("import", tmp_path / "t.txt", "-p", root)
    with Project.open(root) as project:
        t = project.store.transcripts.by_name("t")
        ann = CodingSession(project.store, "ann")
        ann.apply(t, "A", TEXT.index("👍"), TEXT.index("👍") + 1, memo="emoji, 含逗号, and \"quotes\"")
        ann.apply(t, "乙", TEXT.index("𠮷"), TEXT.index("家") + 1)
        CodingSession(project.store, "李 老师").apply(t, "G1", TEXT.index("Tab"), TEXT.index("后。") + 2, memo="多行\n备注")
    return root


def rows(root):
    with Project.open(root) as project:
        return sorted((c.coder, c.transcript, c.start, c.end, c.code, c.memo) for c in project.store.codings.all())


def test_export_then_import_into_a_copy_round_trips_exactly(coded, tmp_path, run):
    out = tmp_path / "codings.csv"
    assert run("codings", "export", "-p", coded, "-o", out).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel-friendly
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == "coder,transcript,start,end,code,memo,text"
    copy = tmp_path / "copy"
    run("init", copy)
    run("codebook", "load", tmp_path / "cb.yaml", "-p", copy)
    run("import", tmp_path / "t.txt", "-p", copy)
    result = run("codings", "import", out, "-p", copy)
    assert result.exit_code == 0 and "Imported 3" in result.stdout
    assert rows(copy) == rows(coded)
    again = run("codings", "import", out, "-p", copy)
    assert "Imported 0" in again.stdout and "3 already present" in again.stdout
    assert rows(copy) == rows(coded)


def test_stdout_export_has_exact_offsets(coded, run):
    lines = run("codings", "export", "-p", coded, "--coders", "ann").stdout.splitlines()
    start = TEXT.index("👍")
    assert lines[1] == f'ann,t,{start},{start + 1},A,"emoji, 含逗号, and ""quotes""",👍'


def test_every_bad_row_is_listed_with_its_line_and_nothing_is_imported(coded, tmp_path, run):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "coder,transcript,start,end,code,memo\n"
        "ann,t,0,3,A,fine\n"                   # 2: good
        ",t,0,3,A,\n"                          # 3: empty coder
        "ann,nope,0,3,A,\n"                    # 4: unknown transcript
        "ann,t,0,3,ZZ,\n"                      # 5: unknown code
        "ann,t,5,2,A,\n"                       # 6: start > end
        f"ann,t,0,{len(TEXT) + 1},A,\n"        # 7: out of range
        "ann,t,x,3,A,\n"                       # 8: not an integer
        "ann,t,0,3,G,\n"                       # 9: a group
        "ann,t,0,3,A,memo,extra\n",            # 10: too many fields
        encoding="utf-8")
    db = coded / "qcode.db"
    before = list(sqlite3.connect(db).iterdump())
    result = run("codings", "import", bad, "-p", coded)
    assert result.exit_code == 1
    for line, problem in [(3, "coder is empty"), (4, "unknown transcript 'nope'"), (5, "unknown code 'ZZ'"),
                          (6, "start 5 is after end 2"), (7, "out of range"), (8, "start is not an integer"),
                          (9, "is a group"), (10, "fields")]:
        assert f"{bad}:{line}: " in result.stderr and problem in result.stderr, (line, result.stderr)
    assert f"{bad}:2:" not in result.stderr
    assert "8 bad rows; nothing was imported" in result.stderr
    assert list(sqlite3.connect(db).iterdump()) == before


def test_a_gbk_csv_from_excel_is_read(coded, tmp_path, run):
    path = tmp_path / "excel.csv"
    path.write_bytes("coder,transcript,start,end,code,memo\n王,t,0,3,乙,中文备注\n".encode("gbk"))
    result = run("codings", "import", path, "-p", coded)
    assert result.exit_code == 0, result.stderr
    assert ("王", "t", 0, 3, "乙", "中文备注") in rows(coded)


def test_header_problems(coded, tmp_path, run):
    path = tmp_path / "h.csv"
    path.write_text("who,transcript,start,end\n", encoding="utf-8")
    result = run("codings", "import", path, "-p", coded)
    assert result.exit_code == 1 and f"{path}:1: the header lacks coder, code" in result.stderr
