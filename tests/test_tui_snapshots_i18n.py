"""The main screens in both interface languages at 80x24 and 120x40 (pytest-textual-snapshot), and the
cell arithmetic that keeps Chinese text from being cut off or pushing columns out of line.

Update with `pytest --snapshot-update tests/test_tui_snapshots_i18n.py` after a deliberate change, and
look at the pictures (snapshot_report.html) before committing them.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from qcode.i18n import _, set_language
from qcode.project.coding import CodingSession
from qcode.project.project import Project
from qcode.reports.statistics import CodeCoderCounts, CodeLabel
from qcode.tui import bindings
from qcode.tui.screens.statistics import bar_text
from tests.tui_support import TEXT, make_app, make_project

SIZES = [(80, 24), (120, 40)]
LANGS = ["zh", "en"]


@pytest.fixture
def root(tmp_path):
    root = make_project(tmp_path / "proj")
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        ann = CodingSession(project.store, "ann")
        ann.apply(info, "S.INTERACTION", TEXT.index("就我"), TEXT.index("老问题！") + 4)
        ann.apply(info, "S.INFO", TEXT.index("“回复"), TEXT.index("老问题！") + 4)
        CodingSession(project.store, "王芳").apply(info, "S.INFO", TEXT.index("公众号"), TEXT.index("谁在管"))
        ann.set_complete(info)
    return root


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_transcripts_screen(snap_compare, root, lang, size):
    set_language(lang)
    assert snap_compare(make_app(root, transcript=None), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_coding_screen(snap_compare, root, lang, size):
    set_language(lang)
    assert snap_compare(make_app(root), terminal_size=size, press=["down"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_help_screen(snap_compare, root, lang, size):
    set_language(lang)
    assert snap_compare(make_app(root), terminal_size=size, press=["question_mark"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_coder_name_dialog(snap_compare, root, lang, size):
    set_language(lang)
    assert snap_compare(make_app(root, coder=None), terminal_size=size)


def test_bars_line_up_under_chinese_coder_names():
    counts = CodeCoderCounts(
        unit="turn",
        rows=(CodeLabel("A", "政策执行", 0, "code", "#ff0000"), CodeLabel("B", "Trust", 1, "code", "#00ff00")),
        coders=("甲", "王芳芳芳芳芳", "ann"),
        codings=((1, 2, 3), (4, 5, 6)),
        units=((3, 10, 7), (0, 1, 2)),
        pooled_units=(12, 3),
        units_total=20,
    )
    lines = [line for line in bar_text(counts).plain.splitlines() if line.startswith("   ")]
    assert len(lines) == 6
    starts = {cell_len(line[: line.index("█")]) for line in lines if "█" in line}
    assert starts == {3 + 10 + 1}  # indent, coder label cut or padded to ten cells, a space
    assert any("王芳芳芳" in line and "…" in line for line in lines)  # cut at a character boundary, not mid-glyph, and marked


@pytest.mark.parametrize("lang", LANGS)
def test_footer_descriptions_are_no_wider_in_chinese_than_in_english(lang):
    """What the footer shows at 80 columns must fit in Chinese as it does in English."""
    set_language(lang)
    shown = [b for section in bindings.registry() for b in section.bindings if b.show]
    for binding in shown:
        set_language("en")
        english = cell_len(_(binding.description))
        set_language(lang)
        assert cell_len(_(binding.description)) <= max(english, 10), binding.description


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_statistics_screen(snap_compare, root, lang, size):
    """Bars per coder under Chinese code names and a Chinese coder name (王芳) start in one column."""
    from qcode.tui.screens.statistics import StatisticsScreen
    from tests.test_tui_screens import until

    async def statistics_shown(pilot) -> None:
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(pilot.app.screen, StatisticsScreen) and pilot.app.screen.stats)
        await pilot.pause()

    set_language(lang)
    assert snap_compare(make_app(root), terminal_size=size, run_before=statistics_shown)


def marks(dialog) -> dict[str, str]:
    """The mark drawn in front of each language's radio button."""
    return {lang: str(dialog.query_one(f"#language-{lang}").render()).strip()[1]
            for lang in ("zh", "en")}


def test_choosing_chinese_in_the_first_start_dialog_switches_and_is_remembered(root):
    import asyncio

    from qcode.i18n import current_language
    from qcode.tui.dialogs.coder_name import CoderNameDialog
    from qcode.userconfig import UserConfig, load_user_config

    config_path = root / "settings" / "config.toml"

    async def scenario() -> None:
        app = make_app(root, coder=None, user_config=UserConfig(path=config_path))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, CoderNameDialog)
            assert "Who is coding?" in str(dialog.query_one("#coder-title").render())
            assert marks(dialog) == {"zh": "○", "en": "●"}  # told apart by shape, not only by colour
            await pilot.click("#language-zh")  # from English to 简体中文
            await pilot.pause()
            assert current_language() == "zh"
            assert marks(dialog) == {"zh": "●", "en": "○"}
            assert "谁在编码" in str(dialog.query_one("#coder-title").render())
            app.set_focus(dialog.query_one("#coder-name"))
            await pilot.press(*"王芳", "enter")
            await pilot.pause()
            assert "ann" not in app.sub_title and "王芳" in app.sub_title

    asyncio.run(scenario())
    config = load_user_config(config_path)
    assert (config.coder, config.language) == ("王芳", "zh")


