"""Speaker turns: find speaker labels at the starts of lines and cut the text into turns.

A label is recognised only at the start of a line (after indentation) and only for a whitelisted role,
so that lines such as `答应他们的事情…：`, `A市的情况：`, `问题：`, `注：…` or `我们12:30开会` never start a
turn. Recognised forms, with the role optionally followed by a short id (A, Ａ, 1, 12, 一, 甲, G1-03):

- `受访者A：…` with any of the colons `：` `:` `∶` `﹕`, or a tab (Word tables read as tab-separated rows);
- `【访谈者】…` and `[受访者]…`, with or without a colon;
- timestamps before or after the role: `[00:12:03] 受访者B：`, `00:13:10 访谈者：`, `受访者C（00:14:02）：`;
- a short bracketed note after the role, before the colon: `受访者A（男，45岁）：`;
- speech-recognition header lines, alone on their line with the speech on the following lines:
  `说话人1 00:15:20`, `发言人2 00:03`, `[00:12:03] 受访者B` (a role alone on a line with neither a
  timestamp nor brackets, such as a heading `访谈者`, is not a label);
- English roles in any case (`Interviewer:`, `RESPONDENT 2:`); the one-letter roles Q, A, I, R take
  only a number (`Q1:`), so `IT：` or `AB:` are not labels.

Rules:

- A turn's body runs from its label to the next label; continuation lines (and notes such as `注：…`)
  belong to it. The body is trimmed of surrounding white space and never includes the label.
- A label with no speech after it still makes a turn, with an empty body at the end of the label, so
  the sequence of speakers stays faithful to the transcript.
- Text before the first label (a metadata preamble) and text without any label are cut into
  paragraphs (blocks separated by blank lines, or single lines when there are no blank lines); these
  turns have no speaker.
- The speaker is normalised: the role as written in the whitelist plus its id with full-width letters
  and digits folded (`受访者Ａ` -> `受访者A`, `interviewer 2` -> `Interviewer 2`). A number after a
  question/answer role (`问1：`, `Q1:`) numbers the question, not the person: it stays in the label
  and the speaker is just `问` or `Q`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from os import PathLike
from typing import NamedTuple

from qcode.errors import InputError
from qcode.i18n import _
from qcode.text.decode import fold_width

DEFAULT_ROLES: tuple[str, ...] = (
    "访谈者", "访谈员", "采访者", "主持人", "受访者", "被访者", "被访人", "说话人", "发言人", "问", "答",
    "Q", "A", "I", "R", "Interviewer", "Interviewee", "Respondent", "Moderator", "Speaker",
)
# Roles whose numeric id numbers a question or answer rather than naming a person.
QUESTION_ROLES = frozenset({"问", "答", "Q", "A"})

# Setting names in the project's `qcode.toml`, quoted in error messages.
ROLES_SETTING = "[import] speaker_roles"
EXTRA_ROLES_SETTING = "[import] extra_speaker_roles"
PATTERN_SETTING = "[import] speaker_pattern"

_WS = r"[^\S\n]"  # white space within one line
_COLON = "[：:∶﹕]"
_TIME = r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:[.,]\d{1,3})?"
_ANY_TIME = (
    rf"(?:\[{_WS}*{_TIME}{_WS}*\]|\({_WS}*{_TIME}{_WS}*\)|（{_WS}*{_TIME}{_WS}*）|【{_WS}*{_TIME}{_WS}*】|{_TIME})"
)
_DIGITS = "[0-9０-９]"
_LETTER = "[A-Za-zＡ-Ｚａ-ｚ]"
_ID = (
    rf"(?:{_LETTER}{{1,2}}{_DIGITS}{{1,3}}(?:[-－_]{_DIGITS}{{1,3}}){{0,2}}"  # G1-03, AB12
    rf"|{_DIGITS}{{1,3}}(?:[-－_]{_DIGITS}{{1,3}}){{0,2}}"  # 1, 12, 1-03
    rf"|{_LETTER}"  # A, Ａ
    "|[一二三四五六七八九十]{1,3}|[甲乙丙丁戊己庚辛壬癸])"
)
# A numeric id is taken whole, and is never the hour of a timestamp that ends the label
# (`访谈者 00:12:03：` has no id "00").
_NOT_AN_HOUR = rf"(?!{_DIGITS}|[:：]\d{{2}}(?:[:：]\d{{2}})?(?:[.,]\d{{1,3}})?{_WS}*(?:{_COLON}|\t|\n|\Z))"
# A short note in brackets after the role, kept in the label: 受访者A（男，45岁）：
_NOTE = r"(?:（[^）\n]{1,30}）|\([^)\n]{1,30}\))"
_QUESTION_NUMBER = re.compile(r"[0-9]+(?:[-_][0-9]+)*|[一二三四五六七八九十]+")
_BRACKETS_AND_SPACE = "[]()（）【】 \t\u3000"
# Groups of the whitelist regex read for each label: timestamps, how it ends, then the role parts.
_LABEL_GROUPS = ("before", "after", "late", "eol", "open", "note", "role", "rid", "wrole", "wid", "letter", "lnum")
# A bracketed qualifier that names who speaks (`采访者（其他人）：`) is part of the speaker; a note with
# numbers or commas (`（男，45岁）`), a single character (`（男）`) or a stage direction (`（笑）`) is not.
_ANNOTATIONS = frozenset({"笑", "笑声", "大笑", "苦笑", "停顿", "沉默", "叹气", "插话", "听不清", "咳嗽", "打断", "音频中断"})
_NOT_A_QUALIFIER = re.compile(r"[0-9０-９,，、;；:：.。]")
_NON_SPACE = re.compile(r"\S")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_LINE_BREAK = re.compile(r"\n")


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn: the speech body `[start, end)` and, outside it, the label `[label_start, label_end)`.

    `label_start == label_end == start` when the turn has no label (preamble or paragraph turns, whose
    `speaker` is None). `timestamp` is the label's time as written, without brackets (`00:12:03`).
    """

    start: int
    end: int
    speaker: str | None
    label_start: int
    label_end: int
    timestamp: str | None = None
    time: float | None = None  # the timestamp in seconds from the start of the recording


