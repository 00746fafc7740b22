"""One Chinese word per concept, in the catalogue and the Chinese docs (a reader should never wonder
whether 编码者 and 编码员 are two different people)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from qcode.i18n import LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
# variant -> the word used everywhere (编码员 as in 编码员间信度, the methods chapter's term)
VARIANTS = {"编码者": "编码员"}


def _catalogue() -> list[tuple[str, str]]:
    with (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "qcode.po").open("rb") as file:
        return [(m.id, m.string) for m in read_po(file, locale="zh_CN") if m.id and isinstance(m.string, str)]


@pytest.mark.parametrize("variant, word", VARIANTS.items())
def test_the_catalogue_uses_one_word_per_concept(variant: str, word: str) -> None:
    wrong = [msgid for msgid, string in _catalogue() if variant in string]
    assert not wrong, f"{len(wrong)} translations say {variant} instead of {word}, e.g. {wrong[:3]}"


@pytest.mark.parametrize("variant, word", VARIANTS.items())
def test_the_chinese_docs_use_one_word_per_concept(variant: str, word: str) -> None:
    docs = [ROOT / "README.zh-CN.md", *sorted((ROOT / "docs").glob("*.zh-CN.md"))]
    wrong = [p.name for p in docs if variant in p.read_text(encoding="utf-8")]
    assert not wrong, f"{wrong} say {variant} instead of {word}"
