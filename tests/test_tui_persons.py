"""The persons screen (p on the transcripts screen): the speakers of a transcript as persons, their attributes
shown and edited with the CLI's typed checks through the write queue (journalled), and the transcripts list
filtered by person attributes."""

from __future__ import annotations

from qcode.project.attributes import CaseValue, define_attribute, map_speakers, store_values
from qcode.project.importing import import_transcripts
from qcode.project.persons_view import transcripts_where
from qcode.project.project import Project
from qcode.storage.cases import CaseRepository
from qcode.tui.screens.persons import PersonsScreen
from qcode.tui.screens.transcripts import TranscriptsScreen
from tests.tui_support import make_app, make_project


def _project(tmp_path):
    """t1: 访谈者 (the interviewer) and 受访者A (mapped to 小编, an official); t2: 访谈者 and 受访者B (a citizen)."""
    root = make_project(tmp_path / "proj")
    (root / "transcripts" / "t2.txt").write_text("访谈者：您好。\n受访者B：留言没人回。\n", encoding="utf-8")
    with Project.open(root) as project:
        import_transcripts(project, [root / "transcripts" / "t2.txt"])
        store = project.store
        map_speakers(store, "访谈员", "访谈者")
        map_speakers(store, "小编", "受访者A", ("t1",))
        define_attribute(store, "person", "age_group", "category", ("青年", "中年", "老年"))
        store_values(store, [CaseValue("person", "访谈员", "role", "interviewer"),
                             CaseValue("person", "小编", "role", "official"),
                             CaseValue("person", "t2:受访者B", "role", "citizen")])
    return root


async def _until(pilot, condition, steps: int = 100) -> None:
    for _ in range(steps):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen did not get there")


def person_values(root, person: str) -> dict[str, str]:
    with Project.open(root) as project:
        store = project.store
        found = {p.id: p.name for p in CaseRepository.of(store).persons()}
        return next(values for pid, values in CaseRepository.of(store).values("person").items()
                    if found.get(pid) == person)


def test_the_persons_of_a_transcript_are_shown_and_edited_with_typed_checks(tmp_path, run_pilot):
    root = _project(tmp_path)
    app = make_app(root, transcript=None)

    async def scenario(pilot):
        await pilot.pause()
        assert isinstance(app.screen, TranscriptsScreen)
        await pilot.press("p")  # the cursor is on t1
        screen = app.screen
        assert isinstance(screen, PersonsScreen)
        await pilot.pause()
        assert [(r.name, r.speaks_as) for r in screen.rows] == [("访谈员", ("访谈者",)), ("小编", ("受访者A",))]
        table = screen.query_one("DataTable")
        columns = [str(c.label) for c in table.columns.values()]
        assert columns[:2] == ["Person", "Speaks as"] and set(columns[2:]) == {"role", "age_group"}
        assert dict(zip(columns, table.get_row_at(1), strict=True)) == {
            "Person": "小编", "Speaks as": "受访者A", "role": "official", "age_group": ""}
        # A bad value is refused as on the CLI (an unknown level of the category), and nothing is stored.
        await pilot.press("down", "enter")
        await pilot.pause()
        app.screen.query_one("Input").value = "role=official; age_group=少年"
        await pilot.press("enter")
        await pilot.pause()
        assert person_values(root, "小编") == {"role": "official"}
        # A good one is stored through the write queue and shown.
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("Input").value = "role=official; age_group=青年; age=29"
        await pilot.press("enter")
        await _until(pilot, lambda: screen.rows and screen.rows[1].attributes.get("age_group") == "青年")
        assert screen.rows[1].attributes == {"role": "official", "age_group": "青年", "age": "29"}
        # A malformed line is refused without a traceback.
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("Input").value = "no equals sign"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonsScreen)
        # a: every person of the project; Escape: back to the transcripts.
        await pilot.press("a")
        await pilot.pause()
        assert [r.name for r in screen.rows] == ["t2:受访者B", "小编", "访谈员"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptsScreen)

    run_pilot(app, scenario, size=(140, 40))
    assert person_values(root, "小编") == {"role": "official", "age_group": "青年", "age": "29"}
    with Project.open(root) as project:  # journalled: the change is in the log, for undo and audit
        mine = [e for e in project.store.journal.recent(20) if e.actor == "ann" and e.source == "tui"]
    assert {e.action for e in mine} <= {"attribute.define", "attribute.set", "attribute.set_many"} and mine
    assert any("青年" in str(e.after) for e in mine)


def test_the_transcripts_list_is_filtered_by_person_attributes(tmp_path, run_pilot):
    root = _project(tmp_path)
    with Project.open(root) as project:
        # The interviewer speaks in both, but interviewers never count: only t1 has an official speaking.
        assert transcripts_where(project.store, ["role=official"]) == {"t1"}
        assert transcripts_where(project.store, ["role in official,citizen"]) == {"t1", "t2"}
        assert transcripts_where(project.store, []) == {"t1", "t2"}
    app = make_app(root, transcript=None)

    async def scenario(pilot):
        await pilot.pause()
        screen = app.screen
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one("Input").value = "role=citizen"
        await pilot.press("enter")
        await pilot.pause()
        assert [s.name for s in screen.summaries] == ["t2"]

    run_pilot(app, scenario, size=(140, 40))