class SpeakerLabel(NamedTuple):
    """A speaker label `[start, end)` found in the text, with the normalised speaker and its timestamp."""

    start: int
    end: int
    speaker: str
    timestamp: str | None


class SpeakerPattern:
    """How speaker labels are recognised: a role whitelist (the default) or a project's own regex.

    Build it with `default()` or `from_config()`; `parse_turns` uses it.
    """

    __slots__ = ("roles", "regex", "_scan", "_word_roles", "_speakers")

    def __init__(self, *, roles: tuple[str, ...] | None = None, regex: str | None = None,
                 source: str | PathLike[str] | None = None) -> None:
        if (roles is None) == (regex is None):
            raise ValueError("give exactly one of roles and regex")
        self.roles = roles
        self.regex = regex
        self._word_roles: dict[str, str] = {}
        self._speakers: dict[tuple[str | None, ...], str] = {}
        if roles is not None:
            self._scan = self._compile_roles(roles)
        else:
            assert regex is not None
            self._scan = _compile_user_regex(regex, source)

    @classmethod
    def default(cls) -> SpeakerPattern:
        """The built-in whitelist `DEFAULT_ROLES` (compiled once, then shared)."""
        return _default_pattern()

    @classmethod
    def from_config(
        cls,
        roles: Iterable[str] | None = None,
        extra_roles: Iterable[str] = (),
        regex: str | None = None,
        *,
        source: str | PathLike[str] | None = None,
    ) -> SpeakerPattern:
        """A project's pattern: `roles` replaces the whitelist, `extra_roles` extends it, or `regex` replaces
        role matching altogether.

        The regex needs a named group `speaker` (and may have `time`); it is searched in MULTILINE mode and
        a match counts only where it starts a line (after white space; write `^[ \t]*` to allow indentation
        when anchoring with `^`). The whole match, trimmed, is the label. Bad settings raise `InputError`
        naming the setting (and `source`, the config file, if given).
        """
        extra = tuple(extra_roles)
        if regex is not None:
            if roles is not None or extra:
                given = ROLES_SETTING if roles is not None else EXTRA_ROLES_SETTING
                raise InputError(_("{setting} replaces the role list; remove either it or {other}").format(
                    setting=PATTERN_SETTING, other=given),
                                 path=source)
            return cls(regex=regex, source=source)
        if roles is None and not extra:
            return cls.default()
        chosen = DEFAULT_ROLES if roles is None else _checked_roles(roles, ROLES_SETTING, source)
        combined = chosen + _checked_roles(extra, EXTRA_ROLES_SETTING, source)
        return cls(roles=tuple(dict.fromkeys(combined)))

    def __repr__(self) -> str:
        return f"SpeakerPattern(regex={self.regex!r})" if self.regex else f"SpeakerPattern(roles={self.roles!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SpeakerPattern) and (self.roles, self.regex) == (other.roles, other.regex)

    def __hash__(self) -> int:
        return hash((self.roles, self.regex))

    def labels(self, text: str) -> list[SpeakerLabel]:
        """Every speaker label in `text`, in order."""
        matches = self._scan.finditer(text)
        if self.regex is None:
            candidates = [self._role_label(match) for match in matches]
        else:
            candidates = [_user_label(text, match) for match in matches]
        return [label for label in candidates if label is not None]

    def _compile_roles(self, roles: tuple[str, ...]) -> re.Pattern[str]:
        """The whitelist regex: roles by kind, because ids attach differently to each kind."""
        letters = [r for r in roles if len(r) == 1 and r.isascii() and r.isalpha()]
        words = [r for r in roles if len(r) > 1 and r.isascii()]
        others = [r for r in roles if r not in letters and r not in words]
        self._word_roles = {w.casefold(): w for w in words}
        letter_classes = [f"[{c}{chr(ord(c) + 0xFEE0)}]" for c in letters]  # Q or full-width Ｑ
        alternatives = (
            # CJK roles: the id may follow directly (受访者A) or after one space
            rf"(?P<role>{_alternation(others)})(?:{_WS}?(?P<rid>{_ID}){_NOT_AN_HOUR})?",
            # English words, in any case: an id after a space (Speaker 1) or a number glued on (Interviewer1)
            rf"(?P<wrole>(?i:{_alternation(words)}))(?:(?:{_WS}|(?={_DIGITS}))(?P<wid>{_ID}){_NOT_AN_HOUR})?",
            # Q, A, I, R: only a number may follow (Q1)
            rf"(?P<letter>{'|'.join(letter_classes) or '(?!)'})(?P<lnum>{_DIGITS}{{1,3}}{_NOT_AN_HOUR})?",
        )
        role = "(?:" + "|".join(alternatives) + ")"
        return re.compile(
            rf"^{_WS}*(?P<label>"
            rf"(?:(?P<before>{_ANY_TIME}){_WS}*)?"
            rf"(?P<open>[【\[]{_WS}*)?{role}(?(open){_WS}*[】\]])"
            rf"(?:{_WS}*(?P<after>{_ANY_TIME})|{_WS}*(?P<note>{_NOTE}))?"
            # how the label ends: a colon or tab before the speech; the end of the line (a header
            # line, accepted only with a timestamp or brackets); or, after brackets, nothing at all
            rf"(?:{_WS}*{_COLON}|{_WS}*\t|(?P<eol>{_WS}*(?=\n|\Z))|(?(open)|(?!)))"
            # a timestamp right after the colon is the turn's time too: `采访者: [00:00:01.900] 可以了吗？`
            rf"(?:(?<![\n\t]){_WS}*(?P<late>{_ANY_TIME})(?={_WS}|\n|\Z))?"
            ")",
            re.MULTILINE,
        )

    def _role_label(self, match: re.Match[str]) -> SpeakerLabel | None:
        before, after, late, eol, opened, note, *role_groups = match.group(*_LABEL_GROUPS)
        time = before or after or late
        if eol is not None and opened is None and time is None:
            return None  # a role alone on a line, e.g. a heading "访谈者", is not a label
        key = (note, *role_groups)
        speaker = self._speakers.get(key)
        if speaker is None:  # few distinct labels per transcript: normalise each once
            speaker = self._speakers[key] = self._normalised_speaker(*role_groups) + _qualifier(note)
        label_end = match.start("eol") if eol is not None else match.end("label")
        stamp = time.strip(_BRACKETS_AND_SPACE) if time is not None else None
        return SpeakerLabel(match.start("label"), label_end, speaker, stamp)

    def _normalised_speaker(self, role: str | None, rid: str | None, wrole: str | None, wid: str | None,
                            letter: str | None, lnum: str | None) -> str:
        if role is not None:
            ident, separator = rid, ""
        elif wrole is not None:
            role, ident, separator = self._word_roles[wrole.casefold()], wid, " "
        else:
            assert letter is not None
            role, ident, separator = fold_width(letter), lnum, ""
        if ident is None:
            return role
        ident = fold_width(ident)
        if role in QUESTION_ROLES and _QUESTION_NUMBER.fullmatch(ident):
            return role
        return role + separator + ident


