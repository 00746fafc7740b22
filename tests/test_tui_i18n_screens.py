"""The screens added late to the Chinese interface (issue 12 point 1) and Textual's own strings in them:
the saturation curve, the memos list, the passages of a code, and the command palette."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.command import CommandInput, CommandPalette
from textual.widgets import DataTable, Static

from qcode.i18n import set_language
from qcode.project.coding import CodingSession
from qcode.project.project import Project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.retrieval import RetrievalScreen
from tests.tui_support import TEXT, make_app, make_project, run_scenario, until


@pytest.fixture
def root(tmp_path):
    root = make_project(tmp_path / "p")
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        session = CodingSession(project.store, "ann")
        session.apply(info, "S.INFO", TEXT.index("公众号"), TEXT.index("谁在管"))
        session.set_memo("code", "S.INFO", "回复慢")
    return root


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def test_saturation_memos_and_passages_in_chinese(root):
    async def scenario() -> dict[str, str]:
        app = make_app(root)
        seen = {}
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("f7")
            await until(pilot, lambda: type(app.screen).__name__ == "SaturationScreen")
            await pilot.pause()
            seen["saturation"] = shown(app, "#saturation-title") + shown(app, "#saturation-chart")
            await pilot.press("escape", "f6")
            await until(pilot, lambda: type(app.screen).__name__ == "MemosScreen")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            seen["memos"] = shown(app, "#memos-filter") + " ".join(str(c.label) for c in table.columns.values())
            seen["memo kind"] = str(table.get_row_at(0)[0])
            await pilot.press("escape")
            app.push_screen(RetrievalScreen(app.workspace, "S.INFO"))
            await pilot.pause()
            seen["passages"] = shown(app, "#retrieval-title")
        return seen

    set_language("zh")
    seen = run_scenario(scenario())
    assert "饱和度" in seen["saturation"] and "新增 1 · 累计 1" in seen["saturation"]
    assert "尚未标记饱和度检验集" in seen["saturation"]
    assert "备忘录" in seen["memos"] and "编码员" in seen["memos"] and "类型 全部类型" in seen["memos"]
    assert seen["memo kind"] == "编码"
    assert "1 个片段，来自 1 份访谈" in seen["passages"] and "仅本编码" in seen["passages"]


def test_saturation_bars_line_up_under_chinese_transcript_names(tmp_path):
    from qcode.project.importing import import_transcripts

    root = make_project(tmp_path / "p")  # t1 (two cells) and 访谈二号 (eight cells)

    (root / "transcripts" / "访谈二号.txt").write_text(TEXT.replace("公众号", "小程序"), encoding="utf-8")
    with Project.open(root) as project:
        import_transcripts(project, [root / "transcripts" / "访谈二号.txt"])
        for name in ("t1", "访谈二号"):
            info = project.store.transcripts.by_name(name)
            CodingSession(project.store, "ann").apply(info, "S.INFO" if name == "t1" else "O.STAFF", 0, 4)

    async def scenario() -> str:
        app = make_app(root)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("f7")
            await until(pilot, lambda: type(app.screen).__name__ == "SaturationScreen")
            await pilot.pause()
            return str(app.screen.query_one("#saturation-chart", Static).render())

    lines = [line for line in run_scenario(scenario()).splitlines() if "█" in line]
    assert len(lines) == 2
    assert len({cell_len(line[:line.index("█")]) for line in lines}) == 1


@pytest.mark.parametrize(("lang", "prompt", "absent"), [("zh", "搜索命令…", "Keys"), ("en", "Search for commands…", "Keys")])
def test_the_command_palette_speaks_the_interface_language(root, lang, prompt, absent):
    async def scenario() -> tuple[str, list[str]]:
        app = make_app(root)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+p")
            await until(pilot, lambda: isinstance(app.screen, CommandPalette))
            placeholder = str(app.screen.query_one(CommandInput).placeholder)
            titles = [command.title for command in app.get_system_commands(app.screen)]
            return placeholder, titles

    set_language(lang)
    placeholder, titles = run_scenario(scenario())
    assert placeholder == prompt
    assert absent not in titles and ("主题" in titles if lang == "zh" else "Theme" in titles)


def test_the_palette_key_is_an_ordinary_remappable_binding():
    assert any(b.action == "command_palette" and b.id == "app.palette" for b in QcodeApp.BINDINGS)


def test_ctrl_c_says_how_to_quit_in_chinese(root):
    async def scenario() -> list[tuple[str, str]]:
        app = make_app(root)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+c")
            await until(pilot, lambda: any("ctrl+q" in n.message for n in app._notifications))
            return [(n.title, n.message) for n in app._notifications]

    set_language("zh")
    notes = run_scenario(scenario())
    assert ("要退出吗？", "按 [b]ctrl+q[/b] 退出程序") in notes
