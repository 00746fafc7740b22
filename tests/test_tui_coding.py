"""The coding screen driven through Pilot: every action, asserted in the database."""

from __future__ import annotations

import pytest

from qcode.project.coding import CodingSession
from qcode.project.project import Project
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.transcripts import TranscriptsScreen
from qcode.tui.widgets.transcript_view import TranscriptView
from tests.tui_support import TEXT, codings, make_app, make_project

def sentence(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


@pytest.fixture
def root(tmp_path):
    return make_project(tmp_path / "proj")


async def _until(pilot, condition, timeout: float = 60.0) -> None:
    """Let the app (and its workers) run until `condition()` holds; the timeout only stops a hang."""
    waited = 0.0
    while not condition():
        await pilot.pause(0.05)
        waited += 0.05
        assert waited < timeout, "timed out waiting for the app"


def _highlighted_command(app) -> str:
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found or found.first().highlighted is None:
        return ""
    option = found.first().get_option_at_index(found.first().highlighted)
    return str(option.prompt)


async def _screen(pilot) -> CodingScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CodingScreen)
    return screen


def test_hotkey_applies_the_code_to_the_sentence_and_stores_it(root, run_pilot):
    async def scenario(pilot):
        screen = await _screen(pilot)
        await pilot.press("down")  # second sentence: 就我一个人👍管。
        span = screen.view.target_span()
        assert (span.start, span.end) == sentence("就我一个人👍管。")
        await pilot.press("s", "4")
        await pilot.pause()
        assert "✎ 1 coding ·" in str(screen.query_one("#coding-status").render())
    run_pilot(make_app(root), scenario, size=(120, 40))
    assert codings(root) == [("ann", "S.INTERACTION", *sentence("就我一个人👍管。"), "")]


def test_unknown_hotkey_applies_nothing(root, run_pilot):
    async def scenario(pilot):
        await _screen(pilot)
        await pilot.press("s", "9", "x")
        await pilot.pause()
    run_pilot(make_app(root), scenario, size=(120, 40))
    assert codings(root) == []


def test_picker_matches_pinyin_initials(root, run_pilot):
    async def scenario(pilot):
        await _screen(pilot)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        await pilot.press("h", "d", "enter")
        await pilot.pause()
    run_pilot(make_app(root), scenario, size=(120, 40))
    assert codings(root) == [("ann", "S.INTERACTION", *sentence("𠮷野家的留言\t也是我回。"), "")]


def test_codebook_pane_applies_the_highlighted_code(root, run_pilot):
    async def scenario(pilot):
        screen = await _screen(pilot)
        await pilot.press("tab")
        assert screen.tree.has_focus
        screen.tree.move_to("O.STAFF")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.view.has_focus
    run_pilot(make_app(root), scenario, size=(120, 40))
    assert codings(root) == [("ann", "O.STAFF", *sentence("公众号平时谁在管？"), "")]


def test_extended_and_dragged_selections_are_coded_exactly(root, run_pilot):
    async def scenario(pilot):
        screen = await _screen(pilot)
        await pilot.press("down", "shift+down", "shift+left")  # two sentences minus the last character
        await pilot.press("o", "3")
        await pilot.pause()
        view = screen.view
        start, end = sentence("𠮷野家")
        view.select(type(view.selection)(start, end))
        await pilot.press("s", "2")
        await pilot.pause()
    run_pilot(make_app(root), scenario, size=(120, 40))
    first = TEXT.index("就我")
    second_end = TEXT.index("也是我回。") + len("也是我回。")
    assert codings(root) == sorted([
        ("ann", "O.STAFF", first, second_end - 1, ""),
        ("ann", "S.INFO", *sentence("𠮷野家"), ""),
    ])


def test_remove_undo_redo_through_keys(root, run_pilot):
    async def scenario(pilot):
        screen = await _screen(pilot)
        await pilot.press("s", "4", "o", "3")  # two codes on the first sentence
        await pilot.press("delete")  # two candidates: a choice dialog
        await pilot.pause()
        await pilot.press("enter")  # the first option (innermost/first listed)
        await pilot.pause()
        assert len(codings(root)) == 1
        await pilot.press("ctrl+z")  # undo the removal
        await pilot.pause()
        assert len(codings(root)) == 2
        await pilot.press("ctrl+z", "ctrl+z")
        await pilot.pause()
        assert codings(root) == []
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert [c[1] for c in codings(root)] == ["S.INTERACTION"]
        assert len(screen.view.highlights) == 1
    run_pilot(make_app(root), scenario, size=(120, 40))