def _qualifier(note: str | None) -> str:
    """The note kept in the speaker's name when it is a qualifier (see `_ANNOTATIONS`), else ''."""
    if note is None:
        return ""
    inner = note[1:-1].strip()
    if len(inner) < 2 or inner in _ANNOTATIONS or _NOT_A_QUALIFIER.search(inner):
        return ""
    return note


def parse_turns(text: str, pattern: SpeakerPattern | None = None) -> list[Turn]:
    """Cut `text` into speaker turns (see the module docstring); `pattern` defaults to the whitelist."""
    labels = (pattern or SpeakerPattern.default()).labels(text)
    if not labels:
        return _paragraph_turns(text, 0, len(text))
    turns = _paragraph_turns(text, 0, labels[0].start)
    for index, label in enumerate(labels):
        body_end = labels[index + 1].start if index + 1 < len(labels) else len(text)
        start, end = _trimmed(text, label.end, body_end)
        turns.append(Turn(start, end, label.speaker, label.start, label.end, label.timestamp))
    return turns


def _paragraph_turns(text: str, start: int, end: int) -> list[Turn]:
    """Speakerless turns for `[start, end)`: blank-line paragraphs, or lines if there are no blank lines."""
    start, end = _trimmed(text, start, end)
    if start == end:
        return []
    separator = _BLANK_LINE if _BLANK_LINE.search(text, start, end) else _LINE_BREAK
    turns: list[Turn] = []
    piece_start = start
    for boundary in (*separator.finditer(text, start, end), None):
        piece_end = boundary.start() if boundary is not None else end
        body_start, body_end = _trimmed(text, piece_start, piece_end)
        if body_start < body_end:
            turns.append(Turn(body_start, body_end, None, body_start, body_start))
        if boundary is not None:
            piece_start = boundary.end()
    return turns


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """`[start, end)` without leading and trailing white space; `(start, start)` if nothing is left."""
    first = _NON_SPACE.search(text, start, end)
    if first is None:
        return start, start
    return first.start(), start + len(text[start:end].rstrip())