# -- footers: every key shown is shown whole -------------------------------------------------------

SCREEN_KEYS = ["f1", "f2", "f3", "f4", "f5", "f6", "f7"]  # help, codebook, agreement, statistics, search, memos, saturation


def footer_keys(screen) -> list[tuple[str, str, int, int]]:
    """(key, description, first cell, cell after the last) of each key the screen's footer shows."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    footer = screen.query_one(Footer)
    return [(key.key_display, key.description, key.region.x, key.region.right) for key in footer.query(FooterKey)]


def footer_drawn(screen) -> bool:
    from textual.css.query import NoMatches

    try:
        keys = footer_keys(screen)
    except NoMatches:  # not composed yet
        return False
    return bool(keys) and all(end > start for _key, _description, start, end in keys)  # laid out


def assert_footer_whole(name: str, screen, width: int) -> list[tuple[str, str, int, int]]:
    keys = footer_keys(screen)
    assert keys, f"{name}: an empty footer"
    needed = sum(cell_len(f" {key} {description} ") for key, description, _start, _end in keys)
    assert needed <= width, f"{name}: the footer needs {needed} cells of {width}: {keys}"
    for (key, description, start, end), following in zip(keys, [*keys[1:], None]):
        assert end - start == cell_len(f" {key} {description} "), f"{name}: {key} {description} is cut"
        assert end <= width and (following is None or following[2] >= end), f"{name}: {key} {description} is cut off"
    assert any(description == _("Help") for _key, description, _s, _e in keys) or name == "HelpScreen", name
    return keys


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_no_footer_key_is_cut_off_on_any_screen(root, lang, size):
    """Every screen (and the coding screen with the codebook pane focused) shows whole keys only, in its
    language: the footer leaves out what does not fit (it is on the help screen) rather than cutting it."""
    import asyncio

    from qcode.tui.screens.retrieval import RetrievalScreen
    from tests.tui_support import until

    async def scenario() -> dict[str, list]:
        seen: dict[str, list] = {}
        app = make_app(root)
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda: footer_drawn(app.screen))  # however busy the machine
            seen["coding"] = assert_footer_whole("coding", app.screen, size[0])
            await pilot.press("tab")
            await until(pilot, lambda: footer_drawn(app.screen))  # however busy the machine
            seen["codebook pane"] = assert_footer_whole("codebook pane", app.screen, size[0])
            await pilot.press("tab")
            for key in SCREEN_KEYS:
                before = app.screen
                await pilot.press(key)
                await until(pilot, lambda before=before: app.screen is not before)
                await until(pilot, lambda: footer_drawn(app.screen))  # however busy the machine
                name = type(app.screen).__name__
                seen[name] = assert_footer_whole(name, app.screen, size[0])
                await pilot.press("escape")
                await until(pilot, lambda before=before: app.screen is before)
            app.push_screen(RetrievalScreen(app.workspace, "S.INFO"))
            await until(pilot, lambda: footer_drawn(app.screen))  # however busy the machine
            seen["retrieval"] = assert_footer_whole("retrieval", app.screen, size[0])
            await pilot.press("escape")
            await pilot.press("escape")
            await until(pilot, lambda: type(app.screen).__name__ == "TranscriptsScreen")
            await until(pilot, lambda: footer_drawn(app.screen))  # however busy the machine
            seen["transcripts"] = assert_footer_whole("transcripts", app.screen, size[0])
        return seen

    set_language(lang)
    seen = asyncio.run(scenario())
    assert len(seen) == 2 + len(SCREEN_KEYS) + 2
    if size[0] == 80:  # the task's own keys come first: on the coding screen, applying a code
        assert _("Apply code…") in [description for _key, description, _s, _e in seen["coding"]]


def test_the_footer_keeps_help_and_the_first_keys_that_fit():
    from textual.binding import Binding

    from qcode.tui.widgets.footer import ShownKey, fitting

    def key(action: str, description: str) -> ShownKey:
        return ShownKey(Binding("x", action, description), "x", description, True, "")

    keys = [key("a", "一二三四"), key("b", "Longer text"), key("c", "C"), key("help", "Help")]
    assert [k.cells for k in keys] == [12, 15, 5, 8]
    assert [k.description for k in fitting(keys, 25)] == ["一二三四", "C", "Help"]  # b does not fit, c does
    assert [k.description for k in fitting(keys, 40)] == ["一二三四", "Longer text", "C", "Help"]
    assert [k.description for k in fitting(keys, 8)] == ["Help"]
