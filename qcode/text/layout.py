"""How a transcript is laid out: its turns, the lines that are no speech, and its metadata.

This is what an import cuts into units. It puts together, over the canonical text:

1. speaker labels of the role whitelist (`turns.SpeakerPattern`), also where Markdown emphasis hides
   them (`**采访者：** 好的`, `**[00:00:05.410] 采访者:**`), and, in emphasis, any short name followed by
   a colon (`**李炜光****：**`, `**Rob Pike:** text`);
2. ASR and meeting-export lines: `Name   01:19` alone on a line for any name that recurs; a whitelisted
   role alone on a line directly followed by a line holding only its time; lines holding only a
   timestamp (a new turn with that time, speaker unknown, unless the timestamp sits directly before or
   after a label, whose time it then is);
3. a whitelisted label glued at the end of a line after speech (`……好的。受访者：`), which starts a new
   turn there;
4. lines that never become units: YAML front matter, headings, HTML blocks, images, link-only lines,
   stray `**` (see `markdown_lines`) and an export header before the first turn (title, date,
   duration, `关键词：…`, `文字记录`, `音频文件:`, `=====`, see `asr.header_lines`).

A turn's speech never includes its label or time; a turn's body never spans a hidden line (speech on
both sides of one becomes two turns of the same speaker). Labels are never looked for inside hidden
lines, so a front-matter key `speaker: …` is no speaker.
"""

from __future__ import annotations

from typing import Any

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from qcode.i18n import N_, _, ngettext
from qcode.text import asr
from qcode.text.markdown_lines import MarkdownView, PlainOffsets, has_markdown, markdown_view
from qcode.text.turns import SpeakerPattern, Turn, _paragraph_turns, _trimmed

_WS = r"[^\S\n]"
_CLOSE = "[）)\\]】]"
# In emphasis, any short name before a colon, with an optional time before or after it.
_EMPHASIS_LABEL = re.compile(
    rf"^{_WS}*(?:[\[(（【]?{_WS}*(?P<before>{asr.TIME}){_WS}*[\])）】]?{_WS}*)?"
    r"(?P<name>[^\s\d:：\[\]【】()（）<>#*_|`][^\n:：。，,！？!?；;、\"“”]{0,23}?)"
    rf"(?:{_WS}*[\[(（【]?{_WS}*(?P<after>{asr.TIME}){_WS}*[\])）】]?)?{_WS}*[：:](?!//)"
)
_EMPHASIS_START = re.compile(r"^[^\S\n]*(?:[-+*>][^\S\n]+|\d+[.)][^\S\n]+)*[*_]")
_STARTS_BOLD = re.compile(r"^[^\S\n]*\*\*", re.MULTILINE)
_NAME_COLON_START = re.compile(r"^[^\S\n]*([^\s:：\d*#>\[【(（][^\s:：。，,！？!?]{0,9})[：:](?!//)", re.MULTILINE)
_SPEECH_END = "[。！？!?…”」』）)]"
_DELIMITER = re.compile(r"[*_]")


@dataclass(frozen=True)
class Layout:
    """The turns of a text, and what is not speech."""

    turns: list[Turn]
    hidden: list[tuple[int, int, str]]  # (start, end, kind) line ranges that are no units
    metadata: dict[str, Any] = field(default_factory=dict)  # front_matter, headings, header (lines)
    convention: str = ""
    hints: list[str] = field(default_factory=list)  # lines that look like labels but were read as speech


@dataclass(slots=True)
class _Boundary:
    start: int  # label start (a turn boundary)
    end: int  # label end
    speaker: str | None
    stamp: str | None
    kind: str


