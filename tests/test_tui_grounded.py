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


async def _codebook_screen(pilot):
    from qcode.tui.screens.codebook import CodebookScreen

    await pilot.press("f2")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CodebookScreen)
    return pilot.app.screen


def test_codebook_screen_renames_moves_merges_deletes_and_undoes_by_keyboard(root):
    from qcode.project.coding import CodingSession

    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        CodingSession(project.store, "ann").apply(info, "S.INFO", *sentence("就我一个人👍管。"), memo="甲")

    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 40)) as pilot:
            await _coding(pilot)
            screen = await _codebook_screen(pilot)
            screen.tree.move_to("O.STAFF")
            await pilot.pause()
            await pilot.press("r")
            await pilot.pause()
            pilot.app.screen.query_one("#field-name").value = "人员"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert book(root)["O.STAFF"].name.get("zh") == "人员"
            await pilot.press("m")  # move O.STAFF under SVC
            await pilot.pause()
            await pilot.press("down", "enter")
            await pilot.pause()
            assert book(root)["O.STAFF"].parent == "SVC"
            screen.tree.move_to("S.INFO")
            await pilot.pause()
            await pilot.press("d")  # refused: S.INFO has a coding
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert "S.INFO" in book(root)
            await pilot.press("g")  # merge S.INFO into ... the list without S.INFO: SVC, S.INTERACTION, O.STAFF
            await pilot.pause()
            await pilot.press("down", "enter")
            await pilot.pause()
            assert "S.INFO" not in book(root)
            assert codings(root) == [("ann", "S.INTERACTION", *sentence("就我一个人👍管。"), "甲")]
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert "S.INFO" in book(root) and "S.INFO" in screen.tree.nodes
            assert codings(root) == [("ann", "S.INFO", *sentence("就我一个人👍管。"), "甲")]
    run(scenario())
    text = (root / "codebooks" / "cb.yaml").read_text(encoding="utf-8")
    assert "人员" in text


def test_retrieval_lists_passages_stars_and_splits_marked_ones(root):
    from qcode.project.coding import CodingSession
    from qcode.tui.screens.retrieval import RetrievalScreen

    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        session = CodingSession(project.store, "ann")
        session.apply(info, "S.INFO", *sentence("就我一个人👍管。"), memo="人手")
        session.apply(info, "S.INFO", *sentence("“回复不及时”是老问题！"))

    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 40)) as pilot:
            await _coding(pilot)
            screen = await _codebook_screen(pilot)
            screen.tree.move_to("S.INFO")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            retrieval = pilot.app.screen
            assert isinstance(retrieval, RetrievalScreen)
            assert [p.tag for p in retrieval.found] == ["t1-2", "t1-2"]
            assert "2 passages in 1 transcript" in str(retrieval.query_one("#retrieval-title").render())
            await pilot.press("asterisk")
            await pilot.pause()
            assert retrieval.found[0].starred
            await pilot.press("down", "space")
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            pilot.app.screen.query_one("#field-name").value = "回应不及时"
            await pilot.press("enter")
            await pilot.pause()
            assert len(retrieval.found) == 1
            await pilot.press("enter")  # jump to the passage
            await pilot.pause()
            jumped = pilot.app.screen
            assert isinstance(jumped, CodingScreen)
            assert (jumped.view.selection.start, jumped.view.selection.end) == sentence("就我一个人👍管。")
    run(scenario())
    new = [c for c in book(root) if c.name.get() == "回应不及时"]
    assert len(new) == 1 and new[0].parent == "SVC"
    assert codings(root) == sorted([("ann", "S.INFO", *sentence("就我一个人👍管。"), "人手"),
                                    ("ann", new[0].id, *sentence("“回复不及时”是老问题！"), "")])


def test_memo_screen_lists_every_kind_and_filters(root):
    from qcode.project.code_relations import RelationEditor
    from qcode.project.coding import CodingSession
    from qcode.tui.screens.memos import MemosScreen

    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        ann, bob = CodingSession(project.store, "ann"), CodingSession(project.store, "bob")
        ann.apply(info, "S.INFO", *sentence("就我一个人👍管。"), memo="编码备忘")
        ann.set_memo("transcript", info.guid, "访谈备忘")
        bob.set_memo("code", "O.STAFF", "代码备忘")
        RelationEditor(project.store, "ann").link("O.STAFF", "S.INFO", "因果", "关系备忘")

    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 40)) as pilot:
            await _coding(pilot)
            await pilot.press("f6")
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, MemosScreen)
            assert [m.kind for m in screen.shown] == ["coding", "transcript", "code", "relation"]
            await pilot.press("t")
            await pilot.pause()
            assert [m.text for m in screen.shown] == ["编码备忘"]
            await pilot.press("t", "t", "t", "t", "t")  # back to all
            await pilot.press("c", "c")  # bob
            await pilot.pause()
            assert [m.text for m in screen.shown] == ["代码备忘"]
            screen.coder = None
            screen.code = "S.INFO"
            screen._show()
            assert sorted(m.text for m in screen.shown) == ["关系备忘", "编码备忘"]
    run(scenario())


