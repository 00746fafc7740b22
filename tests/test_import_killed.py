"""A large import killed (SIGKILL) while it writes: the project has the whole transcript or nothing of it.

The import is one transaction; the sentences go in straight from arrays, many thousands of rows per
statement. Killing the process at several points while its write-ahead log grows must leave either no
trace of the transcript or all of it (text, every turn and sentence, the journal entry), and a database
that passes SQLite's integrity check. The kill waits for a condition (the log has grown past a size),
never for a time.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qcode.project.config import ImportSettings
from qcode.project.importing import cut_into_units, speaker_pattern
from qcode.project.project import Project
from qcode.text.readers import read_transcript
from tests.conftest import REPO_ROOT

SENTENCES = ["我们这个号是二〇一六年开的，当时是上面要求每个部门都要有。", "说实话，阅读量一直上不去！",
             "“一网通办”推了以后，系统对接还是没打通？", "嗯……这个问题我觉得还是人手不够；三个编辑都是兼职。"]


def _big_transcript(path: Path, sentences: int) -> Path:
    path.write_text("受访者A：" + "".join(SENTENCES[i % len(SENTENCES)] for i in range(sentences)), encoding="utf-8")
    return path


def _wait_for(condition, process: subprocess.Popen) -> bool:
    """True once `condition()` holds; False if the process ended first."""
    while not condition():
        if process.poll() is not None:
            return False
        time.sleep(0.001)
    return True


def _state(db: Path) -> tuple[int, int, int, str]:
    conn = sqlite3.connect(db)
    try:
        transcripts = conn.execute("SELECT count(*) FROM transcripts").fetchone()[0]
        units = conn.execute("SELECT count(*) FROM units").fetchone()[0]
        journal = conn.execute("SELECT count(*) FROM journal WHERE action = 'transcript.import'").fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    return transcripts, units, journal, integrity


@pytest.mark.parametrize("wal_bytes", [1, 2_000_000, 6_000_000])
def test_an_import_killed_while_writing_leaves_all_or_nothing(tmp_path, wal_bytes):
    source = _big_transcript(tmp_path / "big.txt", 40_000)  # about 3.5 MB of text, 60,000 units
    root = tmp_path / "proj"
    Project.init(root).close()
    db, wal = root / "qcode.db", root / "qcode.db-wal"
    expected_units = len(cut_into_units(read_transcript(source).text, speaker_pattern(ImportSettings())))
    before = wal.stat().st_size if wal.exists() else 0
    process = subprocess.Popen([sys.executable, "-m", "qcode", "import", str(source), "-p", str(root)],
                               cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if _wait_for(lambda: wal.exists() and wal.stat().st_size >= before + wal_bytes, process):
            os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    transcripts, units, journal, integrity = _state(db)
    assert integrity == "ok"
    assert (transcripts, units, journal) in {(0, 0, 0), (1, expected_units, 1)}
    if process.returncode == -signal.SIGKILL and transcripts == 0:
        # nothing was kept: importing again works and stores every unit
        subprocess.run([sys.executable, "-m", "qcode", "import", str(source), "-p", str(root)], cwd=REPO_ROOT,
                       check=True, capture_output=True)
        assert _state(db)[:3] == (1, expected_units, 1)