def parse_layout(text: str, pattern: SpeakerPattern | None = None, *, markdown: bool | None = None) -> Layout:
    """The layout of `text` (see the module docstring). `markdown` forces the Markdown reading on or off;
    by default it is used when the text shows Markdown signs."""
    pattern = pattern or SpeakerPattern.default()
    use_markdown = has_markdown(text) if markdown is None else markdown
    view = markdown_view(text) if use_markdown else MarkdownView()
    hidden = list(view.hidden)
    bounds = _boundaries(text, pattern, view)
    hidden = _unhide_label_lines(hidden, bounds)
    bounds = _outside(bounds, hidden)
    bounds = _attach_times(text, bounds)
    first = bounds[0].start if bounds else len(text)
    top = max((end + 1 for start, end, kind in hidden if kind == "front matter"), default=0)
    header = asr.header_lines(text, top, first)
    hidden = sorted(hidden + [(start, end, "header") for start, end in header])
    turns = _turns(text, bounds, hidden)
    metadata: dict[str, Any] = {}
    if view.front_matter is not None:
        metadata["front_matter"] = view.front_matter
    headings = [text for text, (start, end) in zip(view.headings, view.heading_spans)
                if not any(h_start < end and start < h_end for h_start, h_end in header)]
    if headings:  # a setext 'heading' made of export-header lines (`音频文件: …` over `=====`) is header
        metadata["headings"] = headings
    if header:
        metadata["header"] = [text[start:end].strip() for start, end in header]
    return Layout(turns, hidden, metadata, _convention(bounds, view, header, use_markdown),
                  _hints(text, bounds, hidden))


def _boundaries(text: str, pattern: SpeakerPattern, view: MarkdownView) -> list[_Boundary]:
    """Every turn boundary, one per line: keyed by where the label starts (its line's first non-blank
    character), the first detector to claim a line wins."""
    by_line = {label.start: _Boundary(label.start, label.end, label.speaker, label.timestamp, "labels")
               for label in pattern.labels(text)}

    def add(bound: _Boundary) -> None:
        by_line.setdefault(bound.start, bound)

    for line_start, (plain, positions) in view.plain.items():
        bound = _plain_label(text, line_start, plain, positions, pattern)
        if bound is not None:
            add(bound)
    for line in asr.name_time_lines(text):
        add(_Boundary(line.start, line.end, line.name, line.stamp, "name + time lines"))
    for line in asr.name_time_colon_labels(text, taken=by_line):
        add(_Boundary(line.start, line.end, line.name, line.stamp, "name + time labels"))
    if pattern.roles is not None:
        for bound in _glued_labels(text, pattern):
            add(bound)
    for line in asr.time_only_lines(text):
        bare = _bare_role_before(text, line, pattern)
        add(bare if bare is not None else _Boundary(line.start, line.end, None, line.stamp, "timestamp lines"))
    kept: list[_Boundary] = []
    for bound in sorted(by_line.values(), key=lambda b: b.start):
        if kept and bound.start < kept[-1].end:
            continue  # inside the label before it (a line-end label on a line that already has one)
        kept.append(bound)
    return kept


def _plain_label(text: str, line_start: int, plain: str, positions: PlainOffsets,
                 pattern: SpeakerPattern) -> _Boundary | None:
    """A label found on the plain reading of a Markdown line, mapped back onto the raw line."""
    found = pattern.labels(plain)
    speaker: str | None = None
    if found and found[0].start == len(plain) - len(plain.lstrip()):
        end, speaker, stamp, kind = found[0].end, found[0].speaker, found[0].timestamp, "labels in Markdown emphasis"
    else:
        line_end = text.find("\n", line_start)
        raw = text[line_start:(len(text) if line_end == -1 else line_end)]
        match = _EMPHASIS_LABEL.match(plain)
        if match is None or not _EMPHASIS_START.match(raw):
            return None
        name = match["name"].strip()
        if not name or name.casefold() in ("http", "https", "ftp", "mailto", "www"):
            return None
        # the emphasis must close right after the name or the colon (`**王主任**说：` is speech)
        name_end = positions[match.start("name") + len(match["name"].rstrip()) - 1] + 1
        colon = positions[match.end() - 1]
        if not (_DELIMITER.search(text, name_end, colon) or text.startswith(("*", "_"), colon + 1)):
            return None
        end, speaker, stamp, kind = match.end(), name, match["before"] or match["after"], "names in Markdown emphasis"
    raw_line_end = text.find("\n", line_start)
    raw_line_end = len(text) if raw_line_end == -1 else raw_line_end
    rest = len(plain) - len(plain[end:].lstrip())
    label_end = positions[rest] if rest < len(plain) else raw_line_end
    label_start = _trimmed(text, line_start, raw_line_end)[0]
    while label_end > label_start and text[label_end - 1] in " \t\u3000":
        label_end -= 1
    return _Boundary(label_start, label_end, speaker, stamp, kind)


