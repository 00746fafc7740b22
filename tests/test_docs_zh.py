"""The Chinese README and user guides stay in step with the English ones."""

from __future__ import annotations

import re

import pytest

from qcode.codebook import check_codebook_text
from tests.conftest import REPO_ROOT
from tests.test_cli_docs import all_commands

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
README_ZH = (REPO_ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
GUIDES = ("codebook", "agreement", "demo-data")


def code_blocks(text: str, language: str = "") -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_the_english_readme_starts_with_the_two_commands_and_links_the_chinese_one():
    blocks = code_blocks(README, "sh")
    assert blocks[0] == "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/qcode demo\n"
    assert blocks[1] == "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest -n auto\n"
    head = README[: README.index("---")]
    assert "(README.zh-CN.md)" in head


def test_the_chinese_readme_has_the_same_set_up_commands():
    assert code_blocks(README_ZH, "sh")[:2] == code_blocks(README, "sh")[:2]


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_the_chinese_readme_tours_every_command(path):
    assert f"qcode {' '.join(path)}" in README_ZH


@pytest.mark.parametrize("guide", GUIDES)
def test_each_guide_has_a_chinese_version_with_the_same_examples(guide):
    english = (REPO_ROOT / "docs" / f"{guide}.md").read_text(encoding="utf-8")
    chinese = (REPO_ROOT / "docs" / f"{guide}.zh-CN.md").read_text(encoding="utf-8")
    assert f"({guide}.md)" in chinese  # links back to the English page
    assert code_blocks(chinese, "yaml") == code_blocks(english, "yaml")
    assert code_blocks(chinese, "json") == code_blocks(english, "json")
    assert len(chinese) > 0.4 * len(english)  # a translation, not a stub


def test_the_chinese_codebook_guide_examples_check_as_it_says():
    page = (REPO_ROOT / "docs" / "codebook.zh-CN.md").read_text(encoding="utf-8")
    smallest, full = code_blocks(page, "yaml")[:2]
    assert check_codebook_text(smallest) == [] and check_codebook_text(full) == []
    bad = code_blocks(page[page.index("## 检查编码本"):], "yaml")[0]
    shown = re.search(r"检查输出（检查信息目前为英文）：\n\n```\n(.*?)```", page, re.S).group(1).splitlines()
    assert [str(problem) for problem in check_codebook_text(bad, "my.yaml")] == shown
