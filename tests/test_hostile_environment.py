"""Bad environments and hostile input end in a message and an unchanged project, never a traceback or a hang:
devices and pipes, read-only projects, a full disk, damaged databases, odd digits, deep nesting, `qcode check`."""

from __future__ import annotations

import os
import sqlite3

import pytest

from qcode.interop.refi_common import pi_data
from qcode.storage import database

TEXT = "访谈者：你们的公众号谁在管？\n受访者A：我们科室两个人兼着管。更新太慢了！\n"
CODEBOOK = "format: 1\nid: t\ncodes:\n  - {id: Q, name: {zh: 质量}}\n"


@pytest.fixture
def root(tmp_path, run):
    root = tmp_path / "proj"
    assert run("init", root).exit_code == 0
    (tmp_path / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    assert run("codebook", "load", tmp_path / "cb.yaml", "-p", root).exit_code == 0
    (tmp_path / "t1.txt").write_text(TEXT, encoding="utf-8")
    assert run("import", tmp_path / "t1.txt", "-p", root).exit_code == 0
    (tmp_path / "c.csv").write_text("coder,transcript,start,end,code,memo\nann,t1,4,8,Q,\n", encoding="utf-8")
    assert run("codings", "import", tmp_path / "c.csv", "-p", root).exit_code == 0
    return root


def dump(root) -> str:
    connection = sqlite3.connect(root / "qcode.db")
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_devices_and_pipes_are_refused_before_reading(root, run, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args in (["codebook", "check", fifo], ["codebook", "check", "/dev/zero"], ["import", fifo, "-p", root],
                 ["codings", "import", fifo, "-p", root], ["codings", "import", "/dev/zero", "-p", root],
                 ["init", tmp_path / "new", "--from", "/dev/zero"], ["codebook", "convert", fifo, tmp_path / "o.yaml"],
                 ["words", "--stopwords", fifo, "-p", root]):
        result = run(*args)
        assert result.exit_code != 0, args
        assert "not a regular file" in result.stderr, (args, result.stderr)


def test_a_file_over_the_size_limit_is_refused_before_reading(root, run, tmp_path, monkeypatch):
    from qcode.text import readers

    monkeypatch.setattr(readers, "MAX_TRANSCRIPT_BYTES", 10)
    (tmp_path / "t2.txt").write_text(TEXT * 3, encoding="utf-8")
    result = run("import", tmp_path / "t2.txt", "-p", root)
    assert result.exit_code == 1 and "MiB a transcript may have" in result.stderr


def test_superscript_and_other_unicode_digits_are_not_offsets(root, run, tmp_path):
    before = dump(root)
    for offset in ("²", "٣", "１", "3²"):
        (tmp_path / "bad.csv").write_text(f"coder,transcript,start,end,code,memo\nbob,t1,{offset},9,Q,\n",
                                          encoding="utf-8")
        result = run("codings", "import", tmp_path / "bad.csv", "-p", root)
        assert result.exit_code == 1 and "start is not an integer" in result.stderr, result.stderr
    assert dump(root) == before


def test_deeply_nested_json_in_a_processing_instruction_is_not_ours():
    assert pi_data('{"a":' * 100_000 + "1" + "}" * 100_000) is None
    assert pi_data("[" * 100_000) is None
    assert pi_data('{"name": "]]]]", "keywords": [["a"]]}') == {"name": "]]]]", "keywords": [["a"]]}


def test_bootstrap_resamples_have_an_upper_bound(root, run):
    result = run("agree", "--bootstrap", "1000000000", "--include-incomplete", "-p", root)
    assert result.exit_code == 2 and "0<=x<=100000" in result.stderr


def test_a_read_only_project_answers_reads_and_refuses_writes(root, run, tmp_path, monkeypatch):
    before = dump(root)
    monkeypatch.setattr(database, "_writable", lambda path: False)  # as on a read-only mount (root ignores modes)
    assert run("transcripts", "-p", root).exit_code == 0
    listed = run("codings", "export", "-p", root)
    assert listed.exit_code == 0 and "ann,t1,4,8,Q," in listed.stdout
    assert run("freq", "-p", root).exit_code == 0
    (tmp_path / "t3.txt").write_text("访谈者：新的一份。\n", encoding="utf-8")
    for args in (["import", tmp_path / "t3.txt"], ["complete", "t1", "--coder", "ann"]):
        result = run(*args, "-p", root)
        assert result.exit_code == 1, args
        assert "the project is read-only here" in result.stderr and "Traceback" not in result.stderr
    monkeypatch.undo()
    assert dump(root) == before


def test_a_full_disk_is_named_and_nothing_is_changed(root, run, tmp_path, monkeypatch):
    before = dump(root)
    from qcode.storage.transcripts import TranscriptRepository

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(TranscriptRepository, "insert", disk_full)
    (tmp_path / "t4.txt").write_text("访谈者：再一份。\n", encoding="utf-8")
    result = run("import", tmp_path / "t4.txt", "-p", root)
    assert result.exit_code == 1 and "the disk is full" in result.stderr and "nothing was changed" in result.stderr
    monkeypatch.undo()
    assert dump(root) == before


def test_damaged_databases_are_named_as_damaged(root, run, tmp_path):
    other = tmp_path / "other.db"
    other.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    result = run("merge", other, "-p", root)
    assert result.exit_code == 1 and "damaged" in result.stderr and str(other) in result.stderr
    damaged = (root / "qcode.db").read_bytes()
    (root / "qcode.db").write_bytes(damaged[:100] + os.urandom(len(damaged) - 100))
    for path in (root / "qcode.db-wal", root / "qcode.db-shm"):
        path.unlink(missing_ok=True)
    result = run("transcripts", "-p", root)
    assert result.exit_code == 1 and "damaged" in result.stderr and "Traceback" not in result.stderr


def test_check_passes_a_sound_project_and_lists_what_is_wrong(root, run):
    sound = run("check", "-p", root)
    assert sound.exit_code == 0, sound.stdout + sound.stderr
    assert "SQLite integrity: ok" in sound.stdout and "journal entries of codings: ok" in sound.stdout
    connection = sqlite3.connect(root / "qcode.db")
    # A coding written behind qcode's back, without its journal entry.
    connection.execute("INSERT INTO codings (guid, coder_id, transcript_id, code_id, start, \"end\", memo, created_at, "
                       "updated_at) SELECT 'g-1', coder_id, transcript_id, code_id, 10, 12, '', created_at, updated_at "
                       "FROM codings LIMIT 1")
    connection.execute("UPDATE transcripts SET text = text || '!'")
    connection.execute('UPDATE units SET start = 100, "end" = 120 WHERE kind = \'turn\' AND idx = 0')
    connection.commit()
    connection.close()
    found = run("check", "-p", root)
    assert found.exit_code == 1
    assert "journal entries of codings: 1 problem\n" in found.stdout and "has no journal entry" in found.stdout
    assert "turn 0 of t1 spans 100-120, outside the text" in found.stdout
    assert "does not match its SHA-256 checksum" in found.stdout
    assert "the text has" in found.stdout
