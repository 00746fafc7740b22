"""Keys are handled in the order typed, and a change that meets another writer's lock waits, never drops."""

from __future__ import annotations

import sqlite3

from textual import events

from qcode.project.project import Project
from qcode.tui.screens.coding import CodingScreen
from tests.tui_support import make_app, make_project

SENTENCES = 260
LONG_TEXT = "".join(f"受访者A：第{i}句话说得很清楚。\n" for i in range(SENTENCES))


def _sentence(i: int) -> tuple[int, int]:
    start = LONG_TEXT.index(f"第{i}句")
    return start, LONG_TEXT.index("\n", start)


def _type_without_pause(app, keys: list[str]) -> None:
    """Put every key in the app's input queue at once, as a fast typist (or a paste of keys) would."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


async def _settle(pilot, done) -> None:
    """Let the app work through its queues until `done()` holds (or it has nothing left to do)."""
    for _ in range(400):
        await pilot.pause()
        if done():
            return


def _stored(root) -> list[tuple[str, str, int, int]]:
    with Project.open(root) as project:
        return sorted((c.coder, c.code, c.start, c.end) for c in project.store.codings.all())


def _errors(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def test_500_alternating_hotkeys_and_downs_code_exactly_the_expected_sentences(tmp_path, run_pilot):
    root = make_project(tmp_path / "p", LONG_TEXT)
    presses = 500
    keys: list[str] = []
    for _ in range(presses // 2):
        keys += ["s", "4", "down"]  # the hotkey s4, then the next sentence

    async def scenario(pilot):
        app = pilot.app
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        assert (screen.view.target_span().start, screen.view.target_span().end) == _sentence(0)
        _type_without_pause(app, keys)
        await _settle(pilot, lambda: len(screen.codings) >= presses // 2 and not app.pending_writes)
        assert _errors(app) == []
        shown = sorted((c.start, c.end) for c in screen.codings.values())
        assert shown == [_sentence(i) for i in range(presses // 2)]

    run_pilot(make_app(root), scenario, size=(120, 40))
    assert _stored(root) == sorted(("ann", "S.INTERACTION", *_sentence(i)) for i in range(presses // 2))


def test_a_hotkey_that_meets_another_writers_lock_waits_and_is_stored(tmp_path, run_pilot):
    root = make_project(tmp_path / "p", LONG_TEXT)

    async def scenario(pilot):
        app = pilot.app
        await pilot.pause()
        screen = app.screen
        blocker = sqlite3.connect(root / "qcode.db", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another qcode command is writing
        try:
            await pilot.press("s", "4", "down", "o", "3", "down", "s", "2")
            await pilot.pause()
            assert app.pending_writes == 3
            status = str(screen.query_one("#coding-status").render())
            assert "⏳ 3 changes waiting for the database" in status
            assert screen.codings == {}  # shown only once stored
            assert _errors(app) == []
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await _settle(pilot, lambda: not app.pending_writes and len(screen.codings) == 3)
        assert "waiting" not in str(screen.query_one("#coding-status").render())
        assert "✎ 3 codings" in str(screen.query_one("#coding-status").render())
        assert _errors(app) == []

    run_pilot(make_app(root), scenario, size=(120, 40))
    assert _stored(root) == sorted([("ann", "S.INTERACTION", *_sentence(0)), ("ann", "O.STAFF", *_sentence(1)),
                                    ("ann", "S.INFO", *_sentence(2))])


def test_quitting_waits_until_the_waiting_changes_are_stored(tmp_path, run_pilot):
    root = make_project(tmp_path / "p", LONG_TEXT)

    async def scenario(pilot):
        app = pilot.app
        await pilot.pause()
        blocker = sqlite3.connect(root / "qcode.db", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("s", "4")
            await pilot.press("ctrl+q")
            assert app.is_running and app._quit_when_stored
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await _settle(pilot, lambda: not app.is_running)

    run_pilot(make_app(root), scenario, size=(120, 40))
    assert _stored(root) == [("ann", "S.INTERACTION", *_sentence(0))]
