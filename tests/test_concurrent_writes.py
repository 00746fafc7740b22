"""Several writers at once: IMMEDIATE transactions, duplicate checks under the lock, a unique index.

Real `qcode codings import` processes run side by side (15 disjoint ones, and two of the same file),
while a coder codes in the TUI: every coding is stored exactly once and no process fails.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from qcode.project.coding import CodingSession
from qcode.project.project import Project
from qcode.storage import open_store
from qcode.storage.database import DatabaseLocked, DuplicateCoding
from qcode.tui.screens.coding import CodingScreen
from tests.conftest import REPO_ROOT
from tests.tui_support import make_app, make_project

SENTENCES = 60
TEXT = "".join(f"受访者A：第{i}句话说得很清楚。\n" for i in range(SENTENCES))
CODES = ("S.INTERACTION", "S.INFO", "O.STAFF")


def _sentence(i: int) -> tuple[int, int]:
    start = TEXT.index(f"第{i}句")
    return start, TEXT.index("\n", start)


def _csv(path, coder: str, rows: int) -> set[tuple]:
    """A codings CSV of `rows` distinct codings by `coder`; returns them."""
    wanted = set()
    lines = ["coder,transcript,start,end,code,memo"]
    for n in range(rows):
        start = n % 50
        end = start + 1 + n // 50 % 20
        code = CODES[n // 1000 % len(CODES)]
        wanted.add((coder, code, start, end))
        lines.append(f"{coder},t1,{start},{end},{code},")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(wanted) == rows
    return wanted


def _stored(root) -> list[tuple]:
    with Project.open(root) as project:
        return [(c.coder, c.code, c.start, c.end) for c in project.store.codings.all()]


def _start_import(root, path) -> subprocess.Popen:
    env = {**os.environ, "QCODE_BUSY_TIMEOUT": "120", "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen([sys.executable, "-m", "qcode", "codings", "import", str(path), "-p", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_a_transaction_takes_the_write_lock_before_its_first_statement(tmp_path):
    root = make_project(tmp_path / "p", TEXT)
    blocker = sqlite3.connect(root / "qcode.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with open_store(root / "qcode.db") as store:
            with pytest.raises(DatabaseLocked):  # a deferred BEGIN would only fail later, past the busy handler
                with store.transaction():
                    pass
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_the_unique_index_refuses_a_second_copy_of_a_coding(tmp_path):
    root = make_project(tmp_path / "p", TEXT)
    with Project.open(root) as project, open_store(root / "qcode.db") as other:
        t = project.store.transcripts.by_name("t1")
        first = CodingSession(project.store, "ann").apply(t, "O.STAFF", *_sentence(0))
        again = CodingSession(other, "ann").apply(t, "O.STAFF", *_sentence(0))  # a second process, same coding
        assert again.guid == first.guid
        row = other.db.execute("SELECT coder_id, transcript_id FROM codings").fetchone()
        with pytest.raises(DuplicateCoding):
            with other.transaction() as tx:
                tx.db.execute('INSERT INTO codings (guid, coder_id, transcript_id, code_id, start, "end", created_at, '
                              "updated_at) VALUES ('other', ?, ?, 'O.STAFF', ?, ?, '', '')", [*row, *_sentence(0)])
    assert len(_stored(root)) == 1


def test_an_old_project_with_duplicates_is_folded_without_losing_a_memo(tmp_path):
    root = make_project(tmp_path / "p", TEXT)
    start, end = _sentence(1)
    db = sqlite3.connect(root / "qcode.db", isolation_level=None)
    db.execute("DROP INDEX codings_unique_span")  # as a project of an older qcode
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 't10b_codings_unique_span'")
    db.execute("CREATE INDEX codings_by_coder ON codings(coder_id, transcript_id)")
    db.execute("INSERT INTO coders (name, created_at) VALUES ('ann', '2025-01-01')")
    for guid, memo, at in (("g1", "第一", "2025-01-01"), ("g2", "", "2025-01-02"), ("g3", "第二", "2025-01-03"),
                           ("g4", "第一", "2025-01-04")):
        db.execute('INSERT INTO codings (guid, coder_id, transcript_id, code_id, start, "end", memo, created_at, '
                   "updated_at) VALUES (?, 1, 1, 'O.STAFF', ?, ?, ?, ?, ?)", [guid, start, end, memo, at, at])
    db.close()
    with Project.open(root) as project:
        kept = project.store.codings.all()
        journal = [e for e in project.store.journal.recent(10) if e.action == "coding.dedupe"]
    assert [(c.guid, c.memo) for c in kept] == [("g1", "第一\n\n第二")]
    assert sorted(e.entity_key for e in journal if e.after is None) == ["g2", "g3", "g4"]
    removed = {e.entity_key: e.before for e in journal if e.after is None}
    assert removed["g3"]["memo"] == "第二" and removed["g3"]["start"] == start  # the full image is kept
    assert [(e.before["memo"], e.after["memo"]) for e in journal if e.after is not None] == [("第一", "第一\n\n第二")]


def test_parallel_imports_and_a_coder_in_the_tui_store_every_coding_once(tmp_path):
    root = make_project(tmp_path / "p", TEXT)
    expected: set[tuple] = set()
    files = []
    for i in range(15):  # 15 disjoint imports
        path = tmp_path / f"coder{i}.csv"
        expected |= _csv(path, f"coder{i}", 1500)
        files.append(path)
    same = tmp_path / "same.csv"
    expected |= _csv(same, "shared", 3000)
    files += [same, same]  # `codings import same.csv & codings import same.csv`
    presses = 30

    async def code_in_the_tui(processes) -> None:
        app = make_app(root)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CodingScreen)
            for _ in range(presses):
                await pilot.press("o", "3", "down")
            for process in processes:  # the imports finish (waiting for the condition, not for a time)
                while process.poll() is None:
                    await pilot.pause(0.05)
            while app.pending_writes:
                await pilot.pause(0.05)
            assert [n.message for n in app._notifications if n.severity == "error"] == []
            assert len([c for c in screen.codings.values() if c.coder == "ann"]) == presses

    processes = [_start_import(root, path) for path in files]
    asyncio.run(code_in_the_tui(processes))
    outcomes = [(p.wait(), p.stdout.read(), p.stderr.read()) for p in processes]
    assert [code for code, _, _ in outcomes] == [0] * len(files), [err for _, _, err in outcomes]
    added = sorted(int(out.split()[1]) for _, out, _ in outcomes[-2:])
    assert added in ([0, 3000], [3000, 0]) or sum(added) == 3000  # the same file is stored once in all
    expected |= {("ann", "O.STAFF", *_sentence(i)) for i in range(presses)}
    stored = _stored(root)
    assert len(stored) == len(set(stored)) == len(expected)
    assert set(stored) == expected
    with Project.open(root) as project:
        journalled = project.store.db.execute(
            "SELECT count(*) FROM journal WHERE action IN ('coding.add', 'coding.import')").fetchone()[0]
    assert journalled == len(expected)
    json.dumps(outcomes[0][1])  # the summaries are plain text
