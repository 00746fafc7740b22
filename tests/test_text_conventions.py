"""Transcripts as they arrive (issue 13): every convention in tests/samples/conventions, as .txt/.md, as a
.docx made from the same lines, and as subtitles: speakers, turn times, metadata, and what never becomes
a unit (headers, front matter, headings, images, HTML blocks, stray `**`, timestamps, cue numbers)."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.project.importing import lay_out
from qcode.text.layout import parse_layout
from qcode.text.readers import read_transcript
from qcode.text.turns import SpeakerPattern

SAMPLES = Path(__file__).resolve().parent / "samples" / "conventions"

# file -> (speakers with their turn counts in order of first turn, times of the first three turns,
#          metadata that must be kept, text that must not be in any unit)
EXPECTED = {
    "feishu-minutes.txt": (
        [("周晓岚", 2), ("宣传部 王科长", 2), ("融媒体中心 小陈", 1)], [0.0, 41.0, 135.0],
        {"header": ["临溪发布运营座谈 - 2024年4月2日", "2024年4月2日 下午 2:30|52分钟 34秒", "关键词:",
                    "公众号、留言办理、考核指标、政务服务、阅读量", "文字记录:"]},
        ["关键词", "文字记录", "52分钟", "00:41"],
    ),
    "tongyi-tingwu.txt": (
        [("潘倩祺", 2), ("李主任", 3), (None, 1)], [2.0, 15.0, 79.0],
        {"header": ["县政务公众号访谈（整理稿）", "2024-03-21 10:05:12", "时长：00:38:44"]},
        ["01:19", "00:03:10", "时长"],
    ),
    "iflytek-tingjian.txt": (
        [("说话人1", 2), ("说话人2", 2)], [5.0, 11.0, 62.0],
        {"header": ["音频文件: 临溪县融媒体中心访谈0312.mp3", "转写时间: 2024-03-12 16:20", "====="]},
        ["音频文件", "=====", "00:00:05"],
    ),
    "tencent-meeting.txt": (
        [("周晓岚", 2), ("王科长", 2), ("小陈", 1)], [8.0, 20.0, 65.0],
        {"header": ["会议主题：临溪县政务新媒体工作座谈会", "会议时间：2024/04/08 09:30-10:45", "参会人：周晓岚、王科长、小陈"]},
        ["会议主题", "(00:00:08)", "00:01:05"],
    ),
    "dingtalk.txt": (
        [("周晓岚", 2), ("镇宣传委员", 2), (None, 1)], [12.0, 30.0, 75.0],
        {"header": ["钉钉闪记", "录音时长：12分08秒", "日期：2024-04-10"]},
        ["钉钉闪记", "[00:00:12]", "00:01:20"],
    ),
    "teams-transcript.txt": (
        [("Li Wei", 2), ("Zhang Min", 2)], [3.0, 15.0, 62.0],
        {"header": ["县政务公众号访谈", "2024年4月12日, 下午2:30:12"]},
        ["0:03", "下午2:30"],
    ),
    "otter.txt": (
        [("Speaker 1", 2), ("Speaker 2", 2)], [3.0, 9.0, 41.0],
        {"header": ["County WeChat account interview", "Keywords: WeChat, public service, reply rate"]},
        ["Keywords", "0:41"],
    ),
    "wechat-interview.md": (
        [(None, 1), ("采访者", 2), ("受访者", 2), ("李炜光", 1)], [None, None, None],
        {"front_matter": {"title": "县级政务公众号的“小编”们", "author": "课题组", "date": "2024-03-25"},
         "headings": ["专访「临溪发布」小编：一天只能推一次"]},
        ["**", "![", "example.org", "<details", "访谈提纲", "号的定位", "title:", "专访", "原文链接"],
    ),
    "podcast.md": (
        [("采访者", 1), ("受访者", 2), ("Rob Pike", 1), ("主持人", 1)], [5.41, 12.02, None],
        {"front_matter": {"title": "政务新媒体播客 第12期", "speaker": "临溪之声播客", "tags": ["政务", "新媒体"]},
         "headings": ["本期嘉宾"]},
        ["**", "00:00:05", "临溪之声播客", "本期嘉宾"],
    ),
    "labels-mixed.txt": (
        [("Interviewer 1", 2), ("受访者2", 3), ("说话人A", 1), ("采访者（其他人）", 1), ("采访者", 2), (None, 1)],
        [None, None, None],
        {},
        ["00:00:01.900", "Interviewer1", "00:12"],
    ),
    "markdown-in-text.txt": (
        [("主持人", 2), ("李炜光", 2)], [None, None, None], {"headings": ["座谈记录"]}, ["**", "座谈记录"],
    ),
}


def _units_text(text: str, layout) -> list[str]:
    return [text[t.start:t.end] for t in layout.turns]


def _speakers(layout) -> list[tuple[str | None, int]]:
    counts: dict[str | None, int] = {}
    for turn in layout.turns:
        counts[turn.speaker] = counts.get(turn.speaker, 0) + 1
    return list(counts.items())


def _as_docx(text: str, path: Path) -> Path:
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(path)
    return path


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_convention_is_read_as_intended(name):
    speakers, times, metadata, never = EXPECTED[name]
    text = read_transcript(SAMPLES / name).text
    layout = parse_layout(text)
    assert _speakers(layout) == speakers
    assert [t.time for t in layout.turns[:3]] == times
    for key, value in metadata.items():
        assert layout.metadata[key] == value
    for body in _units_text(text, layout):
        assert body and body == body.strip()
        for fragment in never:
            assert fragment not in body, (fragment, body)
    # a label and its time lie outside the speech; speech never starts with a timestamp
    for turn in layout.turns:
        assert turn.label_end <= turn.start
        assert not re.match(r"[\[(（]?\d{1,2}:\d{2}", text[turn.start:turn.end])


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith((".txt", ".md"))))
def test_the_same_lines_in_a_word_document_read_the_same(name, tmp_path):
    text = read_transcript(SAMPLES / name).text
    from_word = read_transcript(_as_docx(text.rstrip("\n"), tmp_path / "sample.docx")).text
    expected = parse_layout(text)
    found = parse_layout(from_word)
    assert [(t.speaker, t.time, from_word[t.start:t.end]) for t in found.turns] == [
        (t.speaker, t.time, text[t.start:t.end]) for t in expected.turns
    ]
    assert found.metadata == expected.metadata


def test_a_front_matter_speaker_key_is_no_speaker_and_the_dialogue_is_not_one_turn():
    text = "---\nspeaker: Bloomberg Podcasts\ntitle: Go at ten\n---\n\n**Rob Pike:** Hello.\n\n**Host:** Hi.\n"
    layout = parse_layout(text)
    assert [(t.speaker, text[t.start:t.end]) for t in layout.turns] == [("Rob Pike", "Hello."), ("Host", "Hi.")]
    assert layout.metadata["front_matter"] == {"speaker": "Bloomberg Podcasts", "title": "Go at ten"}


def test_urls_times_ratios_and_yaml_keys_are_never_labels():
    text = "访谈者：开始。\nhttps://example.org/a\n15:10\n比例是 3:1\nkey: value\n受访者：好。"
    layout = parse_layout(text)
    assert [t.speaker for t in layout.turns] == ["访谈者", None, "受访者"]
    assert layout.turns[1].time == 15 * 60 + 10  # a clock time alone on a line is a turn time, not speech
    assert text[layout.turns[1].start:layout.turns[1].end] == "比例是 3:1\nkey: value"


def test_a_name_and_time_line_seen_once_in_a_plain_transcript_stays_speech():
    text = "访谈者：什么时候见面？\n我们约在 15:10\n受访者：好。"
    layout = parse_layout(text)
    assert [t.speaker for t in layout.turns] == ["访谈者", "受访者"]
    assert "我们约在 15:10" in text[layout.turns[0].start:layout.turns[0].end]


def test_a_role_alone_then_a_timestamp_line_is_one_label():
    text = "发言人1\n00:00:03\n您好。\n发言人2\n00:00:09\n好的。"
    layout = parse_layout(text)
    assert [(t.speaker, t.time, text[t.start:t.end]) for t in layout.turns] == [
        ("发言人1", 3.0, "您好。"), ("发言人2", 9.0, "好的。")]


def test_a_researchers_preamble_is_not_an_export_header():
    text = "访谈编号：A01\n访谈时间：2024年3月12日 15:10\n访谈地点：县融媒体中心\n\n访谈者：开始吧。"
    layout = parse_layout(text)
    assert "header" not in layout.metadata
    assert [text[t.start:t.end] for t in layout.turns][:3] == ["访谈编号：A01", "访谈时间：2024年3月12日 15:10",
                                                               "访谈地点：县融媒体中心"]


def test_unrecognised_labels_are_warned_about():
    text = "\n".join(["**王主任**说：开始。", "**王主任**说：好。", "**王主任**说：再见。", "王主任：一", "王主任：二", "王主任：三"])
    hints = parse_layout(text).hints
    assert any("start with **" in h for h in hints)
    assert any("'王主任：' starts 3 lines" in h for h in hints)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("zoom.vtt", [("周晓岚", 1.0, "我们开始吧，今天聊聊公众号。先请您介绍一下自己。"),
                      ("小陈", 8.1, "我在融媒体中心，负责「临溪发布」。做了四年多了。")]),
        ("teams.vtt", [("李伟", 2.12, "我们先谈谈留言办理的流程。"),
                       ("张敏", 6.01, "留言先到宣传部，再分到各个部门。一般三个工作日内答复。")]),
        ("tencent.srt", [("主持人", 1.0, "欢迎各位参加座谈。今天谈政务服务入口。"),
                         ("王科长", 65.25, "社保查询用得最多。"), (None, 70.0, "预约挂号其次。")]),
    ],
)
def test_subtitles_become_turns_with_times(name, expected):
    path = SAMPLES / name
    text = read_transcript(path).text
    layout = lay_out(text, SpeakerPattern.default(), path.suffix)
    assert [(t.speaker, t.time, text[t.start:t.end]) for t in layout.turns] == expected
    assert "-->" not in text and "WEBVTT" not in text and "<v" not in text
    # the stored text read again as an ordinary transcript gives the same turns (merge and REFI-QDA re-cut it)
    again = parse_layout(text)
    assert [(t.speaker, t.time) for t in again.turns] == [(s, time) for s, time, _ in expected]


def test_a_broken_subtitle_file_names_the_file(tmp_path):
    from qcode.errors import InputError

    bad = tmp_path / "bad.srt"
    bad.write_text("1\nnot a timing line\ntext\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_transcript(bad)
    assert "bad.srt" in str(caught.value)


_PIECES = st.sampled_from([
    "访谈者：", "受访者A：", "**采访者：**", "**李炜光****：**", "潘倩祺   01:19", "00:12", "[00:00:05] ", "# 标题",
    "![](x.png)", "<details>", "</details>", "**", "---", "关键词:", "=====", "好的。", "我们约在 15:10", "https://a.b",
    "\n", "\n\n", " ", "：", "*", "_", "Interviewer1 :", "采访者（其他人）：", "```", "> ", "- ", "说话人1 00:00:05",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_any_mix_of_conventions_gives_ordered_turns_inside_the_text(text):
    layout = parse_layout(text)
    previous_end = 0
    for turn in layout.turns:
        assert previous_end <= turn.label_start <= turn.label_end <= turn.start <= turn.end <= len(text)
        assert text[turn.start:turn.end] == text[turn.start:turn.end].strip()
        previous_end = turn.end
    for start, end, _ in layout.hidden:
        assert 0 <= start <= end <= len(text)
