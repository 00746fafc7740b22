"""Conventions of speech-recognition and meeting exports (飞书妙记, 通义听悟, 讯飞听见, 腾讯会议, 钉钉, Teams,
Zoom, Otter): timestamps, lines that are only a timestamp, `Name   01:19` lines, and export headers.

Everything here works on whole lines found by MULTILINE regexes over the canonical text, so a 2 M
character transcript costs a few regex scans, never a Python loop per character.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from typing import NamedTuple

_WS = r"[^\S\n]"
# 01:19, 00:12:03, 1:02:03.500, 0:0:3.123 (Teams), 00:00:05,410 (SRT style)
TIME = r"\d{1,3}[:：]\d{1,2}(?:[:：]\d{1,2})?(?:[.,]\d{1,3})?"
_BRACKETED_TIME = rf"(?:\[{_WS}*{TIME}{_WS}*\]|\({_WS}*{TIME}{_WS}*\)|（{_WS}*{TIME}{_WS}*）|【{_WS}*{TIME}{_WS}*】)"

# A line that holds nothing but a timestamp (optionally in brackets or after a clock emoji).
TIME_ONLY_LINE = re.compile(
    rf"^{_WS}*(?:⏱|🕐)?{_WS}*(?P<time>{_BRACKETED_TIME}|{TIME}){_WS}*$", re.MULTILINE
)

# A name (any short name, not only a known role), white space or brackets, a timestamp, and nothing else
# on the line: `潘倩祺   01:19`, `Rob Pike  0:03`, `张三(00:01:05)`. The speech follows on the next lines.
_NAME = r"(?P<name>[^\s\d:：\[\]【】()（）<>#*_>|`~=+\-.,，。！？!?；;、\"“”'‘’][^\n:：。，,！？!?；;、\"“”]{0,23}?)"
_NAME_AFTER = _NAME.replace("?P<name>", "?P<name2>")
# (The lookaheads first reject long lines and lines without an early time, in C, before the name is tried.)
NAME_TIME_LINE = re.compile(
    rf"^(?=[^\n]{{3,60}}$){_WS}*{_NAME}(?:{_WS}*(?P<btime>{_BRACKETED_TIME})|{_WS}+(?P<time>{TIME})){_WS}*$", re.MULTILINE
)

# Any name with a timestamp right before or after it and a colon, speech on the same line:
# `张三(00:01:23)：好的` (腾讯会议), `[00:00:12] 张三：好的` (钉钉). The timestamp is what makes a name a label.
NAME_TIME_COLON = re.compile(
    rf"^(?=[^\n]{{0,40}}\d[:：]\d){_WS}*(?:(?P<before>{_BRACKETED_TIME}|{TIME}){_WS}*{_NAME}|{_NAME_AFTER}{_WS}*(?P<after>{_BRACKETED_TIME}|{TIME}))"
    rf"{_WS}*[：:](?!\d)", re.MULTILINE
)
_EARLY_TIME = re.compile(r"^(?=[^\n]{0,40}\d[:：]\d)", re.MULTILINE)
# A full recording time with milliseconds (`00:00:08.100`) is never a clock time in speech.
_PRECISE_TIME = re.compile(r"\d{1,2}:\d{2}:\d{2}[.,]\d{3}")

_NOT_NAMES = frozenset({"http", "https", "ftp", "mailto", "file", "www"})

_SEPARATOR = r"[=\-*_~#]{3,}"
_HEADER_KEYS = (
    "关键词", "关键字", "文字记录", "文字稿", "转写文本", "转写结果", "音频文件", "视频文件", "录音文件", "音频", "录音",
    "会议主题", "会议名称", "会议时间", "会议日期", "会议号", "时长", "录音时长", "音频时长", "日期", "时间", "标题",
    "参会人", "参会人员", "参与人", "发言人数", "智能纪要", "纪要", "摘要", "全文摘要", "章节速览", "待办", "导出时间",
    "创建时间", "创建者", "来源", "转写时间", "录音时间", "上传时间", "Keywords", "Keyword", "Transcript", "Transcription", "Duration", "Date",
    "Title", "Attendees", "Participants", "Recording", "Meeting", "Created", "Audio", "Summary",
)
_HEADER_KEY = re.compile(
    rf"^{_WS}*(?:{'|'.join(sorted(map(re.escape, _HEADER_KEYS), key=len, reverse=True))})"
    rf"{_WS}*(?:[：:|｜]|$)", re.IGNORECASE
)
_DATE = r"(?:\d{4}[年./-]\d{1,2}[月./-]\d{1,2}日?|\d{1,2}月\d{1,2}日)"
# A line that is mostly a date, maybe with a weekday, a clock time and a duration: `2024年3月5日 下午 3:00|1小时5分钟`.
_DATE_LINE = re.compile(rf"^{_WS}*{_DATE}[^\n。！？!?；;]{{0,40}}$")
_SEPARATOR_LINE = re.compile(rf"^{_WS}*{_SEPARATOR}{_WS}*$")
_SENTENCE_END = re.compile("[。！？!?；;…]")
_ENDS_WITH_COLON = re.compile(r"[：:]\s*$")


_STAMP = re.compile(r"(\d{1,3})[:：](\d{1,2})(?:[:：](\d{1,2}))?(?:[.,](\d{1,3}))?")


class TimedLine(NamedTuple):
    """A line `[start, end)` (without its newline) holding a timestamp and perhaps a name."""

    start: int
    end: int
    name: str | None
    stamp: str
    shape: str = ""  # what separates the name from the time once both are taken out: brackets or nothing


def seconds(stamp: str | None) -> float | None:
    """Seconds from the start for a timestamp as written: `01:19` (minutes:seconds), `00:12:03.5`; else None."""
    match = _STAMP.search(stamp) if stamp else None
    if match is None:
        return None
    first, second, third, fraction = match.groups()
    if third is None:
        minutes, secs = int(first), int(second)
        hours = 0
    else:
        hours, minutes, secs = int(first), int(second), int(third)
        if minutes >= 60:
            return None
    if secs >= 60:
        return None
    total = hours * 3600 + minutes * 60 + secs + (int(fraction) / 10 ** len(fraction) if fraction else 0)
    return round(float(total), 3)


def format_time(seconds: float) -> str:
    """`12:05`, or `1:02:03` from an hour on: how a turn time is shown (quotes, summaries, the coding screen)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def time_only_lines(text: str) -> Iterator[TimedLine]:
    for match in TIME_ONLY_LINE.finditer(text):
        if seconds(match["time"]) is not None:
            start = match.start() + len(match.group()) - len(match.group().lstrip())
            yield TimedLine(start, match.start() + len(match.group().rstrip()), None,
                            match["time"].strip("[]()（）【】 \t"))