def test_memos_on_a_coding_the_transcript_and_a_code(root, run_pilot):
    async def scenario(pilot):
        app = pilot.app
        await _screen(pilot)
        await pilot.press("s", "4", "ctrl+e")
        await pilot.pause()
        await pilot.press(*"slow", "ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press(*"first", "ctrl+s")
        await pilot.pause()
        await pilot.press("tab")
        app.screen.tree.move_to("O.STAFF")
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press(*"vague", "ctrl+s")
        await pilot.pause()
    run_pilot(make_app(root), scenario, size=(120, 40))
    assert codings(root)[0][4] == "slow"
    with Project.open(root) as project:
        memos = {(m.target_kind, m.text) for m in project.store.memos.all()}
    assert memos == {("transcript", "first"), ("code", "vague")}


def test_complete_toggle_and_others_are_hidden_until_asked(root, run_pilot):
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        CodingSession(project.store, "bob").apply(info, "O.STAFF", *sentence("明白了。"))

    async def scenario(pilot):
        screen = await _screen(pilot)
        assert screen.view.highlights == []  # blind: bob's coding is not shown
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("enter")  # not complete yet: the confirmation's default keeps it blind
        await pilot.pause()
        assert screen.view.highlights == []
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("down", "enter")  # show them (recorded)
        await pilot.pause()
        [shown] = screen.view.highlights
        assert shown.muted and shown.owner == "bob"
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press(";")  # next uncoded turn still works with others shown
    run_pilot(make_app(root), scenario, size=(120, 40))
    with Project.open(root) as project:
        assert project.store.review.status("ann", project.store.transcripts.by_name("t1").id) == "complete"


def test_transcripts_screen_opens_a_transcript_and_marks_completion(root, run_pilot):
    async def scenario(pilot):
        app = pilot.app
        await pilot.pause()
        assert isinstance(app.screen, TranscriptsScreen)
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert isinstance(app.focused, TranscriptView)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptsScreen)
    run_pilot(make_app(root, transcript=None), scenario, size=(100, 30))
    with Project.open(root) as project:
        assert project.store.review.status("ann", 1) == "complete"


def test_the_coder_is_asked_once_and_remembered(root, tmp_path, run_pilot):
    from qcode.userconfig import UserConfig, load_user_config

    config_path = tmp_path / "config.toml"

    async def scenario(pilot):
        await pilot.pause()
        await pilot.press(*"王芳", "enter")
        await pilot.pause()
        await pilot.press("s", "4")
        await pilot.pause()
    run_pilot(make_app(root, coder=None, user_config=UserConfig(path=config_path)), scenario, size=(100, 30))
    assert load_user_config(config_path).coder == "王芳"
    assert [c[0] for c in codings(root)] == ["王芳"]


def test_keys_can_be_remapped_by_binding_id(root, tmp_path, run_pilot):
    from qcode.userconfig import UserConfig

    async def scenario(pilot):
        await _screen(pilot)
        await pilot.press("s", "4")
        await pilot.press("f9")
        await pilot.pause()
    run_pilot(make_app(root, user_config=UserConfig(keymap={"coding.undo": "f9"}, path=tmp_path / "c.toml")), scenario, size=(100, 30))
    assert codings(root) == []


