"""docs/codebook.md stays true: its examples check as it says, and it documents every field and colour."""

from __future__ import annotations

import re
from pathlib import Path

from qcode.codebook import check_codebook_text
from qcode.codebook.colors import NAMED_COLORS
from qcode.codebook.schema import CODE_FIELDS, TOP_LEVEL_FIELDS

PAGE = (Path(__file__).resolve().parent.parent / "docs" / "codebook.md").read_text(encoding="utf-8")


def yaml_block_after(heading: str, index: int = 0) -> str:
    section = PAGE[PAGE.index(heading) :]
    return re.findall(r"```yaml\n(.*?)```", section, re.S)[index]


def test_the_smallest_and_the_full_example_are_clean():
    assert check_codebook_text(yaml_block_after("## The smallest codebook")) == []
    assert check_codebook_text(yaml_block_after("## A full example")) == []


def test_the_check_example_prints_what_the_page_shows():
    bad = yaml_block_after("## Checking a codebook")
    shown = re.search(r"the check prints:\n\n```\n(.*?)```", PAGE, re.S).group(1).splitlines()
    assert [str(problem) for problem in check_codebook_text(bad, "my.yaml")] == shown


def test_every_field_is_documented():
    documented = set(re.findall(r"^\| `(\w+)` \|", PAGE, re.M))
    assert set(TOP_LEVEL_FIELDS) <= documented
    assert set(CODE_FIELDS) - {"example"} <= documented  # `example` is documented with `examples`
    assert "`example:`" in PAGE


def test_every_colour_name_is_documented():
    colour_section = PAGE[PAGE.index("## Colours") : PAGE.index("## Keywords")]
    assert all(name in colour_section for name in NAMED_COLORS)