def _alternation(words: Iterable[str]) -> str:
    """Words as a regex alternation, longest first so that a role is never cut short by a shorter role
    that is its prefix; no words give a never-matching pattern, so that every named group exists."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


def _checked_roles(roles: Iterable[str], setting: str, source: str | PathLike[str] | None) -> tuple[str, ...]:
    checked = []
    for role in roles:
        if not isinstance(role, str) or not role.strip() or role != role.strip() or "\n" in role:
            raise InputError(_("{setting}: {role} is not a usable role (a non-empty word without surrounding "
                               "spaces or line breaks)").format(setting=setting, role=repr(role)), path=source)
        checked.append(role)
    return tuple(checked)


def _compile_user_regex(regex: str, source: str | PathLike[str] | None) -> re.Pattern[str]:
    try:
        compiled = re.compile(regex, re.MULTILINE)
    except re.error as exc:
        raise InputError(_("{setting} is not a valid regular expression: {reason} (at character {position})").format(
            setting=PATTERN_SETTING, reason=exc.msg, position=(exc.pos or 0) + 1), path=source) from None
    if "speaker" not in compiled.groupindex:
        raise InputError(_("{setting} needs a named group (?P<speaker>...) around the speaker's name").format(
            setting=PATTERN_SETTING), path=source)
    if compiled.match("") is not None:
        raise InputError(_("{setting} matches an empty line; it must match a speaker label").format(
            setting=PATTERN_SETTING), path=source)
    return compiled


def _user_label(text: str, match: re.Match[str]) -> SpeakerLabel | None:
    """A label found by a project regex, kept only if it starts a line and names a speaker."""
    speaker = (match["speaker"] or "").strip()
    matched = match.group()
    start = match.start() + len(matched) - len(matched.lstrip())
    end = match.start() + len(matched.rstrip())
    line_start = text.rfind("\n", 0, start) + 1
    if not speaker or start >= end or text[line_start:start].strip():
        return None
    time = match.groupdict().get("time")
    return SpeakerLabel(start, end, fold_width(speaker), time.strip(_BRACKETS_AND_SPACE) if time else None)


@cache
def _default_pattern() -> SpeakerPattern:
    return SpeakerPattern(roles=DEFAULT_ROLES)
