"""Grounded-theory coding in the app: create codes from the picker and in vivo, edit the codebook (F2),
retrieve a code's passages, list memos. Driven through Pilot, asserted in the database and the YAML."""

from __future__ import annotations

import pytest

from qcode.project.codebook_loading import current_codebook
from qcode.project.project import Project
from qcode.tui.screens.coding import CodingScreen
from tests.tui_support import TEXT, codings, make_app, make_project


def sentence(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


@pytest.fixture
def root(tmp_path):
    return make_project(tmp_path / "proj")


def run(coro):
    import asyncio

    return asyncio.run(coro)


def book(root):
    with Project.open(root) as project:
        return current_codebook(project.store)


async def _coding(pilot) -> CodingScreen:
    await pilot.pause()
    assert isinstance(pilot.app.screen, CodingScreen)
    return pilot.app.screen


def test_picker_creates_a_code_under_a_chosen_parent_and_applies_it(root):
    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _coding(pilot)
            await pilot.press("down", "enter")
            await pilot.pause()
            for key in "rgs":
                await pilot.press(key)
            pilot.app.screen.query_one("Input").value = "人手不足"
            await pilot.pause()
            await pilot.press("enter")  # the only option: create code «人手不足»
            await pilot.pause()
            await pilot.press("down", "enter")  # parent: the second entry is SVC (问题)
            await pilot.pause()
            assert any(screen.codebook.display_name(c) == "人手不足" for c in screen.tree.nodes)
    run(scenario())
    created = [c for c in book(root) if c.name.get() == "人手不足"]
    assert len(created) == 1 and created[0].parent == "SVC"
    assert codings(root) == [("ann", created[0].id, *sentence("就我一个人👍管。"), "")]
    assert "人手不足" in (root / "codebooks" / "cb.yaml").read_text(encoding="utf-8")


def test_in_vivo_names_a_code_by_the_selected_words_and_undo_removes_both(root):
    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _coding(pilot)
            start, end = sentence("“回复不及时”是老问题！")
            screen.view.select(type(screen.view.selection)(start + 1, start + 6))
            await pilot.press("ctrl+l")
            await pilot.pause()
            field = pilot.app.screen.query_one("Input")
            assert field.value == "回复不及时"
            field.value = "回复不及时（原话）"
            await pilot.press("enter")  # save the name
            await pilot.pause()
            await pilot.press("enter")  # top level
            await pilot.pause()
            assert len(codings(root)) == 1
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert codings(root) == []
            assert all(c.name.get() != "回复不及时（原话）" for c in screen.codebook)
    run(scenario())
    assert all(c.name.get() != "回复不及时（原话）" for c in book(root))
