"""`qcode init`, `import`, `transcripts`, `complete`, `log` and project discovery, run as a user would."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from qcode.project.coding import CodingSession
from qcode.project.project import Project
from tests.conftest import REPO_ROOT

INTERVIEW = "访谈时间：2024年3月\n\n访谈者：您觉得公众号好用吗？\n受访者A：还行吧。就是更新太慢了！\n有时候一个礼拜都不更新……\n访谈者：谢谢。\n"


def dump(db_path: Path) -> list[str]:
    """Everything in the database, to prove a failed command changed nothing."""
    conn = sqlite3.connect(db_path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def proj_dir(tmp_path, run):
    folder = tmp_path / "study"
    assert run("init", folder).exit_code == 0
    return folder


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def test_init_creates_the_project_layout(tmp_path, run):
    result = run("init", tmp_path / "new")
    assert result.exit_code == 0, result.stderr
    for name in ("qcode.db", "qcode.toml", "codebooks", "transcripts", "exports"):
        assert (tmp_path / "new" / name).exists()
    again = run("init", tmp_path / "new")
    assert again.exit_code == 1 and "already exists" in again.stderr and "Traceback" not in again.stderr


def test_import_stores_canonical_text_units_and_provenance(proj_dir, tmp_path, run):
    source = write(tmp_path / "in" / "访谈01.txt", "\ufeff" + INTERVIEW.replace("\n", "\r\n"), "utf-8")
    result = run("import", source, "-p", proj_dir)
    assert result.exit_code == 0, result.stderr
    assert "访谈01" in result.stdout
    with Project.open(proj_dir) as project:
        [info] = project.store.transcripts.all()
        text = project.store.transcripts.text(info.id)
        assert text == INTERVIEW  # BOM gone, CRLF -> LF
        assert (info.name, info.encoding, info.source_path) == ("访谈01", "utf-8-sig", str(source))
        assert len(info.sha256) == 64 and len(info.guid) == 36
        turns = project.store.transcripts.units(info.id, "turn")
        speakers = [t.speaker for t in turns]
        assert speakers == [None, "访谈者", "受访者A", "访谈者"]
        answer = turns[2]
        assert text[answer.start:answer.end] == "还行吧。就是更新太慢了！\n有时候一个礼拜都不更新……"
        assert text[answer.label_start:answer.label_end] == "受访者A："
        sentences = [text[s.start:s.end] for s in project.store.transcripts.units(info.id, "sentence") if s.turn_index == 2]
        assert sentences == ["还行吧。", "就是更新太慢了！", "有时候一个礼拜都不更新……"]


def test_import_folders_recursively_with_every_format(proj_dir, tmp_path, run):
    import docx

    folder = tmp_path / "data"
    write(folder / "a.txt", INTERVIEW)
    write(folder / "sub" / "b.md", "# 标题\n\nQ: Is it useful?\nA: Yes, very.\n")
    write(folder / "sub" / "c.txt", INTERVIEW.replace("谢谢", "谢谢您𠮷"), "gb18030")
    document = docx.Document()
    document.add_paragraph("访谈者：第一段")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "内容"
    document.add_paragraph("受访者：第二段")
    document.save(folder / "sub" / "d.docx")
    write(folder / ".hidden.txt", "not imported")
    result = run("import", folder, "-p", proj_dir)
    assert result.exit_code == 0, result.stderr
    listing = json.loads(run("transcripts", "--format", "json", "-p", proj_dir).stdout)
    by_name = {t["name"]: t for t in listing}
    assert sorted(by_name) == ["a", "b", "c", "d"]
    assert by_name["c"]["encoding"] == "gb18030"
    with Project.open(proj_dir) as project:
        d = project.store.transcripts.by_name("d")
        assert project.store.transcripts.text(d.id).split("\n") == ["访谈者：第一段", "项目\t内容", "受访者：第二段"]


def test_transcripts_json_has_the_documented_fields(proj_dir, tmp_path, run):
    run("import", write(tmp_path / "x.txt", INTERVIEW), "-p", proj_dir)
    [row] = json.loads(run("transcripts", "--format", "json", "-p", proj_dir).stdout)
    assert row["name"] == "x"
    assert row["characters"] == len(INTERVIEW)
    assert (row["turns"], row["sentences"]) == (4, 6)
    assert row["speakers"] == ["访谈者", "受访者A"]


def test_reimporting_an_identical_file_does_nothing_and_says_so(proj_dir, tmp_path, run):
    source = write(tmp_path / "x.txt", INTERVIEW)
    run("import", source, "-p", proj_dir)
    before = dump(proj_dir / "qcode.db")
    again = run("import", source, "-p", proj_dir)
    assert again.exit_code == 0
    assert "unchanged" in again.stdout and "0 imported" in again.stderr
    assert dump(proj_dir / "qcode.db") == before


def test_changed_text_is_refused_when_coded_and_replaced_when_not(proj_dir, tmp_path, run):
    source = write(tmp_path / "x.txt", INTERVIEW)
    run("import", source, "-p", proj_dir)
    write(source, INTERVIEW.replace("还行吧", "还可以"))
    replaced = run("import", source, "-p", proj_dir)
    assert replaced.exit_code == 0 and "replaced" in replaced.stdout

    codebook = write(tmp_path / "cb.yaml", "codes: [{id: A, name: A}]\n")
    assert run("codebook", "load", codebook, "-p", proj_dir).exit_code == 0
    with Project.open(proj_dir) as project:
        info = project.store.transcripts.by_name("x")
        session = CodingSession(project.store, "ann")
        session.apply(info, "A", 10, 15)
        session.apply(info, "A", 20, 22)
    write(source, INTERVIEW.replace("还行吧", "不太行"))
    before = dump(proj_dir / "qcode.db")
    refused = run("import", source, "-p", proj_dir)
    assert refused.exit_code == 1
    assert "2 codings" in refused.stderr and "--as NAME" in refused.stderr
    assert dump(proj_dir / "qcode.db") == before
    renamed = run("import", source, "--as", "x-v2", "-p", proj_dir)
    assert renamed.exit_code == 0 and "x-v2" in renamed.stdout


def test_project_is_found_from_option_environment_or_parent_folders(proj_dir, tmp_path, run, monkeypatch):
    write(tmp_path / "x.txt", INTERVIEW)
    nested = proj_dir / "transcripts" / "deeper"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert run("import", tmp_path / "x.txt").exit_code == 0  # found upwards, like git
    monkeypatch.chdir(tmp_path)
    assert run("transcripts").exit_code == 1
    monkeypatch.setenv("QCODE_PROJECT", str(proj_dir))
    assert "x" in run("transcripts").stdout
    assert run("-p", proj_dir, "transcripts").exit_code == 0  # -p before the command works too


def test_a_folder_that_is_not_a_project_is_reported(tmp_path, run):
    result = run("transcripts", "-p", tmp_path)
    assert result.exit_code == 1
    assert "not a qcode project" in result.stderr and str(tmp_path) in result.stderr
    assert "Traceback" not in result.stderr


BAD_FILES = {
    "missing": (None, "no such file or folder"),
    "binary.txt": (b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
    "empty.txt": (b"  \n\n", "empty"),
    "damaged.txt": ("第一行很正常。\n第二行".encode() + b"\xe4\xb8" + "也正常。\n".encode() * 50, "damaged.txt:2:4: not valid UTF-8"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_reported_with_file_and_line_and_change_nothing(proj_dir, tmp_path, run, name):
    content, expected = BAD_FILES[name]
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    good = write(tmp_path / "good.txt", INTERVIEW)
    before = dump(proj_dir / "qcode.db")
    result = run("import", good, path, "-p", proj_dir)
    assert result.exit_code == 1
    assert str(path) in result.stderr and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert dump(proj_dir / "qcode.db") == before  # not even the good file was imported


def test_an_explicit_wrong_encoding_names_the_line(proj_dir, tmp_path, run):
    path = write(tmp_path / "x.txt", "abc\n第二行", "utf-8")
    result = run("import", path, "--encoding", "ascii", "-p", proj_dir)
    assert result.exit_code == 1 and f"{path}:2:1:" in result.stderr, result.stderr


def test_a_locked_database_is_reported_and_nothing_changes(proj_dir, tmp_path, run, monkeypatch):
    monkeypatch.setenv("QCODE_LOCK_PATIENCE", "0.5")  # a command waits this long for the lock, saying so
    good = write(tmp_path / "good.txt", INTERVIEW)
    before = dump(proj_dir / "qcode.db")
    blocker = sqlite3.connect(proj_dir / "qcode.db")
    blocker.execute("BEGIN IMMEDIATE")
    try:
        result = run("import", good, "-p", proj_dir)
    finally:
        blocker.rollback()
        blocker.close()
    assert result.exit_code == 1 and "locked by another process" in result.stderr
    assert "waiting for another qcode command" in result.stderr
    assert dump(proj_dir / "qcode.db") == before


def test_a_newer_schema_is_reported(proj_dir, run):
    conn = sqlite3.connect(proj_dir / "qcode.db")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    result = run("transcripts", "-p", proj_dir)
    assert result.exit_code == 1 and "upgrade qcode" in result.stderr and "Traceback" not in result.stderr


def test_complete_and_reopen(proj_dir, tmp_path, run):
    run("import", write(tmp_path / "x.txt", INTERVIEW), "-p", proj_dir)
    assert run("complete", "x", "--coder", "ann", "-p", proj_dir).exit_code == 0
    [row] = json.loads(run("transcripts", "--format", "json", "-p", proj_dir).stdout)
    assert row["progress"]["ann"]["complete"] is True
    assert run("complete", "x", "--coder", "ann", "--undo", "-p", proj_dir).exit_code == 0
    [row] = json.loads(run("transcripts", "--format", "json", "-p", proj_dir).stdout)
    assert row["progress"]["ann"]["complete"] is False
    missing = run("complete", "nope", "--coder", "ann", "-p", proj_dir)
    assert missing.exit_code == 1 and "no transcript named 'nope'" in missing.stderr


def test_log_shows_the_journal(proj_dir, tmp_path, run):
    run("import", write(tmp_path / "x.txt", INTERVIEW), "-p", proj_dir)
    result = run("log", "-p", proj_dir)
    assert "transcript.import" in result.stdout


def test_demo_builds_a_project_from_the_bundled_material(tmp_path, run):
    result = run("demo", "--no-ui", "--path", tmp_path / "demo")
    assert result.exit_code == 0, result.stderr
    listing = json.loads(run("transcripts", "--format", "json", "-p", tmp_path / "demo").stdout)
    bundled = sorted(p.stem for p in (REPO_ROOT / "transcripts").iterdir() if p.is_file())
    interviews = [t for t in listing if not t["name"].startswith("临溪发布满意度调查-问卷星-")]  # the rest: respondents
    assert sorted(t["name"] for t in interviews) == bundled
    assert all(t["turns"] > 5 and t["speakers"] for t in interviews)
    gb = next(t for t in listing if t["encoding"] == "gb18030")
    assert gb["characters"] > 3000