def _glued_labels(text: str, pattern: SpeakerPattern) -> list[_Boundary]:
    """A whitelisted label at the end of a line right after speech: `……好的。受访者：`."""
    roles = "|".join(re.escape(r) for r in sorted(pattern.roles or (), key=len, reverse=True) if len(r) > 1)
    if not roles:
        return []
    # the role comes first in the regex (a lookbehind first would be tried at every character); the speech
    # end before it is checked on the few matches
    regex = re.compile(rf"(?P<label>(?:{roles})(?:{_WS}?[A-Za-z0-9]{{1,3}})?{_WS}*[：:]){_WS}*$", re.MULTILINE)
    speech_end = re.compile(rf"{_SPEECH_END}{_WS}*$")
    found = []
    for match in regex.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not speech_end.search(text, line_start, match.start()):
            continue
        labels = pattern.labels(match["label"])
        if labels and labels[0].end == len(match["label"]):
            found.append(_Boundary(match.start("label"), match.end("label"), labels[0].speaker, None,
                                   "labels at line ends"))
    return found


def _bare_role_before(text: str, line: asr.TimedLine, pattern: SpeakerPattern) -> _Boundary | None:
    """A whitelisted role alone on the line before a timestamp-only line (`发言人1` / `00:12`)."""
    if line.start == 0:
        return None
    prev_end = text.rfind("\n", 0, line.start)
    prev_start = text.rfind("\n", 0, prev_end) + 1
    previous = text[prev_start:prev_end]
    if not previous.strip() or len(previous) > 40:
        return None
    labels = pattern.labels(f"{previous.rstrip()} {line.stamp}")
    if len(labels) == 1 and labels[0].end >= len(previous.rstrip()) and labels[0].timestamp == line.stamp:
        start = prev_start + len(previous) - len(previous.lstrip())
        return _Boundary(start, line.end, labels[0].speaker, line.stamp, "role + time lines")
    return None


def _unhide_label_lines(hidden: list[tuple[int, int, str]], bounds: list[_Boundary]) -> list[tuple[int, int, str]]:
    """A setext 'heading' or a rule that is really a label line (`受访者：好。` over `---`) stays speech."""
    starts = [b.start for b in bounds]
    kept = []
    for start, end, kind in hidden:
        index = bisect_right(starts, start)
        if kind in ("heading", "rule") and index < len(starts) and starts[index] < end and bounds[index].kind == "labels":
            continue
        kept.append((start, end, kind))
    return kept


def _outside(bounds: list[_Boundary], hidden: list[tuple[int, int, str]]) -> list[_Boundary]:
    if not hidden:
        return bounds
    starts = [h[0] for h in hidden]
    kept = []
    for bound in bounds:
        index = bisect_right(starts, bound.start) - 1
        if index >= 0 and hidden[index][0] <= bound.start < hidden[index][1]:
            continue
        kept.append(bound)
    return kept


def _attach_times(text: str, bounds: list[_Boundary]) -> list[_Boundary]:
    """A timestamp-only line right after a label line without speech, or right before a label without a
    time, is that label's time; otherwise it starts a turn of its own."""
    kept: list[_Boundary] = []
    for index, bound in enumerate(bounds):
        if bound.kind != "timestamp lines":
            kept.append(bound)
            continue
        previous = kept[-1] if kept else None
        if (previous is not None and previous.speaker is not None and previous.stamp is None
                and not text[previous.end:bound.start].strip()):
            previous.end, previous.stamp = bound.end, bound.stamp
            continue
        following = bounds[index + 1] if index + 1 < len(bounds) else None
        if (following is not None and following.speaker is not None and following.stamp is None
                and not text[bound.end:following.start].strip()):
            following.start, following.stamp = bound.start, bound.stamp
            continue
        kept.append(bound)
    return kept


