"""Blind coding: revealing other coders' codings before completing asks first, is journalled, and is reported."""

from __future__ import annotations

from textual.widgets import OptionList

from qcode.project.coding import CodingSession
from qcode.project.project import Project
from qcode.tui.dialogs.choice import ChoiceDialog
from qcode.tui.screens.coding import CodingScreen
from tests.tui_support import TEXT, make_app, make_project, until


def span(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


def prepare(tmp_path, *, ann_complete: bool = False):
    root = make_project(tmp_path / "proj")
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        ann, bob = CodingSession(project.store, "ann"), CodingSession(project.store, "bob")
        ann.apply(info, "S.INFO", *span("“回复不及时”是老问题！"))
        bob.apply(info, "O.STAFF", *span("就我一个人👍管。"))
        bob.set_complete(info)
        if ann_complete:
            ann.set_complete(info)
    return root


def reveals(root):
    with Project.open(root) as project:
        entries = [e for e in project.store.journal.recent(100) if e.action == "blind.reveal"]
        return entries, project.store.reveals.seen_before_complete()


def choose(dialog: ChoiceDialog, key: str) -> None:
    """Highlight the option `key` of the dialog (Enter then picks it)."""
    options = dialog.query_one(OptionList)
    options.highlighted = options.get_option_index(key)


def test_ctrl_o_before_completing_asks_and_only_a_confirmed_reveal_is_recorded(tmp_path, run_pilot):
    root = prepare(tmp_path)

    async def scenario(pilot):
        app = pilot.app
        await until(pilot, lambda: isinstance(app.screen, CodingScreen))
        coding = app.screen
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "not completed t1" in app.screen.question and "bob" in app.screen.question
        await pilot.press("escape")  # cancel: stays blind, nothing recorded
        await until(pilot, lambda: app.screen is coding)
        assert not coding.show_others
        assert not any(h.owner == "bob" for h in coding.view.highlights_at(span("就我")[0]))
        assert reveals(root)[0] == []
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        choose(app.screen, "blind")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is coding)
        assert not coding.show_others and reveals(root)[0] == []
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        choose(app.screen, "reveal")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is coding and coding.show_others)
        assert any(h.owner == "bob" for h in coding.view.highlights_at(span("就我")[0]))
        # The reveal is a fact, not an edit: undo still undoes ann's coding.
        await pilot.press("ctrl+z")
        await pilot.pause()
    run_pilot(make_app(root), scenario, size=(120, 40))
    entries, seen = reveals(root)
    [entry] = entries
    assert (entry.actor, entry.entity, entry.after["coder"], entry.after["transcript"]) == ("ann", "reveals", "ann", "t1")
    assert entry.entity_key == "ann|t1" and entry.after["status"] is None and entry.after["at"] <= entry.at
    assert [(s.coder, s.transcript) for s in seen] == [("ann", "t1")]
    with Project.open(root) as project:
        assert [c.coder for c in project.store.codings.all()] == ["bob"]  # ann's coding was undone


def test_after_completing_ctrl_o_shows_without_asking_but_is_still_recorded(tmp_path, run_pilot):
    root = prepare(tmp_path, ann_complete=True)

    async def scenario(pilot):
        app = pilot.app
        await until(pilot, lambda: isinstance(app.screen, CodingScreen))
        coding = app.screen
        await pilot.press("ctrl+o")
        await until(pilot, lambda: coding.show_others)
        assert not isinstance(app.screen, ChoiceDialog)
    run_pilot(make_app(root), scenario, size=(120, 40))
    entries, seen = reveals(root)
    assert len(entries) == 1 and entries[0].after["status"] == "complete"
    assert seen == []  # completed before looking, and nothing changed since: still independent


def test_changing_codings_after_looking_makes_the_coding_not_independent(tmp_path):
    root = prepare(tmp_path, ann_complete=True)
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        ann = CodingSession(project.store, "ann")
        ann.record_reveal(info)
        assert project.store.reveals.seen_before_complete() == []
        ann.set_complete(info, False)
        ann.apply(info, "O.STAFF", *span("就我一个人👍管。"))
        ann.set_complete(info)
        [seen] = project.store.reveals.seen_before_complete()
        assert (seen.coder, seen.transcript, seen.status, seen.changed_after) == ("ann", "t1", "complete", True)


def test_opening_a_passage_from_the_agreement_screen_goes_through_the_same_confirmation(tmp_path, run_pilot):
    root = prepare(tmp_path)

    async def scenario(pilot):
        app = pilot.app
        await pilot.pause()
        document = app.workspace.open("t1")
        app.push_screen(CodingScreen(app.workspace, document, show_others=True))
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, CodingScreen))
        assert not app.screen.show_others
    run_pilot(make_app(root, transcript=None), scenario, size=(120, 40))
    assert reveals(root)[0] == []


def test_log_shows_the_reveal(tmp_path, run):
    root = prepare(tmp_path)
    with Project.open(root) as project:
        CodingSession(project.store, "ann").record_reveal(project.store.transcripts.by_name("t1"))
    result = run("log", "-p", root)
    assert result.exit_code == 0 and "blind.reveal" in result.stdout


def test_the_agreement_screen_names_what_it_compared_and_what_was_not_blind(tmp_path, run_pilot):
    from qcode.tui.screens.agreement import AgreementScreen

    root = prepare(tmp_path)
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        ann = CodingSession(project.store, "ann")
        ann.record_reveal(info)
        ann.set_complete(info)

    async def scenario(pilot):
        app = pilot.app
        await pilot.press("f3")
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await until(pilot, lambda: screen.results is not None and screen.results.report is not None)
        return str(screen.query_one("#agreement-summary").render())
    summary = run_pilot(make_app(root, transcript=None), scenario, size=(140, 40))
    assert f"Compared: 1 transcript completed by 2+ coders (t1; {len(TEXT):,} characters)" in summary
    assert "not coded independently: ann on t1" in summary


def test_a_merge_brings_the_other_files_reveals_once(tmp_path):
    from qcode.interop.merge import merge_projects

    here = prepare(tmp_path)
    there = make_project(tmp_path / "bob-laptop")
    with Project.open(there) as project:
        info = project.store.transcripts.by_name("t1")
        bob = CodingSession(project.store, "bob")
        bob.apply(info, "O.STAFF", *span("就我一个人👍管。"))
        bob.record_reveal(info)  # bob looked at merged-in codings before completing t1 on his laptop
        bob.set_complete(info)
    with Project.open(here) as project:
        first = merge_projects(project, [there])
        second = merge_projects(project, [there])
        assert (first.files[0].tallies["reveals"].added, second.files[0].tallies["reveals"].unchanged) == (1, 1)
        [seen] = project.store.reveals.seen_before_complete()
        assert (seen.coder, seen.transcript, seen.status) == ("bob", "t1", None)
