"""The smaller UI defects of issue 10, each driven through Pilot."""

from __future__ import annotations

import asyncio

from rich.cells import cell_len

from qcode.project.coding import CodingSession
from qcode.project.project import Project
from qcode.reports.statistics import code_coder_counts
from qcode.tui.screens.codebook import CodebookScreen
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.search import SearchScreen
from qcode.tui.screens.statistics import bar_text
from qcode.tui.screens.transcripts import TranscriptsScreen
from qcode.tui.wording import counted
from tests.tui_support import make_app, make_project

SENTENCES = 200
LONG_TEXT = "".join(f"受访者A：第{i}句话{'提到公众号' if i == 180 else '说得很清楚'}。\n" for i in range(SENTENCES))


def _sentence(i: int) -> tuple[int, int]:
    start = LONG_TEXT.index(f"第{i}句")
    return start, LONG_TEXT.index("\n", start)


async def until(pilot, condition, rounds: int = 600) -> None:
    """Let the app run (workers included) until `condition()` holds."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never reached the expected state")


def _visible(view, offset: int) -> bool:
    row = view._layout.row_of(offset)
    return int(view.scroll_y) <= row < int(view.scroll_y) + view.scrollable_content_region.height


def _status(screen) -> str:
    return str(screen.query_one("#coding-status").render())


def _notes(app) -> list[str]:
    return [n.message for n in app._notifications]


def test_enter_on_a_search_hit_scrolls_to_it(tmp_path):
    root = make_project(tmp_path / "p", LONG_TEXT)

    async def scenario():
        app = make_app(root, transcript=None)
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: app.word_index_ready or app.word_index_error)
            await pilot.press("f5")
            screen = app.screen
            assert isinstance(screen, SearchScreen)
            await pilot.press(*"公众号", "enter")
            await until(pilot, lambda: screen.hits)
            assert screen.query_one("#search-status").render().plain.startswith("1 hit for 公众号")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, CodingScreen) and app.screen.view._layout is not None
                        and app.screen.view.scroll_y > 0)
            view = app.screen.view
            assert (view.selection.start, view.selection.end) == _sentence(180)
            assert _visible(view, _sentence(180)[0])

    asyncio.run(scenario())


def test_the_hotkey_indicator_is_cleared_after_already_applied(tmp_path):
    root = make_project(tmp_path / "p", LONG_TEXT)

    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            await pilot.press("o", "3")
            await pilot.press("o")
            assert "code: o…" in _status(screen)
            await pilot.press("3")
            await pilot.pause()
            assert "Staffing [O.STAFF] is already applied here" in _notes(app)  # the name in the interface language
            assert "code:" not in _status(screen)

    asyncio.run(scenario())


def test_the_codebook_browser_footer_shows_only_keys_that_work_there(tmp_path):
    root = make_project(tmp_path / "p", LONG_TEXT)

    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            assert isinstance(app.screen, CodebookScreen)
            shown = {b.binding.description for b in app.screen.active_bindings.values() if b.binding.show}
            assert {"Apply", "Back to text", "Codebook"}.isdisjoint(shown)  # nothing applies, no text, we are here
            assert {"Passages", "Code memo", "Back", "Help", "Agreement", "Statistics", "Search", "Quit"} <= shown
            await pilot.press("escape")  # Back, not "Back to text"
            await pilot.pause()
            assert isinstance(app.screen, CodingScreen)

    asyncio.run(scenario())


def test_statistics_bars_start_in_the_same_cell_under_chinese_names(tmp_path):
    root = make_project(tmp_path / "p", LONG_TEXT)
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        for coder in ("王老师", "ann", "一二三四五六七八九十"):
            CodingSession(project.store, coder).apply(info, "O.STAFF", *_sentence(1))
        counts = code_coder_counts(project.store, unit="sentence")
    rows = [line for line in bar_text(counts).plain.splitlines() if "█" in line]
    assert len(rows) == 3
    assert len({cell_len(line[:line.index("█")]) for line in rows}) == 1  # one column, whatever the script


def test_a_screen_further_back_shows_the_count_of_now(tmp_path):
    root = make_project(tmp_path / "p", LONG_TEXT)

    async def scenario():
        app = make_app(root, transcript=None)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, TranscriptsScreen)
            await pilot.press("enter")
            await pilot.pause()
            first = app.screen
            assert isinstance(first, CodingScreen)
            # A second view of the same transcript on top (as Enter on a search hit opens one)
            app.push_screen(CodingScreen(app.workspace, app.workspace.open("t1")))
            await pilot.pause()
            await pilot.press("o", "3", "down", "s", "4")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is first
            assert "✎ 2 codings" in _status(first)
            assert first.tree.counts == {"O.STAFF": 1, "S.INTERACTION": 1}

    asyncio.run(scenario())


def test_counted_nouns_are_singular_for_one():
    assert counted(1, "coding") == "1 coding" and counted(2, "coding") == "2 codings"
    assert counted(0, "hit") == "0 hits" and counted(1, "hit") == "1 hit"
    assert counted(12345, "character", thousands=True) == "12,345 characters"


def test_delete_says_what_it_removed_and_undo_brings_it_back(tmp_path):
    root = make_project(tmp_path / "p", LONG_TEXT)

    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            await pilot.press("o", "3")
            await pilot.press("delete")
            await pilot.pause()
            start, end = _sentence(0)
            assert f"Removed Staffing (O.STAFF) at {start}–{end}; Ctrl+Z brings it back" in _notes(app)  # English names by default
            assert screen.codings == {}
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert [(c.start, c.end) for c in screen.codings.values()] == [(start, end)]

    asyncio.run(scenario())


def test_a_transcript_reopens_where_the_coder_stopped(tmp_path):
    root = make_project(tmp_path / "p", LONG_TEXT)

    async def leave_at_sentence_150():
        app = make_app(root)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            for _ in range(150):
                await pilot.press("down")
            assert (app.screen.view.selection.start, app.screen.view.selection.end) == _sentence(150)
            await pilot.press("ctrl+q")

    async def reopen():
        app = make_app(root)
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: app.screen.view._layout is not None and app.screen.view.scroll_y > 0)
            view = app.screen.view
            assert (view.selection.start, view.selection.end) == _sentence(150)
            assert _visible(view, _sentence(150)[0])
        other = make_app(root, coder="bob")  # another coder's position is their own
        async with other.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            assert (other.screen.view.selection.start, other.screen.view.selection.end) == _sentence(0)

    asyncio.run(leave_at_sentence_150())
    asyncio.run(reopen())


def test_undo_and_redo_scroll_to_what_they_changed(tmp_path):
    root = make_project(tmp_path / "p", LONG_TEXT)

    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            view = app.screen.view
            await pilot.press("o", "3")  # on sentence 0
            for _ in range(120):
                await pilot.press("down")
            assert not _visible(view, _sentence(0)[0])
            await pilot.press("ctrl+z")  # removes the coding at sentence 0: go there
            await pilot.pause()
            assert (view.selection.start, view.selection.end) == _sentence(0) and _visible(view, _sentence(0)[0])
            for _ in range(120):
                await pilot.press("down")
            await pilot.press("ctrl+y")  # applies it again: go there
            await pilot.pause()
            assert (view.selection.start, view.selection.end) == _sentence(0) and _visible(view, _sentence(0)[0])
            assert len(app.screen.codings) == 1

    asyncio.run(scenario())
