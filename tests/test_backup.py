"""`qcode backup`: a consistent copy with SQLite's online backup, also while others read and write."""

from __future__ import annotations

import re
import sqlite3
import threading
from datetime import datetime

import pytest

from qcode.errors import InputError
from qcode.interop.backup import backup_project, default_backup_path
from qcode.project.coding import CodingSession
from qcode.project.project import Project
from qcode.storage import open_store
from tests.interop_support import dump


@pytest.fixture
def coded(project):
    store = project.store
    with store.transaction() as tx:
        info = store.transcripts.insert(guid="g-1", name="访谈01", sha256="h", text="访谈者：你好👍。\n受访者：好。",
                                        source_path=None, encoding="utf-8")
        from tests.conftest import code_row
        store.codes.replace_all(tx, [code_row("A", 0)])
    CodingSession(store, "ann").apply(info, "A", 0, 3)
    return project


def test_the_default_name_is_in_exports_with_a_timestamp(coded):
    path = default_backup_path(coded, datetime(2025, 3, 1, 9, 5, 7))
    assert path == coded.exports_dir / "backup-20250301-090507.db"
    path.write_bytes(b"taken")
    assert default_backup_path(coded, datetime(2025, 3, 1, 9, 5, 7)).name == "backup-20250301-090507-2.db"


def test_the_copy_opens_as_a_project_with_the_same_content(coded, run):
    result = run("backup", "-p", coded.root)
    assert result.exit_code == 0, result.stderr
    [copy] = coded.exports_dir.glob("backup-*.db")
    assert re.fullmatch(r"backup-\d{8}-\d{6}\.db", copy.name)
    assert f"Backed up to {copy}" in result.stdout and "1 transcript, 1 coding)" in result.stdout
    assert dump(copy) == dump(coded.db_path)
    folder = copy.parent / "restored"
    folder.mkdir()
    copy.rename(folder / "qcode.db")
    with Project.open(folder) as restored:
        assert [c.coder for c in restored.store.codings.all()] == ["ann"]
    assert sorted(p.name for p in coded.exports_dir.iterdir()) == ["restored"]  # no temporary files left


def test_backup_while_another_connection_holds_a_read_transaction(coded, tmp_path):
    reader = sqlite3.connect(coded.db_path)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM codings").fetchone() == (1,)
        result = backup_project(coded, tmp_path / "copy.db")
    finally:
        reader.close()
    assert result.codings == 1
    assert dump(result.path) == dump(coded.db_path)


def test_backup_while_a_writer_has_uncommitted_changes_in_wal_mode(coded, tmp_path):
    writer = sqlite3.connect(coded.db_path)
    try:
        assert writer.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO coders (name, created_at) VALUES ('uncommitted', 'now')")
        result = backup_project(coded, tmp_path / "copy.db")
        writer.commit()
    finally:
        writer.close()
    with open_store(result.path) as copy:
        assert copy.coders.names() == ["ann"]  # the copy is the last committed state


def test_backup_while_another_writer_keeps_committing(coded, tmp_path):
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        connection = sqlite3.connect(coded.db_path, timeout=5)
        try:
            n = 0
            while not stop.is_set():
                n += 1
                connection.execute("INSERT INTO coders (name, created_at) VALUES (?, 'now')", [f"coder {n}"])
                connection.commit()
                written.append(n)
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        while len(written) < 20:
            threading.Event().wait(0.01)
        copies = [backup_project(coded, tmp_path / f"copy{i}.db") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    for copy in copies:
        connection = sqlite3.connect(copy.path)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            names = [r[0] for r in connection.execute("SELECT name FROM coders WHERE name LIKE 'coder %'")]
        finally:
            connection.close()
        numbers = sorted(int(name.split()[1]) for name in names)
        assert numbers == list(range(1, len(numbers) + 1))  # a prefix of the commits: a consistent snapshot
        assert len(numbers) >= 20


def test_an_existing_file_is_never_overwritten(coded, tmp_path, run):
    target = tmp_path / "mine.db"
    target.write_bytes(b"precious")
    result = run("backup", target, "-p", coded.root)
    assert result.exit_code == 1 and "exists" in result.stderr and "Traceback" not in result.stderr
    assert target.read_bytes() == b"precious"
    with pytest.raises(InputError, match="exists"):
        backup_project(coded, target)
