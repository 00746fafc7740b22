"""Consensus: the dialog shows what is recorded, changes and clears it (undoably); `qcode consensus`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from qcode.domain.models import CONSENSUS_CODER
from qcode.project.coding import CodingSession
from qcode.project.consensus import consensus_codes, set_consensus
from qcode.project.project import Project
from qcode.tui.dialogs.consensus import ConsensusDialog
from qcode.tui.screens.agreement import AgreementScreen
from qcode.tui.widgets.check_list import CheckList
from tests.tui_support import TEXT, make_app, make_project, until

PASSAGE = "就我一个人👍管。"


def span(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


@pytest.fixture
def root(tmp_path):
    root = make_project(tmp_path / "proj")
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        ann, bob = CodingSession(project.store, "ann"), CodingSession(project.store, "bob")
        ann.apply(info, "S.INTERACTION", *span(PASSAGE))
        bob.apply(info, "O.STAFF", *span(PASSAGE))
        ann.set_complete(info)
        bob.set_complete(info)
    return root


def consensus(root, piece: str = PASSAGE) -> set[str]:
    with Project.open(root) as project:
        return consensus_codes(project.store, project.store.transcripts.by_name("t1"), *span(piece))


def test_set_and_clear_keep_the_passage_exact_and_are_one_undo_each(root):
    with Project.open(root) as project:
        store = project.store
        info = store.transcripts.by_name("t1")
        start, end = span(PASSAGE)
        change = set_consensus(store, info, start, end, ["O.STAFF", "S.INFO"])
        assert [c.code for c in change.added] == ["O.STAFF", "S.INFO"] and change.removed == []
        assert set_consensus(store, info, start, end, ["S.INFO", "O.STAFF"]).changed is False  # nothing twice
        change = set_consensus(store, info, start, end, ["S.INFO"])
        assert [c.code for c in change.removed] == ["O.STAFF"]
        session = CodingSession(store, CONSENSUS_CODER)
        session.undo()
        assert consensus_codes(store, info, start, end) == {"O.STAFF", "S.INFO"}
        session.undo()  # the first change added two codings in one transaction: one undo removes both
        assert consensus_codes(store, info, start, end) == set()
        session.redo()
        assert consensus_codes(store, info, start, end) == {"O.STAFF", "S.INFO"}
        # A consensus coding reaching beyond the passage is kept (and reported), not cut.
        whole = span("就我一个人👍管。𠮷野家的留言\t也是我回。")
        set_consensus(store, info, *whole, ["S.INTERACTION"])
        change = set_consensus(store, info, start, end, [])
        assert [c.code for c in change.beyond] == ["S.INTERACTION"] and "reaches beyond" in change.describe()
        assert consensus_codes(store, info, start, end) == {"S.INTERACTION"}
        # The consensus coder never becomes a compared coder by default.
        from qcode.project.reliability import AgreementOptions, load_reliability_data

        data = load_reliability_data(store, AgreementOptions(unit="turn", include_incomplete=True))
        assert data.coders == ["ann", "bob"]


def test_dialog_opens_with_the_recorded_consensus_ticked_and_changes_clears_and_undoes_it(root, run_pilot):
    with Project.open(root) as project:
        set_consensus(project.store, project.store.transcripts.by_name("t1"), *span(PASSAGE), ["O.STAFF"])
    seen: dict[str, object] = {}

    async def scenario(pilot):
        app = pilot.app
        await pilot.press("f3")
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await until(pilot, lambda: screen.results is not None and screen.shown)
        assert screen.consensus == [{"O.STAFF"}]
        screen.query_one("#disagreements").focus()
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ConsensusDialog))
        checks = app.screen.query_one(CheckList)
        assert checks.ticked == ["O.STAFF"]  # what is recorded, not the (empty) shared proposal
        lines = [str(checks.get_option_at_index(i).prompt) for i in range(checks.option_count)]
        seen["lines"] = lines
        # Offered in codebook order: S.INTERACTION (ann), O.STAFF (bob).
        await pilot.press("space")  # tick S.INTERACTION
        await pilot.press("down", "space")  # untick O.STAFF
        assert checks.ticked == ["S.INTERACTION"]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen and screen.consensus == [{"S.INTERACTION"}])
        seen["changed"] = consensus(root)
        await pilot.press("ctrl+z")
        await until(pilot, lambda: screen.consensus == [{"O.STAFF"}])
        seen["undone"] = consensus(root)
        await pilot.press("ctrl+y")
        await until(pilot, lambda: screen.consensus == [{"S.INTERACTION"}])
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ConsensusDialog))
        assert app.screen.query_one(CheckList).ticked == ["S.INTERACTION"]
        await pilot.press("delete")  # clear
        await until(pilot, lambda: app.screen is screen and screen.consensus == [set()])
    run_pilot(make_app(root, transcript=None), scenario, size=(140, 40))
    # Code names in the interface language (English by default).
    assert seen["lines"] == ["[ ] Interaction  (S.INTERACTION; by ann)", "[x] Staffing  (O.STAFF; by bob)"]
    assert seen["changed"] == {"S.INTERACTION"} and seen["undone"] == {"O.STAFF"}
    assert consensus(root) == set()
    with Project.open(root) as project:
        actions = [(e.actor, e.kind, e.action) for e in project.store.journal.by_actor(CONSENSUS_CODER)]
    assert actions[-1] == (CONSENSUS_CODER, "do", "coding.remove") and ("consensus", "undo", "coding.add") in actions


def test_without_a_recorded_consensus_the_shared_codes_are_proposed(root, run_pilot):
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        CodingSession(project.store, "bob").apply(info, "S.INTERACTION", *span(PASSAGE))
        CodingSession(project.store, "ann").apply(info, "S.INFO", *span("“回复不及时”是老问题！"))

    async def scenario(pilot):
        app = pilot.app
        await pilot.press("f3")
        screen = app.screen
        await until(pilot, lambda: screen.results is not None and screen.shown)
        screen.query_one("#disagreements").focus()
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ConsensusDialog))
        assert app.screen.query_one(CheckList).ticked == ["S.INTERACTION"]
        assert "No consensus recorded yet" in str(app.screen.query_one("#consensus-state").render())
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
    run_pilot(make_app(root, transcript=None), scenario, size=(140, 40))
    assert consensus(root) == set()


def test_cli_set_list_clear_export_undo(run, root, tmp_path):
    start, end = span(PASSAGE)
    result = run("consensus", "set", "t1", start, end, "O.STAFF", "S.INFO", "-p", root)
    assert result.exit_code == 0 and "added O.STAFF, S.INFO" in result.stdout
    listed = json.loads(run("--lang", "zh", "consensus", "list", "--format", "json", "-p", root).stdout)
    assert [(r["code"], r["name"], r["text"]) for r in listed] == [("O.STAFF", "人员配置", PASSAGE),
                                                                    ("S.INFO", "信息质量", PASSAGE)]
    only = json.loads(run("consensus", "list", "--codes", "S.INFO", "--transcripts", "t1", "--format", "json",
                          "-p", root).stdout)
    assert [r["code"] for r in only] == ["S.INFO"]
    table = run("--lang", "zh", "consensus", "list", "-p", root).stdout
    assert "人员配置" in table
    assert "removed O.STAFF" in run("consensus", "set", "t1", start, end, "S.INFO", "-p", root).stdout
    out = tmp_path / "consensus.csv"
    assert run("consensus", "export", "-o", out, "-p", root).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["coder"], r["transcript"], int(r["start"]), int(r["end"]), r["code"]) for r in rows] == [
        ("consensus", "t1", start, end, "S.INFO")]
    exported = json.loads(run("--lang", "zh", "consensus", "export", "--format", "json", "-p", root).stdout)
    assert exported[0]["text"] == PASSAGE and exported[0]["name"] == "信息质量"
    assert "undo" in run("consensus", "undo", "-p", root).stdout
    assert consensus(root) == {"O.STAFF", "S.INFO"}
    assert "redo" in run("consensus", "redo", "-p", root).stdout
    assert consensus(root) == {"S.INFO"}
    cleared = run("consensus", "clear", "t1", "-p", root)
    assert cleared.exit_code == 0 and "removed S.INFO" in cleared.stdout
    assert consensus(root) == set()
    assert run("consensus", "undo", "-p", root).exit_code == 0 and consensus(root) == {"S.INFO"}
    assert "removed S.INFO" in run("consensus", "clear", "t1", start, end, "--codes", "S.INFO", "-p", root).stdout


@pytest.mark.parametrize("args, message", [
    (("set", "t9", "0", "5", "O.STAFF"), "no transcript named 't9'"),
    (("set", "t1", "5", "3", "O.STAFF"), "not a non-empty passage"),
    (("set", "t1", "0", "99999", "O.STAFF"), "not a non-empty passage"),
    (("set", "t1", "0", "5", "NOPE"), "unknown code 'NOPE'"),
    (("set", "t1", "0", "5", "SVC"), "group that organises codes"),
    (("clear", "t1", "5"), "both START and END"),
])
def test_cli_refuses_bad_input_with_a_message_and_changes_nothing(run, root, args, message):
    with Project.open(root) as project:
        before = project.store.journal.count()
    result = run("consensus", *args, "-p", root)
    assert result.exit_code != 0 and message in result.stderr and "Traceback" not in result.stderr
    with Project.open(root) as project:
        assert project.store.journal.count() == before
