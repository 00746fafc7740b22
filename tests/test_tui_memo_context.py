"""The code memo dialog shows the code's definition in the interface language (issue 12), else in the
language the codebook gives it in."""

from __future__ import annotations

import pytest

from qcode.i18n import set_language
from qcode.project.codebook_loading import load_codebook_into
from qcode.project.project import Project
from qcode.tui.dialogs.memo import MemoDialog
from tests.tui_support import make_app, make_project, run_scenario, until

CODEBOOK = """\
codes:
  - id: A
    name: {zh: 回应迟缓, en: Slow replies}
    key: a1
    definition: {zh: 留言很久才得到回复。, en: Messages wait long for a reply.}
  - id: B
    name: {zh: 人员不足, en: Understaffing}
    key: b1
    definition: {zh: 只有一人负责运营。}
"""


@pytest.fixture
def root(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "codebooks" / "defs.yaml").write_text(CODEBOOK, encoding="utf-8")
    with Project.open(root) as project:
        load_codebook_into(project, root / "codebooks" / "defs.yaml")
    return root


def memo_context(root, lang: str, down: int) -> str:
    async def scenario() -> str:
        app = make_app(root)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("f2", *["down"] * down, "ctrl+e")
            await until(pilot, lambda: isinstance(app.screen, MemoDialog))
            return app.screen.context

    set_language(lang)
    return run_scenario(scenario())


@pytest.mark.parametrize(("lang", "expected"), [("en", "Messages wait long for a reply."), ("zh", "留言很久才得到回复。")])
def test_the_definition_is_in_the_interface_language(root, lang, expected):
    assert memo_context(root, lang, 0) == expected


def test_a_definition_given_in_one_language_only_is_shown_in_it(root):
    assert memo_context(root, "en", 1) == "只有一人负责运营。"
