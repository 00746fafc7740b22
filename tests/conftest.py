"""Shared fixtures: fresh projects in temporary folders, and a way to run the real CLI in-process."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from qcode.cli.common import run_cli
from qcode.cli.main import cli
from qcode.i18n import set_language
from qcode.project.project import Project
from qcode.storage.codes import CodeRow

REPO_ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    # Test modules both import this support module and load it as a plugin (for its fixtures). Registered
    # before either, its asserts are rewritten like a test's (else pytest warns it cannot rewrite them).
    pytest.register_assert_rewrite("tests.reports_support")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto`: one worker more than the cores this process may use. Many tests wait on real child
    processes (the CLI, the word-index child) or on the TUI's timers; the extra worker keeps the cores busy
    meanwhile (on 2 cores the suite took 181 s with 2 workers and 149 s with 3).
    PYTEST_XDIST_AUTO_NUM_WORKERS still wins, as in pytest-xdist."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS") or config.option.numprocesses != "auto":
        return None  # pytest-xdist's own answer
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores + 1


@pytest.fixture(scope="session")
def _shared_cache(tmp_path_factory) -> Path:
    """One cache folder per test process, never the user's. It holds jieba's dictionary cache (and the query
    dictionary, named by content), which this process sets up once for all its tests anyway; shared, the
    child processes the tests start (the TUI's word-index child, real CLI runs) load it instead of each
    rebuilding it (about 1 s of CPU each). Tests of the cache itself give their own folder."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch, _shared_cache):
    """Keep tests away from the user's config, caches and any project named in the environment."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.delenv("QCODE_PROJECT", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_shared_cache))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("QCODE_BUSY_TIMEOUT", "0.2")
    # The interface language comes from the locale: tests run in English unless they choose otherwise.
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    set_language("en")


@pytest.fixture
def project(tmp_path: Path):
    proj = Project.init(tmp_path / "proj")
    yield proj
    proj.close()


def code_row(code_id: str, position: int, *, parent: str | None = None, codable: bool = True, name: str | None = None) -> CodeRow:
    return CodeRow(code_id, parent, position, 0 if parent is None else 1, name or code_id, None, None, None, None,
                   int(codable), "[]", "{}")


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys):
    """Run `qcode ARGS...` in this process; returns exit code, stdout and stderr."""

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        code = run_cli(cli, [str(a) for a in args])
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return invoke


def dump(db_path: Path) -> list[str]:
    """Everything in the database, to prove a failed command changed nothing."""
    conn = sqlite3.connect(db_path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def run_pilot():
    """The one way TUI tests drive an app: `run_pilot(app, scenario, size=(120, 40))` runs the app headless
    (`App.run_test`) in a fresh event loop, awaits `scenario(pilot)` and returns what it returns."""

    def run(app, scenario, **run_test_options):
        async def main():
            async with app.run_test(**run_test_options) as pilot:
                return await scenario(pilot)

        return asyncio.run(main())

    return run
