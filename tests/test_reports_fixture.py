"""Checks that the hand-counted project behind the report tests (tests/reports_support.py) is laid out
as the counts assume."""

from __future__ import annotations

from qcode.project.project import Project
from tests.reports_support import CODINGS, TEXTS, span_of

pytest_plugins = ["tests.reports_support"]  # the `report_project` fixture


def _units(project: Project, name: str, kind: str) -> list[tuple[int, int, str | None]]:
    store = project.store
    info = store.transcripts.by_name(name)
    return [(u.start, u.end, u.speaker) for u in store.transcripts.units(info.id, kind)]


def test_the_units_are_those_the_hand_counts_assume(report_project):
    assert _units(report_project, "T1", "turn") == [
        (4, 13, "访谈者"), (19, 42, "受访者A"), (47, 52, "访谈者"), (58, 76, "受访者A")]
    assert [(s, e) for s, e, _ in _units(report_project, "T1", "sentence")] == [
        (4, 13), (19, 24), (24, 34), (34, 42), (47, 52), (58, 60), (60, 68), (68, 76)]
    assert TEXTS["T1"][58:60] == "……"
    assert _units(report_project, "T2", "turn") == [(0, 7, None), (12, 18, "访谈者"), (24, 29, "受访者B")]
    assert [(s, e) for s, e, _ in _units(report_project, "T2", "sentence")] == [(0, 7), (12, 18), (24, 29)]
    assert _units(report_project, "T3", "turn") == [(4, 10, "访谈者"), (16, 20, "受访者A")]


def test_the_codings_are_where_the_table_in_the_docstring_says(report_project):
    expected = {
        "c1": (19, 33), "c2": (24, 34), "c3": (27, 36), "c4": (34, 42), "c5": (47, 60), "c6": (12, 17),
        "c7": (72, 75), "c8": (72, 76), "c9": (24, 28), "c10": (12, 29), "c11": (0, 7),
    }
    assert {name: span_of(t, text) for name, (_, _, t, text, _) in CODINGS.items()} == expected
    assert report_project.store.codings.count() == 11