def name_time_lines(text: str) -> list[TimedLine]:
    """`Name   01:19` lines whose name recurs on at least two such lines (one alone could be speech that
    happens to end in a clock time, like `我们约在 15:10`)."""
    found: list[TimedLine] = []
    for match in NAME_TIME_LINE.finditer(text):
        name = match["name"].strip()
        stamp = (match["time"] or match["btime"]).strip("[]()（）【】 \t")
        if not name or name.casefold() in _NOT_NAMES or seconds(stamp) is None:
            continue
        start = match.start("name")
        gap = match.group()[match.end("name") - match.start():].replace(stamp, "", 1).strip()
        found.append(TimedLine(start, match.start() + len(match.group().rstrip()), name, stamp, gap))
    counts: dict[str | None, int] = {}
    for line in found:
        counts[line.name] = counts.get(line.name, 0) + 1
    recurring = [line for line in found if counts[line.name] >= 2 or _PRECISE_TIME.fullmatch(line.stamp)]
    if len(recurring) < 2:
        return []
    # Once the file shows the convention, a speaker who speaks once counts too, if the line has the
    # same shape (brackets or none) as the recurring ones.
    shapes = {line.shape for line in recurring}
    return [line for line in found if line in recurring or line.shape in shapes]


def name_time_colon_labels(text: str, taken: Container[int] = ()) -> list[TimedLine]:
    """`张三(00:01:23)：` and `[00:00:12] 张三：` labels (start, end of the colon) when two or more lines have
    one; lines starting at an offset in `taken` (already labelled) are passed over without being read."""
    candidates = [start for start in (m.start() for m in _EARLY_TIME.finditer(text)) if start not in taken]
    if len(candidates) < 2:
        return []
    found: list[TimedLine] = []
    for line_start in candidates:
        match = NAME_TIME_COLON.match(text, line_start)
        if match is None:
            continue
        name = (match["name"] or match["name2"]).strip()
        stamp = (match["before"] or match["after"]).strip("[]()（）【】 \t")
        if not name or name.casefold() in _NOT_NAMES or seconds(stamp) is None:
            continue
        start = match.start() + len(match.group()) - len(match.group().lstrip())
        found.append(TimedLine(start, match.end(), name, stamp))
    counts: dict[str | None, int] = {}
    for line in found:
        counts[line.name] = counts.get(line.name, 0) + 1
    return found if sum(counts.values()) >= 2 else []


def is_header_line(line: str, *, first: bool = False) -> bool:
    """Whether a line before the first turn looks like part of an export header (title, date, duration,
    keywords, `文字记录`, `音频文件:`, `=====`). `first` allows a short title line."""
    stripped = line.strip()
    if not stripped:
        return False
    if _SEPARATOR_LINE.match(stripped) or _HEADER_KEY.match(stripped) or _DATE_LINE.match(stripped):
        return True
    return first and len(stripped) <= 60 and not _SENTENCE_END.search(stripped)


def header_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The export header at the top of `text[start:end]` (the text before the first turn) as line ranges.

    The header is the whole of that text when every line of it is header-like (blank lines allowed); a
    key line with no value (`关键词:`) takes the next line as its value. A title counts only when a
    header line follows it, so an ordinary first paragraph is never hidden, and a preamble with any
    other line (a researcher's notes on the interview) is no header at all.
    """
    lines: list[tuple[int, int]] = []
    position = start
    for raw in text[start:end].split("\n"):
        lines.append((position, position + len(raw)))
        position += len(raw) + 1
    header: list[tuple[int, int]] = []
    expecting_value = False
    title: tuple[int, int] | None = None
    for start, stop in lines:
        line = text[start:stop]
        if not line.strip():
            continue
        if expecting_value:
            header.append((start, stop))
            expecting_value = False
            continue
        if is_header_line(line):
            if title is not None:
                header.append(title)
                title = None
            header.append((start, stop))
            expecting_value = bool(_HEADER_KEY.match(line) and _ENDS_WITH_COLON.search(line))
            continue
        if not header and title is None and is_header_line(line, first=True):
            title = (start, stop)
            continue
        return []  # a preamble that is not all header (a researcher's notes) stays text, as before
    return sorted(header)
