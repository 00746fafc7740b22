"""One key, one screen update: moving through a transcript re-draws the rows and the side pane together.

Counts compositor refreshes of the coding screen (not time): the transcript view's rows and what the
screen shows about the selection (the "Here" pane) must reach the terminal in one update per key
(issue 11 point 6; benchmarks/tui_keys.py measures the CPU side).
"""

from __future__ import annotations

import pytest
from textual.screen import Screen

from qcode.project.coding import CodingSession
from qcode.project.project import Project
from qcode.tui.screens.coding import CodingScreen
from tests.tui_support import make_app, make_project

# Long enough that Page Down scrolls (40 turns of several rows each at 120 columns).
LONG_TEXT = "".join(
    f"{'访谈者' if turn % 2 == 0 else '受访者A'}：" + "公众号的信息更新太慢了。留言回复不及时，群众意见很大！" * 6 + "\n"
    for turn in range(40)
)


@pytest.fixture
def root(tmp_path):
    return make_project(tmp_path / "proj", LONG_TEXT)


@pytest.fixture
def updates(monkeypatch):
    """The number of compositor refreshes of the current screen so far (a one-element list)."""
    count = [0]
    refresh = Screen._compositor_refresh

    def counted(screen: Screen) -> None:
        if screen.is_current:
            count[0] += 1
        refresh(screen)

    monkeypatch.setattr(Screen, "_compositor_refresh", counted)
    return count


async def _settled(pilot) -> None:
    """Let start-up work (workers, the first frames) finish."""
    app = pilot.app
    def busy() -> bool:
        return (not isinstance(app.screen, CodingScreen) or any(not w.is_finished for w in app.workers)
                or not (app.word_index_ready or app.word_index_error))

    while busy():
        await pilot.pause(0.05)
    await pilot.pause()  # the screens have handled the word index's last news (it changes the footer's keys)
    await pilot.pause(0.2)


async def _updates_of(pilot, updates, key: str) -> int:
    before = updates[0]
    await pilot.press(key)
    while updates[0] == before:  # the key's update
        await pilot.pause(0.01)
    # Room for a second update to show up if the key caused one (the screen updates at most every 1/60 s).
    await pilot.pause(0.1)
    return updates[0] - before


@pytest.mark.parametrize("key", ["down", "up", "pagedown", "ctrl+down", "shift+down"])
def test_a_movement_key_updates_the_screen_once(root, run_pilot, updates, key) -> None:
    app = make_app(root)

    async def scenario(pilot) -> None:
        await _settled(pilot)
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        await pilot.press("pagedown")  # somewhere in the middle, so that "up" moves too
        await pilot.pause(0.1)
        for _ in range(3):
            info_before = str(screen.query_one("#coding-where").render())
            selection_before = screen.view.selection
            assert await _updates_of(pilot, updates, key) == 1
            # Both the selection and the side pane's position line changed, in that one update.
            assert screen.view.selection != selection_before
            assert str(screen.query_one("#coding-where").render()) != info_before

    run_pilot(app, scenario, size=(120, 40))


@pytest.fixture
def coded_root(tmp_path):
    """LONG_TEXT with ann's codings: every 留言… sentence has two, every 公众号… sentence one, so each Down
    changes how many lines the codings list has."""
    root = make_project(tmp_path / "coded", LONG_TEXT)
    coded = {"留言回复不及时，群众意见很大！": ("S.INFO", "S.INTERACTION"), "公众号的信息更新太慢了。": ("S.INFO",)}
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        session = CodingSession(project.store, "ann")
        for sentence, codes in coded.items():
            start = LONG_TEXT.find(sentence)
            while start >= 0:
                for code in codes:
                    session.apply(info, code, start, start + len(sentence))
                start = LONG_TEXT.find(sentence, start + 1)
    return root


def test_moving_into_and_out_of_codings_updates_the_screen_once(coded_root, run_pilot, updates) -> None:
    app = make_app(coded_root)

    async def scenario(pilot) -> list[str]:
        await _settled(pilot)
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        shown = []
        for _ in range(4):
            assert await _updates_of(pilot, updates, "down") == 1
            shown.append(str(screen.query_one("#coding-info").render()))
        return shown

    shown = run_pilot(app, scenario, size=(120, 40))
    # The codings list itself changed between keys (and each change still took one update).
    assert {len(text.strip().splitlines()) for text in shown} == {1, 2}
    assert all("Information quality" in text for text in shown)
