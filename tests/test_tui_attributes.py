"""The statistics screen grouped by an attribute (bars per group, aligned by screen cells, with the test),
and the transcripts screen showing, filtering and editing attributes."""

from __future__ import annotations

import asyncio

from rich.cells import cell_len

from qcode.project.attributes import CaseValue, store_values
from qcode.project.coding import CodingSession
from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from qcode.storage.cases import CaseRepository
from qcode.tui.screens.statistics import StatisticsScreen, fit_cells
from qcode.tui.screens.transcripts import TranscriptsScreen
from tests.tui_support import TEXT, make_app, make_project


def _project(tmp_path):
    root = make_project(tmp_path / "proj")
    (root / "transcripts" / "t2.txt").write_text("访谈者：您好。\n受访者B：公众号一个人管，留言没人回。\n", encoding="utf-8")
    with Project.open(root) as project:
        import_transcripts(project, [root / "transcripts" / "t2.txt"])
        store = project.store
        start = TEXT.index("就我一个人")
        CodingSession(store, "ann").apply(store.transcripts.by_name("t1"), "O.STAFF", start, start + 5)
        store_values(store, [CaseValue("transcript", "t1", "group", "官员"),
                             CaseValue("transcript", "t2", "group", "市民 citizens")])
    return root


async def until(pilot, condition, timeout: float = 30.0) -> None:
    waited = 0.0
    while not condition():
        await pilot.pause(0.1)
        waited += 0.1
        if waited > timeout:
            raise AssertionError("timed out waiting for the app")


def test_labels_are_fitted_by_screen_cells():
    assert cell_len(fit_cells("官员")) == cell_len(fit_cells("citizens")) == 10
    assert cell_len(fit_cells("一个很长很长很长的名字")) == 10 and fit_cells("一个很长很长很长的名字").endswith("…")


def test_statistics_group_by_an_attribute_with_aligned_bars_and_the_test(tmp_path):
    root = _project(tmp_path)

    async def scenario():
        app = make_app(root, transcript=None)
        async with app.run_test(size=(150, 45)) as pilot:
            await pilot.press("f4")
            screen = app.screen
            assert isinstance(screen, StatisticsScreen)
            await until(pilot, lambda: screen.stats is not None)
            while screen.grouping != "attr:group":
                await pilot.press("g")
                await until(pilot, lambda: screen.stats is not None and screen.stats.bars is not None
                            and getattr(screen.stats.bars, "by", "coder") == screen.grouping)
            bars = str(screen.query_one("#bars").render())
            lines = bars.splitlines()
            official = next(line for line in lines if "官员" in line and "█" in line)
            citizens = next(line for line in lines if "市民" in line)
            # Bars start in the same screen column (3 + 10 label cells + 1) under a Chinese and a mixed name;
            # the citizens' bar is empty, so its count follows at that column.
            assert cell_len(official[:official.index("█")]) == 14
            assert cell_len(citizens[:citizens.rindex(" 0")]) == 14
            assert "Fisher exact p=1.000" in bars  # O.STAFF: 1 of 1 official, 0 of 1 citizen

    asyncio.run(scenario())


def test_transcripts_screen_shows_filters_and_edits_attributes(tmp_path):
    root = _project(tmp_path)

    async def scenario():
        app = make_app(root, transcript=None)
        async with app.run_test(size=(150, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, TranscriptsScreen)
            await pilot.pause()
            table = screen.query_one("DataTable")
            assert "group" in [str(c.label) for c in table.columns.values()]
            assert table.row_count == 2
            await pilot.press("slash")
            await pilot.pause()
            await pilot.press(*"group=官员", "enter")
            await pilot.pause()
            assert [s.name for s in screen.summaries] == ["t1"]
            await pilot.press("ctrl+e")
            await pilot.pause()
            dialog = app.screen
            dialog.query_one("Input").value = "age=34; group=官员"
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("slash")
            await pilot.pause()
            app.screen.query_one("Input").value = "age>40"
            await pilot.press("enter")
            await pilot.pause()
            assert screen.summaries == []

    asyncio.run(scenario())
    with Project.open(root) as project:
        store = project.store
        t1 = store.transcripts.by_name("t1")
        assert CaseRepository.of(store).values("transcript")[t1.id] == {"group": "官员", "age": "34"}
