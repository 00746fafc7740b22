"""No acknowledged coding is lost or half-written when qcode is killed with SIGKILL.

A real `qcode code` process runs in a pseudo-terminal; the test types hotkeys as a coder would and kills
the process at random moments. The screen's status line shows how many codings the coder has
("✎ N codings"); it is updated only after the coding is committed, so the largest N seen on screen
is what was acknowledged. After each kill the database must pass SQLite's integrity check, hold at least
that many codings, and have exactly one journal entry per coding (nothing half-written).
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import REPO_ROOT
from tests.tui_support import make_project

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

TEXT = "".join(
    f"{'访谈者' if i % 2 == 0 else '受访者A'}：第{i}轮。我们的公众号更新太慢了！留言回复不及时？经费也不够。\n" for i in range(60)
)
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[=>]")
DOWN = "\x1b[B"


class Terminal:
    """A child process on a pseudo-terminal, with everything it prints collected in the background."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (110, 32)) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO_ROOT,
                                        start_new_session=True)
        os.close(slave)
        self.output = bytearray()
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.output += chunk

    def text(self) -> str:
        with self.lock:
            return ANSI.sub(b"", bytes(self.output)).decode("utf-8", errors="replace")

    def wait_for(self, pattern: str, timeout: float = 120) -> None:
        self.wait_until(lambda: re.search(pattern, self.text()) is not None, f"the screen to show {pattern!r}", timeout)

    def wait_until(self, condition, what: str, timeout: float = 120) -> None:
        """Poll `condition` until it holds; the deadline is only there to fail instead of hanging."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"qcode exited early ({self.process.returncode}):\n{self.text()[-2000:]}")
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; screen so far:\n{self.text()[-2000:]}")

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.reader.join(timeout=5)
        os.close(self.master)

    def acknowledged(self) -> int:
        counts = [int(n) for n in re.findall(r"✎ (\d+) codings?\b", self.text())]
        return max(counts, default=0)


def check_database(db_path, at_least: int) -> int:
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        codings = {g for (g,) in conn.execute(
            "SELECT c.guid FROM codings c JOIN coders k ON k.id = c.coder_id WHERE k.name = 'ann'")}
        journalled = [k for (k,) in conn.execute(
            "SELECT entity_key FROM journal WHERE entity = 'codings' AND action = 'coding.add' AND kind = 'do'")]
        assert len(journalled) == len(set(journalled))  # one journal entry per coding, never two
        assert set(journalled) == codings  # no coding without its journal entry, no entry without its coding
        for start, end, length in conn.execute(
                'SELECT c.start, c."end", t.characters FROM codings c JOIN transcripts t ON t.id = c.transcript_id'):
            assert 0 <= start < end <= length
    finally:
        conn.close()
    assert len(codings) >= at_least, f"{at_least} codings were acknowledged on screen, {len(codings)} are stored"
    return len(codings)


def test_sigkill_at_random_moments_loses_no_acknowledged_coding(tmp_path):
    root = make_project(tmp_path / "proj", text=TEXT)
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "110", "LINES": "32",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("QCODE_PROJECT", None)
    command = [sys.executable, "-m", "qcode", "code", "t1", "-p", str(root), "--coder", "ann"]
    rng = random.Random(20241121)
    stored = 0
    # Each round's first coding uses a code no other keystroke uses, so it is new wherever it lands.
    first_hotkeys, step_hotkey = ["o3", "s2", "s4"], "s4"
    typed = 0  # sentences stepped over so far
    for first_hotkey in first_hotkeys:
        terminal = Terminal(command, env)
        try:
            terminal.wait_for(r"✎ \d+ codings?\b")
            before = terminal.acknowledged()
            # Code one sentence and wait until the screen acknowledges it; then keep typing and kill at a
            # random point of the keys still in flight.
            terminal.type(DOWN * typed + DOWN + first_hotkey)
            typed += 1
            terminal.wait_until(lambda: terminal.acknowledged() > before, "a coding to be acknowledged")  # noqa: B023
            steps = rng.randint(0, 12)
            terminal.type((DOWN + step_hotkey) * steps)
            typed += steps
        finally:
            terminal.kill()
        acknowledged = terminal.acknowledged()
        assert acknowledged > before, terminal.text()[-1500:]
        stored = check_database(root / "qcode.db", acknowledged)
    assert stored >= len(first_hotkeys)
