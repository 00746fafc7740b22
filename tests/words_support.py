"""The small bilingual project the word-tool tests share (`build_word_project`) and the codings some of
them add (`apply_fixture_codings`). Its segmentation is asserted token by token in
tests/test_words_index.py (`test_the_fixture_is_segmented_as_the_tests_assume`), and every hand count in
the word-tool tests is read off those token lists.
"""

from __future__ import annotations

from pathlib import Path

from qcode.codebook import parse_codebook_text
from qcode.project.codebook_loading import install_codebook
from qcode.project.coding import CodingSession
from qcode.project.importing import import_transcripts
from qcode.project.project import Project
from tests.conftest import dump

CODEBOOK = """\
codes:
  - id: S
    name: {zh: 服务, en: Service}
    codable: false
    children:
      - id: S.INTERACTION
        name: {zh: 互动回应, en: Interaction}
        keywords: [留言回复, 互动]
      - id: S.CREDIBILITY
        name: {zh: 公信力, en: Credibility}
        keywords: [权威, 辟谣]
  - id: T.SKILL
    name: {zh: 技术能力, en: Technical capability}
    keywords: [技术, official account]
  - id: E.POLICY
    name: {zh: 政策压力, en: Policy pressure}
    keywords: [政策文件]
"""

TRANSCRIPTS = {
    "访谈01": (
        "访谈者：您觉得压力大吗？\n"
        "受访者A：嗯，压力很大。就是说，留言回复要及时！\n"
        "访谈者：还有呢？\n"
        "受访者A：那个，权威性很重要，我们要辟谣。公众号的技术人员不够，问题很多。\n"
    ),
    "访谈02": (
        "访谈者：公众号怎么样？\n"
        "受访者B：我觉得公众号很好，互动也多。我认为问题是技术。\n"
    ),
    "E01": (
        "I: Do you follow the official account?\n"
        "R: Our official account is slow. The Official Account's replies are late.\n"
    ),
}

# The tokens of every sentence, in order: what jieba (with the project dictionary and the codebook's
# keywords) and the English tokenizer give. The counts in the word tests are read off these lists.
SENTENCE_TOKENS = {
    "访谈01": [
        ["您", "觉得", "压力", "大", "吗"],
        ["嗯", "压力", "很大"],
        ["就是说", "留言回复", "要", "及时"],
        ["还有", "呢"],
        ["那个", "权威性", "很", "重要", "我们", "要", "辟谣"],
        ["公众号", "的", "技术人员", "不够", "问题", "很多"],
    ],
    "访谈02": [
        ["公众号", "怎么样"],
        ["我", "觉得", "公众号", "很", "好", "互动", "也", "多"],
        ["我", "认为", "问题", "是", "技术"],
    ],
    "E01": [
        ["do", "you", "follow", "the", "official", "account"],
        ["our", "official", "account", "is", "slow"],
        ["the", "official", "account", "replies", "are", "late"],
    ],
}


def build_word_project(root: Path) -> Project:
    """A project with the codebook above and the three transcripts imported (not yet indexed)."""
    project = Project.init(root)
    install_codebook(project, parse_codebook_text(CODEBOOK), source="test codebook")
    folder = root / "transcripts"
    for name, text in TRANSCRIPTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    import_transcripts(project, [folder])
    return project


def apply_fixture_codings(project: Project) -> None:
    """alice's and bob's codings, used by the word-count and suggestion tests (hand counts there).

    alice codes T.SKILL twice in 访谈01 with overlapping spans (公众号的技术 + 技术人员不够), so 技术人员
    lies inside the union of her codings but inside neither one; her E.POLICY coding starts inside 压力.
    """
    store = project.store
    first, second = store.transcripts.by_name("访谈01"), store.transcripts.by_name("访谈02")
    one, two = store.transcripts.text(first.id), store.transcripts.text(second.id)

    def span(text: str, fragment: str) -> tuple[int, int]:
        start = text.index(fragment)
        return start, start + len(fragment)

    alice = CodingSession(store, "alice", source="test")
    alice.apply(first, "S.INTERACTION", *span(one, "留言回复要及时"))
    alice.apply(first, "S.CREDIBILITY", *span(one, "权威性很重要，我们要辟谣"))
    alice.apply(first, "T.SKILL", *span(one, "公众号的技术"))
    alice.apply(first, "T.SKILL", *span(one, "技术人员不够"))
    alice.apply(first, "E.POLICY", *span(one, "力很大"))
    alice.apply(second, "S.INTERACTION", *span(two, "公众号怎么样？"))
    alice.apply(second, "T.SKILL", *span(two, "我认为问题是技术。"))
    alice.set_complete(first)
    alice.set_complete(second)
    CodingSession(store, "bob", source="test").apply(first, "S.INTERACTION", *span(one, "问题很多"))


__all__ = ["CODEBOOK", "SENTENCE_TOKENS", "TRANSCRIPTS", "apply_fixture_codings", "build_word_project", "dump"]
