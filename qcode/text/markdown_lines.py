"""Markdown inside a transcript, read with markdown-it-py (CommonMark), line by line.

Transcripts arrive as Markdown (.md), and Markdown syntax turns up inside .txt and .docx files too.
The canonical text keeps the Markdown as written (offsets stay true to the file); this module says
which lines are not speech and what a line reads as without its inline markup:

- YAML front matter (`---` ... `---` at the very top, a YAML mapping), headings, HTML blocks (a
  `<details>` block up to its `</details>`), thematic breaks, and paragraph lines that hold only
  markup (images, stray `**`) are *hidden*: they never become units. Front matter and headings are
  kept as transcript metadata.
- A line with inline markup has a *plain* reading (emphasis, link targets and images removed, stray
  `**` runs dropped) with, for each plain character, its position in the raw line, so that a speaker
  label hidden in emphasis (`**采访者：** 好的`, `**李炜光****：**`) is found on the plain reading and
  mapped back onto the text. Outside fully parsed blocks a reading covers the line's start: up to its
  first colon and a little beyond, which is where a label can be.

Only blank-line separated blocks that show a Markdown sign are parsed, so plain transcripts cost one
regex scan.
"""

from __future__ import annotations

from typing import Any

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

# Signs that a text may hold Markdown: emphasis, images and links anywhere (found with `in`, far faster
# than a regex alternation), headings, HTML, rules and quotes at line starts.
_INLINE_SIGNS = ("*", "__", "![", "](")
_LINE_SIGNS = re.compile(r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|<[A-Za-z/!?]|(?:[-=_][ \t]*){3,}$|>)", re.MULTILINE)
# Blocks worth a full parse: a heading, HTML, a rule, a quote, an image or link at a line start, or a line
# of nothing but emphasis delimiters. Other blocks are speech; only their emphasised line starts are read
# (`_label_reading`), because markdown-it costs about 0.1 ms a call and a transcript has thousands of turns.
_BLOCK_SIGNS = re.compile(
    r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|<[A-Za-z/!?]|(?:[-=_*][ \t]*){3,}$|>|!\[|\[[^\]\n]*\]\(|[*_]{1,3}[ \t]*$)",
    re.MULTILINE,
)
_EMPHASIS_LINE = re.compile(r"^[^\S\n]*(?:[-+*][^\S\n]+|\d{1,3}[.)][^\S\n]+|>[^\S\n]?)*[*_]", re.MULTILINE)
_MARKERS = re.compile(r"[^\S\n]*(?:[-+*][^\S\n]+(?=[*_])|\d{1,3}[.)][^\S\n]+|>[^\S\n]?)*")
_COLON = re.compile(r"(?<!\d)[：:∶﹕]|[：:∶﹕](?!\d)")  # not the colon inside a time
_CLOSING = re.compile(r"[*_]*")
_DIGIT = re.compile(r"\d")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
_REST = 40  # characters after the emphasised prefix kept in a plain reading (a timestamp may follow a label)
_BLOCK_BREAK = re.compile(r"\n[^\S\n]*\n")
_DETAILS = re.compile(r"^ {0,3}<details\b.*?^[^\n]*</details>[^\n]*$", re.MULTILINE | re.DOTALL | re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---[^\S\n]*\n(.*?\n)?(?:---|\.\.\.)[^\S\n]*(?:\n|\Z)", re.DOTALL)
_STRAY_DELIMITERS = re.compile(r"\*{2,}|_{2,}")
_SKIP_CHILDREN = frozenset({"image", "html_inline"})


@dataclass
class MarkdownView:
    """What Markdown makes of a text: hidden line ranges, metadata, and plain readings of lines."""

    hidden: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, kind), sorted
    headings: list[str] = field(default_factory=list)
    heading_spans: list[tuple[int, int]] = field(default_factory=list)
    front_matter: dict[str, Any] | None = None
    # line start -> (plain reading, the text offset of each of its characters)
    plain: dict[int, tuple[str, PlainOffsets]] = field(default_factory=dict)


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True})


