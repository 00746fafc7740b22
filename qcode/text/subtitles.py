"""Subtitle files (.vtt WebVTT, .srt SubRip): what Teams, Zoom, 腾讯会议 and most ASR tools export.

Cues are read with webvtt-py (which parses both formats, strips cue markup and reads `<v Name>` voice
tags). The stored text is written from the cues, one turn per block:

    张三  00:00:01.000
    你好，这是第一句。接着说。

    00:00:09.500
    没有标出说话人的一段。

A turn is the run of consecutive cues of one speaker (from a `<v Name>` tag or a `Name:` prefix); cues
without a speaker join while they follow each other closely. Cue numbers, timing lines and settings are
not text; the turn's time is its first cue's start and lies in the label line, outside the speech.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from qcode.errors import InputError
from qcode.i18n import _
from qcode.text.asr import seconds
from qcode.text.turns import Turn

SUBTITLE_SUFFIXES = (".vtt", ".srt")

_PREFIX = re.compile(r"^\s*(?:>>\s*)?(?P<name>[^\s\d:：<>\[\]][^:：\n。，,！？!?；;]{0,23}?)\s*[:：](?!//)\s*")
_NOT_NAMES = frozenset({"http", "https", "ftp", "mailto", "www", "note", "注"})
_UNLABELLED_GAP = 2.0  # seconds: unlabelled cues further apart than this start a new turn
_UNLABELLED_MAX = 400  # characters: an unlabelled turn is closed after about this much speech
_CJK_END = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_LABEL_LINE = re.compile(r"^(?:(?P<name>[^\n]+?)  )?(?P<time>\d{2}:\d{2}:\d{2}\.\d{3})$", re.MULTILINE)


@dataclass
class _Turn:
    speaker: str | None
    start: float
    end: float
    parts: list[str]


def subtitle_text(text: str, suffix: str, path: Path | None = None) -> str:
    """The transcript text written from the cues of a subtitle file's decoded `text`."""
    turns = _cue_turns(text, suffix, path)
    if not turns:
        raise InputError(_("no subtitle cues with text in this file"), path=path)
    blocks = []
    for turn in turns:
        stamp = _stamp(turn.start)
        label = f"{turn.speaker}  {stamp}" if turn.speaker else stamp
        blocks.append(f"{label}\n{_joined(turn.parts)}")
    return "\n\n".join(blocks) + "\n"


def subtitle_turns(text: str) -> list[Turn]:
    """The turns of a text written by `subtitle_text`: every block's first line is its label."""
    matches = [m for m in _LABEL_LINE.finditer(text) if m.start() == 0 or text[m.start() - 2:m.start()] == "\n\n"]
    turns = []
    for index, match in enumerate(matches):
        body_end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        start = match.end() + 1 if match.end() < len(text) else match.end()
        body = text[start:body_end].rstrip()
        name = match["name"]
        turns.append(Turn(start, start + len(body), name, match.start(), match.end(), match["time"],
                          seconds(match["time"])))
    return turns


def _cue_turns(text: str, suffix: str, path: Path | None) -> list[_Turn]:
    fmt = "srt" if suffix == ".srt" else "vtt"
    try:
        captions = webvtt.WebVTT.from_buffer(io.StringIO(text), format=fmt).captions
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise InputError(_("not a readable {format} subtitle file: {reason}").format(format=fmt.upper(), reason=exc),
                         path=path) from None
    turns: list[_Turn] = []
    for caption in captions:
        speech = " ".join(line.strip() for line in caption.text.split("\n") if line.strip())
        speaker = caption.voice.strip() if caption.voice else None
        if speaker is None:
            match = _PREFIX.match(speech)
            if match is not None and match["name"].strip().casefold() not in _NOT_NAMES:
                speaker, speech = match["name"].strip(), speech[match.end():]
        start, end = _seconds(caption.start), _seconds(caption.end)
        if not speech.strip():
            continue
        previous = turns[-1] if turns else None
        if previous is not None and previous.speaker == speaker and (
            speaker is not None
            or (start - previous.end <= _UNLABELLED_GAP and sum(map(len, previous.parts)) < _UNLABELLED_MAX)
        ):
            previous.parts.append(speech.strip())
            previous.end = end
        else:
            turns.append(_Turn(speaker, start, end, [speech.strip()]))
    return turns


def _seconds(stamp: str) -> float:
    value = seconds(stamp)
    return 0.0 if value is None else value


def _stamp(value: float) -> str:
    millis = round(value * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _joined(parts: list[str]) -> str:
    """Cue texts joined as running speech: no space between Chinese characters, one between words."""
    joined = parts[0]
    for part in parts[1:]:
        glue = "" if _CJK_END.search(joined) and _CJK_START.search(part) else " "
        joined += glue + part
    return joined