def test_help_lists_every_binding_and_the_code_hotkeys(root, run_pilot):
    from qcode.tui import bindings
    from qcode.tui.screens.help import HelpScreen

    async def scenario(pilot):
        app = pilot.app
        await _screen(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        for binding_id in bindings.binding_ids():
            assert binding_id in text
        assert "s4" in text and "Interaction" in text  # code names in the interface language
    run_pilot(make_app(root), scenario, size=(120, 40))


def test_codebook_browser_shows_definitions(root, run_pilot):
    async def scenario(pilot):
        app = pilot.app
        await _screen(pilot)
        await pilot.press("f2")
        await pilot.pause()
        text = str(app.screen.query_one("#code-text").render())
        assert "问题" in text and "Problems" in text
        await pilot.press("down")
        await pilot.pause()
        assert "互动与用户参与" in str(app.screen.query_one("#code-text").render())
    run_pilot(make_app(root), scenario, size=(120, 40))


def test_the_command_palette_applies_codes_and_opens_transcripts(root, run_pilot):
    async def scenario(pilot):
        app = pilot.app
        await _screen(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Apply code s2")
        await _until(pilot, lambda: _highlighted_command(app).startswith("Apply code s2"))
        await pilot.press("enter")
        await pilot.pause()
    run_pilot(make_app(root), scenario, size=(120, 40))
    assert codings(root) == [("ann", "S.INFO", *sentence("公众号平时谁在管？"), "")]


def test_the_turn_time_shows_beside_the_selection(tmp_path, run_pilot):
    # an ASR export: turn times come from the `Name   01:19` lines and show in the info pane
    root = make_project(tmp_path / "asr", text="潘倩祺   00:02\n您好，我们开始吧。\n李主任   01:19\n可以。你们问吧。\n"
                                              "潘倩祺   01:30\n好的。\n")

    async def scenario(pilot):
        screen = await _screen(pilot)
        first = str(screen.query_one("#coding-where").render())
        await pilot.press("down")
        await pilot.pause()
        return first, str(screen.query_one("#coding-where").render())
    first, second = run_pilot(make_app(root), scenario, size=(120, 40))
    assert "潘倩祺 [00:02]" in first
    assert "李主任 [01:19]" in second


def test_turn_times_show_in_the_margin_of_each_timed_turn(tmp_path, run_pilot):
    # issue 13 point 5: the time of each turn stands in the margin of its first row
    root = make_project(tmp_path / "asr", text="潘倩祺   00:02\n您好，我们开始吧。\n李主任   01:19\n可以。你们问吧。\n"
                                              "潘倩祺   101:30\n好的。\n")

    async def scenario(pilot):
        screen = await _screen(pilot)
        view = screen.view
        return [view.render_line(y).text for y in range(view._layout.row_count)]
    rows = run_pilot(make_app(root), scenario, size=(120, 40))
    timed = {row[:6].strip(): row[6:] for row in rows if row[:6].strip()}
    assert set(timed) == {"00:02", "01:19", "1h41"}
    assert "李主任" in timed["01:19"] and "潘倩祺" in timed["00:02"]  # on the first row of its own turn


def test_gutter_times_fit_five_cells():
    from qcode.tui.widgets.transcript_view import gutter_time

    assert [gutter_time(s) for s in (0, 79, 5999, 6000, 36000)] == ["00:00", "01:19", "99:59", "1h40", "10h00"]


def test_the_here_pane_lists_the_codings_at_the_caret_with_names_and_memos_as_written(tmp_path, run_pilot):
    # Markup-like text in a memo is shown as written, the code's mark in the code's colour, the memo in italics.
    root = make_project(tmp_path / "here")
    first = "访谈者：公众号平时谁在管？"
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        session = CodingSession(project.store, "ann")
        session.apply(info, "S.INFO", 0, len(first), memo="[red]注意[/red] 这是 [b]原话[/b]\n第二行不显示")
        session.apply(info, "O.STAFF", 4, len(first))

    def lines(screen):
        pane = screen.query_one("#coding-info")
        rows = pane.render_lines(pane.region.reset_offset)
        return [strip.text.rstrip() for strip in rows if strip.text.strip()], rows

    async def scenario(pilot):
        return lines(await _screen(pilot))  # the first sentence is selected on opening

    shown, rows = run_pilot(make_app(root), scenario, size=(120, 40))
    assert shown == ["■ Information quality 0–13", "  [red]注意[/red] 这是 [b]原话[/b]", "■ Staffing 4–13"]
    mark = next(segment for segment in rows[0] if segment.text.startswith("■"))
    assert mark.style.color.triplet.hex == "#1e88e5"
    memo = next(segment for segment in rows[1] if "注意" in segment.text)
    assert memo.style.italic