def test_recode_all_of_my_passages_from_the_retrieval_screen_and_the_saturation_chart(root):
    from qcode.project.coding import CodingSession
    from qcode.tui.screens.retrieval import RetrievalScreen
    from qcode.tui.screens.saturation import SaturationScreen

    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        CodingSession(project.store, "ann").apply(info, "S.INFO", *sentence("就我一个人👍管。"), memo="m")
        CodingSession(project.store, "ann").apply(info, "S.INFO", *sentence("“回复不及时”是老问题！"))
        CodingSession(project.store, "bob").apply(info, "S.INFO", *sentence("就我一个人👍管。"))

    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 40)) as pilot:
            await _coding(pilot)
            pilot.app.push_screen(RetrievalScreen(pilot.app.workspace, "S.INFO"))
            await pilot.pause()
            screen = pilot.app.screen
            assert len(screen.found) == 3
            await pilot.press("a")
            await pilot.pause()
            assert len(screen.marked) == 2
            await pilot.press("r")
            await pilot.pause()
            pilot.app.screen.query_one("Input").value = "O.STAFF"
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert [p.coding.coder for p in screen.found] == ["bob"]
            await pilot.press("escape", "f7")
            await pilot.pause()
            chart = pilot.app.screen
            assert isinstance(chart, SaturationScreen)
            assert [len(s.new_codes) for s in chart.result.steps] == [2]
            assert "No transcripts are marked" in str(chart.query_one("#saturation-chart").render())
    run(scenario())
    assert codings(root) == sorted([("ann", "O.STAFF", *sentence("就我一个人👍管。"), "m"),
                                    ("ann", "O.STAFF", *sentence("“回复不及时”是老问题！"), ""),
                                    ("bob", "S.INFO", *sentence("就我一个人👍管。"), "")])


def test_a_new_code_that_meets_another_writers_lock_waits_and_is_stored(root):
    import sqlite3

    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _coding(pilot)
            await pilot.press("down")
            blocker = sqlite3.connect(root / "qcode.db", isolation_level=None)
            blocker.execute("BEGIN IMMEDIATE")  # another qcode command is writing
            try:
                screen.create_and_apply("人手不足", "SVC")
                await pilot.pause()
                assert app.pending_writes == 1
                assert not [n for n in app._notifications if n.severity == "error"]
            finally:
                blocker.execute("ROLLBACK")
                blocker.close()
            for _ in range(400):
                await pilot.pause()
                if not app.pending_writes and len(screen.codings) == 1:
                    break
            assert any(screen.codebook.display_name(c) == "人手不足" for c in screen.tree.nodes)
    run(scenario())
    created = [c for c in book(root) if c.name.get() == "人手不足"]
    assert len(created) == 1
    assert codings(root) == [("ann", created[0].id, *sentence("就我一个人👍管。"), "")]


def test_linking_codes_in_the_codebook_screen_shows_the_relation(root):
    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 40)) as pilot:
            await _coding(pilot)
            screen = await _codebook_screen(pilot)
            screen.tree.move_to("O.STAFF")
            await pilot.pause()
            await pilot.press("l")
            await pilot.pause()
            await pilot.press("down", "enter")  # targets without O.STAFF: SVC, S.INTERACTION, S.INFO -> S.INTERACTION
            await pilot.pause()
            await pilot.press("enter")  # the first type: 因果
            await pilot.pause()
            pilot.app.screen.query_one("TextArea").text = "人手少，互动就少"
            await pilot.press("ctrl+s")
            await pilot.pause()
            shown = str(screen.query_one("#code-text").render())
            # Names and the relation type in the interface language (English by default); stored as 因果.
            assert "Staffing —cause→ Interaction" in shown and "人手少，互动就少" in shown
    run(scenario())
    with Project.open(root) as project:
        assert [(r.source, r.target, r.type, r.memo) for r in project.store.relations.all()] == [
            ("O.STAFF", "S.INTERACTION", "因果", "人手少，互动就少")]


def test_the_edit_form_is_filled_in_by_typing(root):
    async def scenario():
        app = make_app(root)
        async with app.run_test(size=(120, 40)) as pilot:
            await _coding(pilot)
            screen = await _codebook_screen(pilot)
            screen.tree.move_to("O.STAFF")
            await pilot.pause()
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("backspace", "backspace", "不", "足")  # 人员配置 -> 人员不足
            await pilot.press("down", "down")  # past the English name to the definition
            await pilot.press(*"兼职为主")
            await pilot.press("ctrl+s")
            await pilot.pause()
    run(scenario())
    code = book(root)["O.STAFF"]
    assert (code.name.get("zh"), code.name.get("en"), code.definition.get("zh")) == ("人员不足", "Staffing", "兼职为主")
