"""SVG snapshots of the main screens (pytest-textual-snapshot). Update with `pytest --snapshot-update`
after a deliberate change, and look at the pictures before committing them."""

from __future__ import annotations

import pytest

from qcode.project.coding import CodingSession
from qcode.project.project import Project
from tests.tui_support import TEXT, make_app, make_project


@pytest.fixture
def root(tmp_path):
    root = make_project(tmp_path / "proj")
    with Project.open(root) as project:
        info = project.store.transcripts.by_name("t1")
        ann = CodingSession(project.store, "ann")
        whole = TEXT.index("就我"), TEXT.index("老问题！") + 4
        ann.apply(info, "S.INTERACTION", *whole)  # a long span ...
        inner = TEXT.index("𠮷野家"), TEXT.index("也是我回。") + 5
        ann.apply(info, "O.STAFF", *inner)  # ... with an overlapping shorter one inside it
        ann.apply(info, "S.INFO", TEXT.index("“回复"), TEXT.index("老问题！") + 4)
        CodingSession(project.store, "bob").apply(info, "S.INFO", TEXT.index("公众号"), TEXT.index("谁在管"))
        ann.set_complete(info)
    return root


def test_transcripts_screen(snap_compare, root):
    assert snap_compare(make_app(root, transcript=None), terminal_size=(100, 24))


def test_coding_screen_with_overlapping_chinese_codings(snap_compare, root):
    assert snap_compare(make_app(root), terminal_size=(120, 30), press=["down"])


def test_code_picker(snap_compare, root):
    assert snap_compare(make_app(root), terminal_size=(100, 30), press=["enter", "h", "d"])


def test_help_screen(snap_compare, root):
    assert snap_compare(make_app(root), terminal_size=(100, 40), press=["question_mark"])
