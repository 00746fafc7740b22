"""Background work reports through messages (progress, result, error), and every TUI write goes through
the write queue: a consensus recorded while another process writes waits and is stored once."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from qcode.errors import InputError
from qcode.project.coding import CodingSession
from qcode.project.project import Project
from qcode.workspace import Workspace
from qcode.tui.app import QcodeApp
from qcode.tui.screens.agreement import AgreementScreen
from qcode.tui.screens.search import SearchScreen
from qcode.tui.screens.statistics import StatisticsScreen
from tests.tui_support import TEXT, codings, make_app, make_project, until


def span(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


@pytest.fixture
def root(tmp_path):
    """ann and bob disagree on one sentence (S.INTERACTION against O.STAFF) and agree on another."""
    root = make_project(tmp_path / "proj")
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        ann, bob = CodingSession(project.store, "ann"), CodingSession(project.store, "bob")
        ann.apply(info, "S.INTERACTION", *span("就我一个人👍管。"))
        bob.apply(info, "O.STAFF", *span("就我一个人👍管。"))
        ann.apply(info, "S.INFO", *span("“回复不及时”是老问题！"))
        bob.apply(info, "S.INFO", *span("“回复不及时”是老问题！"))
        ann.set_complete(info)
        bob.set_complete(info)
    return root


def _notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _status(screen) -> str:
    return str(screen.query_one("#search-status").render())


def test_search_shows_index_progress_then_results_without_polling(root, run_pilot, monkeypatch):
    """The word index reports its progress as messages the app hands to the open screen; the screen
    sets no timer to ask."""
    go_on = threading.Event()
    real_warm = Workspace.warm_word_index

    def slow_warm(self, progress=None):
        progress(1, 2, "t1")
        go_on.wait(60)  # until the test has seen the progress (or gave up)
        return real_warm(self, progress)

    monkeypatch.setattr(Workspace, "warm_word_index", slow_warm)

    async def scenario(pilot):
        app = pilot.app
        await pilot.press("f5")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await until(pilot, lambda: "1/2 transcripts" in _status(screen))
        assert "Indexing words" in _status(screen)
        assert not app.word_index_ready
        home = app.screen_stack[0]  # the transcripts list: a screen that starts no timer of its own
        assert len(screen._timers) == len(home._timers)  # nothing polls
        go_on.set()
        await until(pilot, lambda: "Word index ready." in _status(screen))
        await pilot.press(*"留言", "enter")
        await until(pilot, lambda: screen.hits)
        assert _status(screen).startswith("1 hit for 留言")
        return app

    try:
        app = run_pilot(make_app(root, transcript=None), scenario, size=(130, 40))
    finally:
        go_on.set()
    assert not any("could not" in note for note in _notes(app))


def test_a_failing_worker_shows_its_error_once(root, run_pilot, monkeypatch):
    def broken(self, progress=None):
        raise InputError("dictionary.txt, line 3: a term cannot contain spaces")

    monkeypatch.setattr(Workspace, "warm_word_index", broken)

    async def scenario(pilot):
        app = pilot.app
        await until(pilot, lambda: app.word_index_error)
        await pilot.press("f5")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert "could not be built: dictionary.txt, line 3" in _status(screen)
        await pilot.pause()
        return app

    app = run_pilot(make_app(root, transcript=None), scenario, size=(130, 40))
    assert [n for n in _notes(app) if "dictionary.txt" in n] == ["dictionary.txt, line 3: a term cannot contain spaces"]


def test_a_screen_that_shows_its_workers_error_itself_is_not_notified_too(root, run_pilot, monkeypatch):
    def broken(self, grouping, *, unit):
        raise InputError("attribute table damaged")

    monkeypatch.setattr(Workspace, "code_counts", broken)

    async def scenario(pilot):
        app = pilot.app
        await pilot.press("f4")
        screen = app.screen
        assert isinstance(screen, StatisticsScreen)
        await until(pilot, lambda: screen.stats is not None)
        assert "No statistics: attribute table damaged" in str(screen.query_one("#stats-summary").render())
        await pilot.pause()
        return app

    app = run_pilot(make_app(root, transcript=None), scenario, size=(130, 40))
    assert not any("attribute table damaged" in note for note in _notes(app))


def _consensus(root) -> list[tuple[str, str, int, int, str]]:
    return [c for c in codings(root) if c[0] == "consensus"]


def test_a_consensus_recorded_while_another_process_writes_waits_and_is_stored_once(root, run_pilot):
    async def scenario(pilot):
        app = pilot.app
        await pilot.press("f3")
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await until(pilot, lambda: screen.results is not None and screen.shown)
        [turn] = screen.shown  # ann: S.INTERACTION, S.INFO; bob: O.STAFF, S.INFO
        screen.query_one("#disagreements").focus()
        await pilot.press("c")  # the dialog offers the three, S.INFO (both) ticked as a proposal
        await pilot.pause()
        blocker = sqlite3.connect(root / "qcode.db", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # a long `qcode codings import` holds the write lock
        try:
            await pilot.press("space", "ctrl+s")  # tick S.INTERACTION too, record
            await until(pilot, lambda: app.pending_writes == 1)  # queued: released on this condition
            assert _consensus(root) == []
            assert not any("locked" in note.lower() for note in _notes(app))
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await until(pilot, lambda: app.pending_writes == 0 and _consensus(root))
        await until(pilot, lambda: screen.consensus == [{"S.INFO", "S.INTERACTION"}])  # shown once stored
        return app, turn

    app, turn = run_pilot(make_app(root, transcript=None), scenario, size=(130, 40))
    assert _consensus(root) == [("consensus", code, turn.start, turn.end, "") for code in ("S.INFO", "S.INTERACTION")]
    assert not any("locked" in note.lower() for note in _notes(app))


def test_the_word_index_waits_for_another_writer_and_is_built_after_it(root, run_pilot, monkeypatch):
    attempts = []
    real_warm = Workspace.warm_word_index

    def counted_warm(self, progress=None):
        attempts.append(1)
        return real_warm(self, progress)

    monkeypatch.setattr(Workspace, "warm_word_index", counted_warm)
    blocker = sqlite3.connect(root / "qcode.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # a long `qcode import` holds the write lock while the TUI starts

    async def scenario(pilot):
        app = pilot.app
        try:
            await until(pilot, lambda: len(attempts) >= 2)  # the first attempt met the lock and was retried
            assert not app.word_index_ready and app.word_index_error is None
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await until(pilot, lambda: app.word_index_ready)
        return app

    app = run_pilot(make_app(root, transcript=None), scenario, size=(130, 40))
    assert app.word_index_error is None
    assert not any("locked" in note for note in _notes(app))


def test_the_workbook_export_is_reported_after_leaving_the_statistics_screen(root, run_pilot, monkeypatch):
    leave_first = threading.Event()
    real_data = Workspace.report_data

    def slow_data(self):
        leave_first.wait(60)  # until the coder has left the screen (or the test gave up)
        return real_data(self)

    monkeypatch.setattr(Workspace, "report_data", slow_data)
    # Every notification shown, kept here: a toast leaves the screen after its timeout, which a busy machine
    # may reach before the test looks.
    notes: list[str] = []
    real_notify = QcodeApp.notify

    def kept(app, message, *args, **kwargs):
        notes.append(str(message))
        return real_notify(app, message, *args, **kwargs)

    monkeypatch.setattr(QcodeApp, "notify", kept)

    async def scenario(pilot):
        app = pilot.app
        await pilot.press("f4")
        screen = app.screen
        assert isinstance(screen, StatisticsScreen)
        await until(pilot, lambda: screen.stats is not None)
        await pilot.press("x", "escape")
        await until(pilot, lambda: app.screen is not screen)
        leave_first.set()
        await until(pilot, lambda: any(note.startswith("Wrote ") for note in notes))

    try:
        run_pilot(make_app(root, transcript=None), scenario, size=(130, 40))
    finally:
        leave_first.set()
    [path] = (root / "exports").glob("qcode-report-*.xlsx")
    assert [n for n in notes if n.startswith("Wrote ")] == [f"Wrote {path}"]


def test_attributes_set_while_another_process_writes_wait_and_are_stored(root, run_pilot):
    async def scenario(pilot):
        app = pilot.app
        await pilot.pause()
        blocker = sqlite3.connect(root / "qcode.db", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("ctrl+e")
            await pilot.pause()
            app.screen.query_one("Input").value = "age=34"
            await pilot.press("enter")
            await until(pilot, lambda: app.pending_writes == 1)
            assert not any("locked" in note.lower() for note in _notes(app))
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await until(pilot, lambda: app.pending_writes == 0)
        await until(pilot, lambda: any("1 attribute value stored" in note for note in _notes(app)))
        return app

    app = run_pilot(make_app(root, transcript=None), scenario, size=(130, 40))
    assert not any("locked" in note.lower() for note in _notes(app))
    with Project.open(root) as project:
        assert Workspace(project, "ann").transcript_attributes() == {"t1": {"age": "34"}}
