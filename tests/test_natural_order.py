"""Transcripts are listed in natural order: numbers by value, so 问卷星-2 comes before 问卷星-10."""

from __future__ import annotations

from qcode.domain.natural_order import natural_sorted
from qcode.project.importing import import_transcripts
from qcode.project.project import Project


def test_numbers_inside_names_compare_by_value():
    names = ["问卷星-10", "问卷星-2", "问卷星-1", "访谈12", "访谈3", "Ann", "ann", "a7b", "a07b", "a10"]
    assert natural_sorted(names) == ["a07b", "a7b", "a10", "Ann", "ann", "访谈3", "访谈12",
                                     "问卷星-1", "问卷星-2", "问卷星-10"]


def test_a_name_without_digits_and_one_with_them_sort_without_error():
    assert natural_sorted(["x1", "x", "1", ""]) == ["", "1", "x", "x1"]


def test_the_project_lists_transcripts_in_natural_order(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    for number in (1, 2, 10, 11):
        (folder / f"问卷星-{number}.txt").write_text(f"受访者{number}：公众号很好用。\n", encoding="utf-8")
    project = Project.init(tmp_path / "proj")
    with project:
        import_transcripts(project, [folder])
        assert [t.name for t in project.store.transcripts.all()] == ["问卷星-1", "问卷星-2", "问卷星-10", "问卷星-11"]