def has_markdown(text: str) -> bool:
    return any(sign in text for sign in _INLINE_SIGNS) or _LINE_SIGNS.search(text) is not None


def markdown_view(text: str) -> MarkdownView:
    """Read the Markdown of `text` (see the module docstring)."""
    view = MarkdownView()
    position = 0
    front = _FRONT_MATTER.match(text)
    if front is not None:
        try:
            data = yaml.load(front.group(1) or "", Loader=_YAML_LOADER)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            view.front_matter = {str(k): _plain_value(v) for k, v in data.items()}
            end = front.end() - (1 if front.group().endswith("\n") else 0)
            view.hidden.append((0, end, "front matter"))
            position = front.end()
    details = [(m.start(), m.end()) for m in _DETAILS.finditer(text, position)]
    view.hidden.extend((start, end, "html") for start, end in details)
    parsed: list[tuple[int, int]] = list(details)
    blocks = _blocks(text, position)
    block_starts = [start for start, _ in blocks]
    signed = {bisect_right(block_starts, m.start()) - 1 for m in _BLOCK_SIGNS.finditer(text, position)}
    for index in sorted(signed):  # one scan of the text, then only the blocks that showed a sign
        start, end = blocks[index]
        if any(s <= start < e for s, e in details):
            continue
        _read_block(text, start, text[start:end], view)
        parsed.append((start, end))
    parsed.sort()
    starts = [s for s, _ in parsed]
    for match in _EMPHASIS_LINE.finditer(text, position):
        line_start = match.start()
        index = bisect_right(starts, line_start) - 1
        if index >= 0 and line_start < parsed[index][1]:
            continue  # read with its whole block already
        line_end = text.find("\n", line_start)
        reading = _label_reading(text, line_start, len(text) if line_end == -1 else line_end)
        if reading is not None:
            view.plain[line_start] = reading
    view.hidden.sort()
    return view


class PlainOffsets:
    """The text offset of each character of a plain reading, kept as runs of consecutive characters
    (a reading is a few runs: building a list per character for every line would cost more than the
    rest of the import)."""

    __slots__ = ("_plain_starts", "_text_starts")

    def __init__(self, runs: list[tuple[int, int]]) -> None:  # (plain index, text offset) where a run starts
        self._plain_starts = [plain for plain, _ in runs]
        self._text_starts = [offset for _, offset in runs]

    @classmethod
    def of(cls, offsets: list[int]) -> PlainOffsets:
        runs = [(index, offset) for index, offset in enumerate(offsets)
                if index == 0 or offset != offsets[index - 1] + 1]
        return cls(runs)

    def __getitem__(self, index: int) -> int:
        run = bisect_right(self._plain_starts, index) - 1
        return self._text_starts[run] + index - self._plain_starts[run]


def _label_reading(text: str, start: int, end: int) -> tuple[str, PlainOffsets] | None:
    """The plain reading of the line `text[start:end]`, which starts with emphasis, where a label may hide:
    the part up to the first colon (and the delimiters closing it) read by markdown-it, then a little of
    the rest as written."""
    lead = _MARKERS.match(text, start, end).end()  # type: ignore[union-attr]  # the pattern matches the empty string
    colon = _COLON.search(text, lead, min(end, lead + 60))
    if colon is None:
        return None
    cut = _CLOSING.match(text, colon.end(), end).end()  # type: ignore[union-attr]  # the pattern matches the empty string
    prefix = text[lead:cut]
    runs = _inline_reading(_DIGIT.sub("0", prefix))  # digits never change emphasis: share one parse
    if runs is None:
        return None
    plain = "".join(prefix[first:first + length] for _, first, length in runs)
    offsets = PlainOffsets([(index, lead + first) for index, first, _ in runs] + [(len(plain), cut)])
    return plain + text[cut:min(end, cut + _REST)], offsets


