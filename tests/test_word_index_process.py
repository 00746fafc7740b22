"""The TUI builds the word index in a child process (jieba's memory never enters the coding screen's)."""

from __future__ import annotations

import pytest

from qcode.errors import QcodeError
from qcode.project.project import Project
from qcode.project.word_index_process import warm_up_in_child
from tests.tui_support import make_project


def test_the_child_indexes_the_project_and_reports_progress(tmp_path) -> None:
    root = make_project(tmp_path / "proj")
    calls: list[tuple[int, int, str]] = []
    report = warm_up_in_child(root, lambda done, total, name: calls.append((done, total, name)))
    assert calls[-1][:2] == (1, 1) and report.segmented == 1 and report.characters > 0
    with Project.open(root) as project:  # the index answers: the words of the transcript are in it
        count = project.store.db.execute("SELECT count(*) FROM text_index_sentences").fetchone()[0]
    assert count > 0


def test_a_locked_database_is_reported_as_locked_so_the_app_retries(tmp_path) -> None:
    import sqlite3

    from qcode.storage.database import DatabaseLocked

    root = make_project(tmp_path / "proj")
    blocker = sqlite3.connect(root / "qcode.db")
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked):
            warm_up_in_child(root)
    finally:
        blocker.rollback()
        blocker.close()


def test_a_failure_in_the_child_is_a_qcode_error(tmp_path) -> None:
    with pytest.raises(QcodeError) as caught:
        warm_up_in_child(tmp_path / "no-such-project")
    assert str(caught.value)
