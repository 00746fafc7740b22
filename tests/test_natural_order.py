"""Transcripts are listed in natural order: numbers by value, so 问卷星-2 comes before 问卷星-10."""

from __future__ import annotations

from qcode.domain.natural_order import natural_sorted
from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from tests.conftest import code_row


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


def test_the_transcripts_listing_says_one_coding_in_the_singular(tmp_path, run):
    from qcode.project.coding import CodingSession

    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "问卷星-2.txt").write_text("受访者2：公众号很好用。\n", encoding="utf-8")
    (folder / "问卷星-10.txt").write_text("受访者10：留言没人回。\n", encoding="utf-8")
    root = tmp_path / "proj"
    project = Project.init(root)
    with project:
        import_transcripts(project, [folder])
        with project.store.transaction() as tx:
            project.store.codes.replace_all(tx, [code_row("S.INFO", 0)])
        info = project.store.transcripts.by_name("问卷星-2")
        session = CodingSession(project.store, "ann")
        session.apply(info, "S.INFO", 4, 10)
        session.apply(project.store.transcripts.by_name("问卷星-10"), "S.INFO", 5, 10)
        session.apply(project.store.transcripts.by_name("问卷星-10"), "S.INFO", 6, 11)
    result = run("--project", root, "transcripts")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("问卷星")]
    assert [line.split()[0] for line in lines] == ["问卷星-2", "问卷星-10"]
    assert "ann 1/1 turns, 1 coding" in lines[0] and "1 codings" not in lines[0]
    assert "ann 1/1 turns, 2 codings" in lines[1]