@lru_cache(maxsize=4096)
def _inline_reading(prefix: str) -> tuple[tuple[int, int, int], ...] | None:
    """The runs of `prefix` that are text, not emphasis or other markup, by markdown-it's inline rules:
    (index in the plain reading, index in `prefix`, length)."""
    children = _parser().parseInline(prefix)[0].children or []
    plain = _STRAY_DELIMITERS.sub("", "".join(c.content for c in children if c.type in ("text", "code_inline")))
    positions = _aligned(plain, prefix)
    if positions is None:
        return None
    runs: list[list[int]] = []
    for index, position in enumerate(positions):
        if runs and position == runs[-1][1] + runs[-1][2]:
            runs[-1][2] += 1
        else:
            runs.append([index, position, 1])
    return tuple((a, b, c) for a, b, c in runs)


def _blocks(text: str, position: int) -> list[tuple[int, int]]:
    blocks = []
    for boundary in _BLOCK_BREAK.finditer(text, position):
        blocks.append((position, boundary.start()))
        position = boundary.end()
    blocks.append((position, len(text)))
    return blocks


def _read_block(text: str, offset: int, block: str, view: MarkdownView) -> None:
    line_starts = [offset]
    line_starts.extend(offset + m.end() for m in re.finditer("\n", block))

    def line_range(first: int, last: int) -> tuple[int, int]:
        end_line = min(last, len(line_starts)) - 1
        end = text.find("\n", line_starts[end_line])
        return line_starts[first], (len(text) if end == -1 or end > offset + len(block) else end)

    tokens = _parser().parse(block)
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        first, last = token.map
        if token.type == "heading_open":
            span = line_range(first, last)
            view.hidden.append((*span, "heading"))
            view.headings.append(tokens[index + 1].content.strip())
            view.heading_spans.append(span)
        elif token.type == "html_block":
            view.hidden.append((*line_range(first, last), "html"))
        elif token.type == "hr":
            view.hidden.append((*line_range(first, last), "rule"))
        elif token.type == "inline" and token.children is not None:
            _read_inline(text, line_starts[first:last], token.children, view)


def _read_inline(text: str, line_starts: list[int], children: list[Token], view: MarkdownView) -> None:
    """Split a paragraph's inline tokens at line breaks and give each line its plain reading."""
    pieces: list[list[str]] = [[]]
    marked = [False]
    outside_links = [""]  # text of each line that is not a link's text
    in_link = 0
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            pieces.append([])
            marked.append(False)
            outside_links.append("")
        elif child.type in ("text", "code_inline"):
            pieces[-1].append(child.content)
            if not in_link:
                outside_links[-1] += child.content
        elif child.type in _SKIP_CHILDREN or child.type.endswith(("_open", "_close")):
            marked[-1] = True
            in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
    for line_start, parts, has_markup, own in zip(line_starts, pieces, marked, outside_links):
        line_end = text.find("\n", line_start)
        raw = text[line_start:(len(text) if line_end == -1 else line_end)]
        plain = _STRAY_DELIMITERS.sub("", "".join(parts))
        if not plain.strip() or not _STRAY_DELIMITERS.sub("", own).strip(" \t|｜·•-—:："):
            view.hidden.append((line_start, line_start + len(raw), "markup" if not plain.strip() else "link"))
            continue
        if not has_markup and plain == raw.strip():
            continue
        positions = _aligned(plain, raw)
        if positions is not None:
            view.plain[line_start] = (plain, PlainOffsets.of([line_start + p for p in positions]))


def _aligned(plain: str, raw: str) -> list[int] | None:
    """For each character of `plain`, its index in `raw`, matching greedily in order; None if `plain` is
    not a subsequence of `raw` (entities, escapes)."""
    positions = []
    index = 0
    for char in plain:
        index = raw.find(char, index)
        if index == -1:
            return None
        positions.append(index)
        index += 1
    return positions


def _plain_value(value: object) -> object:
    """A front-matter value made JSON-safe (dates and other YAML types become strings)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain_value(v) for k, v in value.items()}
    return str(value)
