"""Speaker turns: label styles, lines that are not labels, preambles, paragraphs, configuration, invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.errors import InputError
from qcode.text.sentences import sentences_of_turns
from qcode.text.turns import DEFAULT_ROLES, SpeakerPattern, Turn, parse_turns


def described(text: str, pattern: SpeakerPattern | None = None) -> list[tuple]:
    """(speaker, label text, body text, timestamp) per turn."""
    return [(t.speaker, text[t.label_start:t.label_end], text[t.start:t.end], t.timestamp)
            for t in parse_turns(text, pattern)]


@pytest.mark.parametrize(
    ("line", "speaker", "label", "timestamp"),
    [
        ("访谈者：您好", "访谈者", "访谈者：", None),
        ("受访者A：您好", "受访者A", "受访者A：", None),
        ("受访者1：您好", "受访者1", "受访者1：", None),
        ("受访者12:您好", "受访者12", "受访者12:", None),
        ("被访者∶您好", "被访者", "被访者∶", None),
        ("主持人﹕您好", "主持人", "主持人﹕", None),
        ("受访者Ａ：您好", "受访者A", "受访者Ａ：", None),
        ("受访者一：您好", "受访者一", "受访者一：", None),
        ("受访者甲：您好", "受访者甲", "受访者甲：", None),
        ("受访者 B：您好", "受访者B", "受访者 B：", None),
        ("受访者G1-03：您好", "受访者G1-03", "受访者G1-03：", None),
        ("问：您好", "问", "问：", None),
        ("答：您好", "答", "答：", None),
        ("问1：您好", "问", "问1：", None),
        ("问12：您好", "问", "问12：", None),
        ("答3：您好", "答", "答3：", None),
        ("Q: 您好", "Q", "Q:", None),
        ("A: 您好", "A", "A:", None),
        ("I: 您好", "I", "I:", None),
        ("R: 您好", "R", "R:", None),
        ("Q1: 您好", "Q", "Q1:", None),
        ("Ｑ：您好", "Q", "Ｑ：", None),
        ("R2: 您好", "R2", "R2:", None),
        ("Interviewer: 您好", "Interviewer", "Interviewer:", None),
        ("INTERVIEWER: 您好", "Interviewer", "INTERVIEWER:", None),
        ("Respondent 2: 您好", "Respondent 2", "Respondent 2:", None),
        ("【访谈者】您好", "访谈者", "【访谈者】", None),
        ("[受访者]您好", "受访者", "[受访者]", None),
        ("【受访者B】：您好", "受访者B", "【受访者B】：", None),
        ("[受访者] 您好", "受访者", "[受访者]", None),
        ("[00:12:03] 受访者B：您好", "受访者B", "[00:12:03] 受访者B：", "00:12:03"),
        ("00:13:10 访谈者：您好", "访谈者", "00:13:10 访谈者：", "00:13:10"),
        ("受访者C（00:14:02）：您好", "受访者C", "受访者C（00:14:02）：", "00:14:02"),
        ("受访者C(00:14:02):您好", "受访者C", "受访者C(00:14:02):", "00:14:02"),
        ("访谈者 00:12:03：您好", "访谈者", "访谈者 00:12:03：", "00:12:03"),
        ("【00:01】访谈者：您好", "访谈者", "【00:01】访谈者：", "00:01"),
        ("受访者A（男，45岁）：您好", "受访者A", "受访者A（男，45岁）：", None),
        ("受访者A\t您好", "受访者A", "受访者A\t", None),
        ("  访谈者：您好", "访谈者", "访谈者：", None),
        ("\u3000\u3000受访者：您好", "受访者", "受访者：", None),
    ],
)
def test_label_styles(line, speaker, label, timestamp):
    text = f"{line}\n还有一行。"
    (turn,) = parse_turns(text)
    assert turn.speaker == speaker
    assert text[turn.label_start:turn.label_end] == label
    assert text[turn.start:turn.end] == "您好\n还有一行。"
    assert turn.timestamp == timestamp
    assert turn.label_start == text.index(label) and turn.label_end <= turn.start


def test_exact_offsets():
    text = "访谈者：你好。\n[00:00:16] 受访者B： 好的\n接着说。\n"
    assert parse_turns(text) == [
        Turn(4, 7, "访谈者", 0, 4, None),
        Turn(25, 32, "受访者B", 8, 24, "00:00:16"),
    ]


@pytest.mark.parametrize(
    ("header", "speaker", "timestamp"),
    [("说话人1 00:15:20", "说话人1", "00:15:20"), ("发言人2 00:03", "发言人2", "00:03"),
     ("Speaker 1 00:01:02", "Speaker 1", "00:01:02"), ("[00:12:03] 受访者B", "受访者B", "00:12:03"),
     ("  说话人3  01:02:03.500  ", "说话人3", "01:02:03.500")],
)
def test_speech_recognition_header_lines(header, speaker, timestamp):
    text = f"{header}\n第一句话。\n第二句话。\n\n说话人2 00:16:01\n回答。"
    first, second = parse_turns(text)
    assert (first.speaker, first.timestamp) == (speaker, timestamp)
    assert text[first.label_start:first.label_end] == header.strip()
    assert text[first.start:first.end] == "第一句话。\n第二句话。"
    assert (second.speaker, text[second.start:second.end]) == ("说话人2", "回答。")


@pytest.mark.parametrize(
    "line",
    ["答应他们的事情，我们一直记着：", "A市的情况：比较复杂", "问题：人手不够", "我们12:30开会：", "注：录音中断",
     "受访者编号：A03", "访谈者", "说话人1", "12:30 我们开会", "Interviewers: plural", "受访者A市：", "问一下：",
     "IT：系统", "[听不清]", "受访者A（男）"],
)
def test_lines_that_are_not_labels_continue_the_turn(line):
    text = f"访谈者：开始。\n{line}\n最后一句。"
    (turn,) = parse_turns(text)
    assert text[turn.start:turn.end] == f"开始。\n{line}\n最后一句。"


def test_labels_only_start_lines():
    assert described("访谈者：他说受访者：不对。") == [("访谈者", "访谈者：", "他说受访者：不对。", None)]


def test_continuation_lines_and_notes_belong_to_the_current_turn():
    text = "受访者A：第一段。\n\n第二段。\n注：笑声\n访谈者：好。"
    assert described(text) == [
        ("受访者A", "受访者A：", "第一段。\n\n第二段。\n注：笑声", None),
        ("访谈者", "访谈者：", "好。", None),
    ]


def test_preamble_lines_are_speakerless_turns():
    text = "访谈编号：A01\n访谈时间：2024年3月12日 15:10\n\n访谈者：开始吧。"
    assert described(text) == [
        (None, "", "访谈编号：A01", None),
        (None, "", "访谈时间：2024年3月12日 15:10", None),
        ("访谈者", "访谈者：", "开始吧。", None),
    ]


def test_text_without_labels_falls_back_to_paragraphs():
    text = "\n第一段第一行\n第一段第二行\n  \n\n第二段。\n"
    turns = parse_turns(text)
    assert turns == [Turn(1, 14, None, 1, 1), Turn(19, 23, None, 19, 19)]


def test_text_without_labels_or_blank_lines_falls_back_to_lines():
    text = "第一行。\n  第二行。  \n第三行。"
    assert [text[t.start:t.end] for t in parse_turns(text)] == ["第一行。", "第二行。", "第三行。"]


def test_white_space_only_text_has_no_turns():
    assert parse_turns(" \n\t\n") == []
    assert parse_turns("") == []


def test_a_label_without_speech_keeps_an_empty_turn():
    text = "访谈者：\n受访者：\n\n访谈者：好。"
    turns = parse_turns(text)
    assert [t.speaker for t in turns] == ["访谈者", "受访者", "访谈者"]
    assert (turns[0].start, turns[0].end) == (4, 4) == (turns[0].label_end, turns[0].label_end)
    assert turns[1].start == turns[1].end == 9


def test_bracketed_role_alone_on_a_line_is_a_header():
    text = "【访谈者】\n请讲。\n【受访者】\n好。"
    assert described(text) == [("访谈者", "【访谈者】", "请讲。", None), ("受访者", "【受访者】", "好。", None)]


# --- configuration --------------------------------------------------------------------------------


def test_extra_roles_extend_the_whitelist():
    pattern = SpeakerPattern.from_config(extra_roles=["调研员"])
    assert described("调研员：请讲。\n受访者2：好。", pattern) == [
        ("调研员", "调研员：", "请讲。", None), ("受访者2", "受访者2：", "好。", None)]
    assert pattern.roles == (*DEFAULT_ROLES, "调研员")


def test_roles_replace_the_whitelist():
    pattern = SpeakerPattern.from_config(roles=["访谈员", "群众"])
    assert described("访谈员：请讲。\n受访者：这行不是标签。\n群众A：好。", pattern) == [
        ("访谈员", "访谈员：", "请讲。\n受访者：这行不是标签。", None), ("群众A", "群众A：", "好。", None)]


def test_no_settings_give_the_shared_default():
    assert SpeakerPattern.from_config() is SpeakerPattern.default()
    assert SpeakerPattern.from_config(roles=DEFAULT_ROLES) == SpeakerPattern.default()


def test_regex_setting_with_speaker_and_time_groups():
    pattern = SpeakerPattern.from_config(regex=r"^[ \t]*(?P<speaker>G\d+-\d+)(?:\s+(?P<time>\d\d:\d\d))?[:：]")
    text = "G1-03 00:10：开始。\n访谈者：这行不算。\n  G2-11：好。\n他说G3-01：不算。"
    assert described(text, pattern) == [
        ("G1-03", "G1-03 00:10：", "开始。\n访谈者：这行不算。", "00:10"),
        ("G2-11", "G2-11：", "好。\n他说G3-01：不算。", None),
    ]


def test_regex_setting_matches_only_at_line_starts():
    pattern = SpeakerPattern.from_config(regex=r"(?P<speaker>G\d+)：")
    assert described("G1：开始。他说G2：不算。\nG3：好。", pattern) == [
        ("G1", "G1：", "开始。他说G2：不算。", None), ("G3", "G3：", "好。", None)]


def test_regex_setting_may_use_global_flags():
    pattern = SpeakerPattern.from_config(regex=r"(?i)^(?P<speaker>interviewer|respondent):")
    assert [t.speaker for t in parse_turns("INTERVIEWER: hi\nRespondent: hello", pattern)] == ["INTERVIEWER",
                                                                                            "Respondent"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"regex": "(?P<speaker>[A-Z"}, "speaker_pattern is not a valid regular expression"),
        ({"regex": r"^\w+："}, "needs a named group (?P<speaker>...)"),
        ({"regex": r"(?P<speaker>\w*)"}, "matches an empty line"),
        ({"regex": r"(?P<speaker>\w+)：", "extra_roles": ["调研员"]},
         "remove either it or [import] extra_speaker_roles"),
        ({"roles": ["访谈者", ""]}, "[import] speaker_roles"),
        ({"extra_roles": [" 调研员"]}, "[import] extra_speaker_roles"),
    ],
)
def test_bad_settings_name_the_setting(kwargs, fragment):
    with pytest.raises(InputError) as caught:
        SpeakerPattern.from_config(**kwargs, source="qcode.toml")
    assert fragment in str(caught.value)
    assert caught.value.problems[0].path == "qcode.toml"


# --- invariants -----------------------------------------------------------------------------------

_CHUNKS = st.sampled_from([
    "访谈者：", "受访者A：", "受访者1:", "问2：", "答：", "Q: ", "A:", "I：", "【访谈者】", "[受访者]", "被访者∶",
    "[00:12:03] ", "00:13:10 ", "（00:14:02）", "说话人1 00:15:20", "发言人2 00:03", "受访者C（00:14:02）：",
    "我觉得", "政务公开", "群众留言", "还不够", "3.5", "e.g.", "𠮷", "👍", "😀😀", "（笑）", "“好的。”", "……", "...",
    "。", "！", "？", "；", "!?", ";", "：", ":", ".", "”", "」", "）", " ", "\u3000", "\t", "\n", "\n\n", "\r",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHUNKS, max_size=40).map("".join), st.booleans())
def test_turns_and_sentences_partition_the_text(text, split_on_semicolon):
    turns = parse_turns(text)
    previous_end = 0
    for turn in turns:
        assert previous_end <= turn.label_start <= turn.label_end <= turn.start <= turn.end <= len(text)
        body = text[turn.start:turn.end]
        assert body == body.strip()
        assert body or turn.speaker is not None  # only a label can make an empty turn
        assert not text[turn.label_end:turn.start].strip()  # nothing but space between label and speech
        if turn.speaker is None:
            assert turn.label_start == turn.label_end == turn.start
        previous_end = turn.end
    # Every visible character is in exactly one label or body.
    covered = [False] * len(text)
    for turn in turns:
        for index in [*range(turn.label_start, turn.label_end), *range(turn.start, turn.end)]:
            assert not covered[index]
            covered[index] = True
    assert all(covered[i] for i, char in enumerate(text) if not char.isspace())

    sentences = sentences_of_turns(text, turns, split_on_semicolon=split_on_semicolon)
    previous = (0, 0)
    for turn_index, start, end in sentences:
        turn = turns[turn_index]
        assert turn.start <= start < end <= turn.end
        assert (turn_index, start) >= previous
        sentence = text[start:end]
        assert sentence == sentence.strip() and "\n" not in sentence
        previous = (turn_index, end)
    # Sentences cover every visible character of every body.
    in_sentence = {i for _, start, end in sentences for i in range(start, end)}
    assert all(i in in_sentence for t in turns for i in range(t.start, t.end) if not text[i].isspace())