def _turns(text: str, bounds: list[_Boundary], hidden: list[tuple[int, int, str]]) -> list[Turn]:
    turns: list[Turn] = []
    first = bounds[0].start if bounds else len(text)
    for piece_start, piece_end in _pieces(0, first, hidden):
        turns.extend(_paragraph_turns(text, piece_start, piece_end))
    for index, bound in enumerate(bounds):
        body_end = bounds[index + 1].start if index + 1 < len(bounds) else len(text)
        time = asr.seconds(bound.stamp) if bound.stamp is not None else None
        if not hidden:  # the common case, kept cheap: one turn per label
            start, end = _trimmed(text, bound.end, body_end)
            if start == end:
                start = end = bound.end
            turns.append(Turn(start, end, bound.speaker, bound.start, bound.end, bound.stamp, time))
            continue
        pieces = [p for p in (_trimmed(text, s, e) for s, e in _pieces(bound.end, body_end, hidden)) if p[0] < p[1]]
        if not pieces:
            turns.append(Turn(bound.end, bound.end, bound.speaker, bound.start, bound.end, bound.stamp, time))
            continue
        (start, end), *more = pieces
        turns.append(Turn(start, end, bound.speaker, bound.start, bound.end, bound.stamp, time))
        for start, end in more:
            if bound.speaker is None:
                turns.extend(_paragraph_turns(text, start, end))
            else:
                turns.append(Turn(start, end, bound.speaker, start, start))
    return turns


def _pieces(start: int, end: int, hidden: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """`[start, end)` minus the hidden ranges."""
    if not hidden:
        return [(start, end)]
    pieces = []
    position = start
    index = max(bisect_right(hidden, (start,)) - 1, 0)
    for h_start, h_end, _kind in hidden[index:]:
        if h_start >= end:
            break
        if h_end <= position:
            continue
        if h_start > position:
            pieces.append((position, h_start))
        position = max(position, h_end)
    if position < end:
        pieces.append((position, end))
    return pieces


# How the import report names each kind of turn boundary (the kinds themselves are compared as keys).
_BOUNDARY_KINDS = {
    "labels": N_("labels"), "name + time lines": N_("name + time lines"), "name + time labels": N_("name + time labels"),
    "timestamp lines": N_("timestamp lines"), "labels in Markdown emphasis": N_("labels in Markdown emphasis"),
    "names in Markdown emphasis": N_("names in Markdown emphasis"), "labels at line ends": N_("labels at line ends"),
    "role + time lines": N_("role + time lines"),
}


def _convention(bounds: list[_Boundary], view: MarkdownView, header: list[tuple[int, int]], use_markdown: bool) -> str:
    kinds: dict[str, int] = {}
    for bound in bounds:
        kinds[bound.kind] = kinds.get(bound.kind, 0) + 1
    parts = []
    if use_markdown and (view.hidden or view.plain or view.front_matter is not None):
        parts.append(_("Markdown with front matter") if view.front_matter is not None else "Markdown")
    if header:
        parts.append(ngettext("export header ({count} line)", "export header ({count} lines)", len(header)).format(
            count=len(header)))
    parts.extend(f"{_(_BOUNDARY_KINDS.get(kind, kind))} ({count})"
                 for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1]))
    if not kinds:
        parts.append(_("paragraphs without speaker labels"))
    return "; ".join(parts)


def _hints(text: str, bounds: list[_Boundary], hidden: list[tuple[int, int, str]]) -> list[str]:
    """Warnings for lines that look like speaker labels but were read as speech."""
    label_lines = {text.rfind("\n", 0, b.start) + 1 for b in bounds}
    hidden_starts = {h[0] for h in hidden}

    def speech_line(start: int) -> bool:
        return start not in label_lines and start not in hidden_starts

    hints = []
    bold = [m.start() for m in _STARTS_BOLD.finditer(text) if speech_line(m.start())] if "**" in text else []
    if len(bold) >= 3:
        hints.append(_("{count} lines start with ** but hold no recognised speaker label (first at line {line})").format(
            count=len(bold), line=_line_number(text, bold[0])))
    for match in asr.NAME_TIME_LINE.finditer(text):
        start = match.start()  # the regexes below are anchored at line starts
        if speech_line(start) and asr.seconds(match["time"] or match["btime"]) is not None:
            hints.append(_("line {line} looks like a name and a time ({text}) but was read as speech").format(
                line=_line_number(text, start), text=repr(match.group().strip())))
            break
    prefixes: dict[str, list[int]] = {}
    for match in _NAME_COLON_START.finditer(text):
        start = match.start()
        if speech_line(start):
            prefixes.setdefault(match[1], []).append(start)
    for prefix, starts in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        if len(starts) >= 3:
            hints.append(_("'{prefix}：' starts {count} lines (first at line {line}) but is not a known speaker role; "
                           "add it to [import] extra_speaker_roles in qcode.toml").format(
                prefix=prefix, count=len(starts), line=_line_number(text, starts[0])))
    return hints


def _line_number(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1
