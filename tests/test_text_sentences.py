"""Sentence splitting inside turns: enders, ellipses, closers, dots that end nothing, semicolons, offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.text.sentences import sentences_of_turns, split_sentences
from qcode.text.turns import parse_turns


def sentences(text: str, **kwargs) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, 0, len(text), **kwargs)]


def test_runs_of_enders_and_ellipses():
    text = "我觉得还不够。群众留言太多了！有时候回不过来；说实话……人手不够。"
    assert sentences(text) == ["我觉得还不够。", "群众留言太多了！", "有时候回不过来；", "说实话……", "人手不够。"]


def test_closers_stay_attached_and_numbers_do_not_split():
    text = "“信息要及时。”他说。版本是3.5。真的吗？！好……不过"
    assert sentences(text) == ["“信息要及时。”", "他说。", "版本是3.5。", "真的吗？！", "好……", "不过"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("他说：“好！”」然后走了。", ["他说：“好！”」", "然后走了。"]),
        ("（这个我不清楚。）下一个？", ["（这个我不清楚。）", "下一个？"]),
        ("《通知》说了。【备注】完。", ["《通知》说了。", "【备注】完。"]),
        ("『好？』〕对", ["『好？』〕", "对"]),
        ("He said \"fine.\" OK!) Next", ["He said \"fine.\"", "OK!)", "Next"]),
        ("It's 'odd?' yes", ["It's 'odd?'", "yes"]),
    ],
)
def test_closers(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("然后⋯⋯我们就走了。", ["然后⋯⋯", "我们就走了。"]),
        ("我想想...好吧", ["我想想...", "好吧"]),
        ("嗯.....好", ["嗯.....", "好"]),
        ("两个点..不算", ["两个点..不算"]),
        ("啊?!怎么会!?", ["啊?!", "怎么会!?"]),
        ("……", ["……"]),
    ],
)
def test_ellipses_and_ascii_enders(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("增长了3.5个百分点。", ["增长了3.5个百分点。"]),
        ("e.g. the portal works. Then", ["e.g. the portal works.", "Then"]),
        ("The U.S. model is different. OK", ["The U.S. model is different.", "OK"]),
        ("Mr. Li and Dr. Wang agreed.", ["Mr. Li and Dr. Wang agreed."]),
        ("See www.gov.cn for it", ["See www.gov.cn for it"]),
        ("It was fine. Really fine.", ["It was fine.", "Really fine."]),
        ("版本2.0.1发布了", ["版本2.0.1发布了"]),
        ("A. 选项一", ["A. 选项一"]),
    ],
)
def test_dots(text, expected):
    assert sentences(text) == expected


def test_line_breaks_end_sentences_and_white_space_is_trimmed():
    text = "  第一行没有标点  \n\t第二行。 第三句 \n\n  \n最后"
    assert sentences(text) == ["第一行没有标点", "第二行。", "第三句", "最后"]


def test_semicolons_split_only_when_enabled():
    text = "一方面要公开；另一方面要保密; 对吧。"
    assert sentences(text) == ["一方面要公开；", "另一方面要保密;", "对吧。"]
    assert sentences(text, split_on_semicolon=False) == ["一方面要公开；另一方面要保密; 对吧。"]


def test_no_empty_sentences():
    assert split_sentences("  \n \u3000 ", 0, 5) == []
    assert split_sentences("", 0, 0) == []


def test_offsets_index_the_whole_text_and_stay_inside_the_range():
    text = "访谈者：前一句。后一句！\n受访者：不算。"
    start, end = 4, text.index("\n")
    assert split_sentences(text, start, end) == [(4, 8), (8, 12)]
    assert split_sentences(text, 4, 7) == [(4, 7)]  # cut short by the range: nothing past `end`


def test_non_bmp_characters_count_as_one_offset():
    text = "我姓𠮷。👍好的！"
    assert split_sentences(text, 0, len(text)) == [(0, 4), (4, 8)]


def test_sentences_of_turns_carry_their_turn_index_in_order():
    text = "访谈编号：A01\n访谈者：你好。请讲！\n受访者：\n访谈者：嗯；对。"
    turns = parse_turns(text)
    found = sentences_of_turns(text, turns)
    assert [(index, text[start:end]) for index, start, end in found] == [
        (0, "访谈编号：A01"), (1, "你好。"), (1, "请讲！"), (3, "嗯；"), (3, "对。")]
    assert [text[s:e] for _, s, e in sentences_of_turns(text, turns, split_on_semicolon=False)][-1] == "嗯；对。"


def test_sentences_of_turns_match_splitting_each_turn():
    text = "受访者A：第一。第二……\n继续说\n访谈者：好?"
    turns = parse_turns(text)
    expected = [(i, s, e) for i, t in enumerate(turns) for s, e in split_sentences(text, t.start, t.end)]
    assert sentences_of_turns(text, turns) == expected


_PIECES = st.sampled_from(
    [*"。！？!?…⋯；;.”’」』）)]】〕》\"' \t\n\u3000好说3eMrDr", "𠮷", "👍", "...", "3.5", "e.g.", "Mr."]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join), st.data(), st.booleans())
def test_sentences_tile_the_visible_text_of_any_range(text, data, split_on_semicolon):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    found = split_sentences(text, start, end, split_on_semicolon=split_on_semicolon)
    previous_end = start
    for sentence_start, sentence_end in found:
        assert previous_end <= sentence_start < sentence_end <= end
        sentence = text[sentence_start:sentence_end]
        assert sentence == sentence.strip() and "\n" not in sentence
        assert not text[previous_end:sentence_start].strip()  # only white space between sentences
        previous_end = sentence_end
    assert not text[previous_end:end].strip()


def test_the_bundled_interviews_split_into_ordered_sentences_that_cover_every_visible_character():
    # Possessive quantifiers gave spans like (15,16),(16,15) and never finished on Python 3.11.2.
    from qcode.resources import bundled_dir
    from qcode.text.decode import decode_bytes

    for path in sorted(bundled_dir("transcripts").glob("*.txt")):
        text = decode_bytes(path.read_bytes()).text
        found = split_sentences(text, 0, len(text))
        assert found, path
        assert all(a < b <= c for (a, b), (c, _) in zip(found, found[1:] + [(len(text), 0)], strict=True))
        gaps = zip([0] + [end for _, end in found], [start for start, _ in found] + [len(text)])
        assert all(not text[a:b].strip() for a, b in gaps)  # only white space outside sentences
