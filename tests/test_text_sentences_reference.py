"""The array-based sentence splitter against the splitter it replaced (kept here verbatim as the reference).

Sentences are stored as units and codings point at them, so the new splitter must give exactly the
old boundaries, byte for byte: on every bundled interview, on the conventions samples, on generated
Chinese, English and mixed text with every kind of white space and line break, and on any range.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.domain.models import Unit, UnitKind
from qcode.project.config import ImportSettings
from qcode.project.importing import _preview, cut_into_units, import_transcripts, lay_out, speaker_pattern
from qcode.resources import bundled_dir
from qcode.text.decode import decode_bytes
from qcode.text.readers import read_transcript
from qcode.text import sentences as splitter
from qcode.text.sentences import _CLOSERS, _ENDERS, _SEMICOLONS, _TITLES, sentences_of_turns, split_sentences
from qcode.text.turns import parse_turns

# ---- the splitter before the arrays (qcode/text/sentences.py at c181b78), unchanged -------------------


def _old_pattern(split_on_semicolon: bool) -> re.Pattern[str]:
    enders = _ENDERS + (_SEMICOLONS if split_on_semicolon else "")
    titles = "".join(rf"(?<!\b{re.escape(title)}\.)" for title in _TITLES)
    full_stop = rf"\.(?<=[A-Za-z]{{2}}\.){titles}(?=\s|[{_CLOSERS}]|\Z)"
    end = rf"(?:[{enders}]|\.{{3,}}|{full_stop})"
    ending = rf"{end}(?:[{_CLOSERS}{enders}]+|\.{{3,}}|{full_stop}){{0,1000}}"
    return re.compile(rf"{ending}|\n")


def _old_sentences(text: str, start: int, end: int,
                   finditer: Callable[[str, int, int], Iterator[re.Match[str]]]) -> list[tuple[int, int]]:
    found = []
    begin = start
    for boundary in finditer(text, start, end):
        at = boundary.start()
        stop = at if text[at] == "\n" else boundary.end()
        piece = text[begin:stop]
        left = piece.lstrip()
        if left:
            found.append((stop - len(left), begin + len(piece.rstrip())))
        begin = boundary.end()
    piece = text[begin:end]
    left = piece.lstrip()
    if left:
        found.append((end - len(left), begin + len(piece.rstrip())))
    return found


_OLD = {flag: _old_pattern(flag) for flag in (True, False)}


def old_split(text: str, start: int, end: int, split_on_semicolon: bool = True) -> list[tuple[int, int]]:
    return _old_sentences(text, start, end, _OLD[split_on_semicolon].finditer)


# ---- the comparisons -----------------------------------------------------------------------------------

_WHITE = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2028", "\u2029", "\u3000", "\n\n", "  "]
_PIECES = st.sampled_from([
    *"。！？!?…⋯；;.”’」』）)]】〕》\"'", *_WHITE, "好", "说", "3", "e", "M", "r", "D", "A", "政务", "𠮷", "👍",
    "...", "......", "3.5", "e.g.", "U.S.", "Mr.", "Dr. ", "Fig.", "www.gov.cn", "word", "It was fine.",
    "“好！”", "我觉得还不够。", "嗯……", "受访者：", "\n访谈者：",
])


def long_split(text: str, start: int, end: int, split_on_semicolon: bool = True) -> list[tuple[int, int]]:
    """The path for long turns (`_append_long`), whatever the length."""
    starts, ends = array("q"), array("q")
    splitter._append_long(text, start, end, splitter._boundary_pattern(split_on_semicolon).finditer, starts, ends)
    return list(zip(starts, ends, strict=True))


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join), st.data(), st.booleans())
def test_same_sentences_as_the_old_splitter_on_any_text_and_range(text, data, split_on_semicolon):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = old_split(text, start, end, split_on_semicolon)
    assert split_sentences(text, start, end, split_on_semicolon=split_on_semicolon) == expected
    assert long_split(text, start, end, split_on_semicolon) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.booleans())
def test_same_sentences_as_the_old_splitter_on_arbitrary_characters(text, split_on_semicolon):
    expected = old_split(text, 0, len(text), split_on_semicolon)
    assert split_sentences(text, 0, len(text), split_on_semicolon=split_on_semicolon) == expected
    assert long_split(text, 0, len(text), split_on_semicolon) == expected


def _bundled_texts() -> list:
    texts = []
    for path in sorted(bundled_dir("transcripts").iterdir()):
        texts.append((path.name, read_transcript(path).text))
    conventions = Path(__file__).parent / "samples" / "conventions"
    for path in sorted(conventions.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".md"):
            texts.append((path.name, decode_bytes(path.read_bytes()).text))
    return [pytest.param(name, text, id=name) for name, text in texts]


@pytest.mark.parametrize(("name", "text"), _bundled_texts())
def test_same_sentences_as_the_old_splitter_on_the_bundled_and_sample_transcripts(name, text):
    # The bundled interviews are also where possessive quantifiers gave (15,16),(16,15) on Python 3.11.2.
    for flag in (True, False):
        assert split_sentences(text, 0, len(text), split_on_semicolon=flag) == old_split(text, 0, len(text), flag)
        assert long_split(text, 0, len(text), flag) == old_split(text, 0, len(text), flag)
        turns = parse_turns(text)
        expected = [(i, s, e) for i, t in enumerate(turns) for s, e in old_split(text, t.start, t.end, flag)]
        assert sentences_of_turns(text, turns, split_on_semicolon=flag) == expected


def test_same_sentences_on_long_lines_and_long_runs():
    one_line = "受访者A：" + "我们这个号是二〇一六年开的。说实话，阅读量一直上不去！“一网通办”推了以后？" * 2000
    runs = "好" + "。" * 5000 + "嗯" + "." * 4000 + " " * 3000 + "对" + "\n" * 50 + "”" * 2500 + "完。 \n  "
    english = "It was fine. Really fine. " * 500 + "Mr. Li and Dr. Wang agreed... e.g. the portal.\n" * 200
    short_lines = "受访者：" + "我们这个号是二〇一六年开的\n  " * 300 + "好的。\n" * 300 + "a\n" * 500
    paragraphs = ("  " + "说实话，阅读量一直上不去！" * 30 + "  \n\n") * 20  # long lines, white space at the breaks
    for text in (one_line, runs, english, short_lines, paragraphs, runs + one_line + english + short_lines):
        for flag in (True, False):
            expected = old_split(text, 0, len(text), flag)
            assert split_sentences(text, 0, len(text), split_on_semicolon=flag) == expected
            assert long_split(text, 0, len(text), flag) == expected
    for text in (one_line, english, paragraphs):  # long turns with few line breaks take the C-speed path
        assert len(text) >= splitter._LONG_TURN and text.count("\n") * splitter._LONG_LINE < len(text)


def test_regex_white_space_is_what_strip_removes():
    # The new splitter trims with \s / \S in regexes where the old one used str.strip().
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    assert re.findall(r"\s", everything) == [c for c in everything if c.isspace()]
    assert "".join(c for c in everything if c.isspace()).strip() == ""


def _old_units(text: str, turns: list, split_on_semicolon: bool) -> list[Unit]:
    """cut_into_units before the arrays: turns, then a Unit per sentence."""
    units = [Unit(UnitKind.TURN, i, t.start, t.end, t.speaker, None, t.label_start, t.label_end, t.time)
             for i, t in enumerate(turns)]
    units += [Unit(UnitKind.SENTENCE, i, start, end, turns[turn].speaker, turn)
              for i, (turn, start, end) in enumerate(
                  (turn, s, e) for turn, t in enumerate(turns) for s, e in old_split(text, t.start, t.end,
                                                                                         split_on_semicolon))]
    return units


@pytest.mark.parametrize(("name", "text"), _bundled_texts())
def test_units_are_the_old_units(name, text):
    pattern = speaker_pattern(ImportSettings())
    layout = lay_out(text, pattern, Path(name).suffix)
    for flag in (True, False):
        units = cut_into_units(text, pattern, split_on_semicolon=flag, layout=layout)
        assert list(units) == _old_units(text, layout.turns, flag)
        assert len(units) == len(list(units)) > len(layout.turns)


def test_imported_units_are_stored_as_the_old_units(project):
    """Through the whole import (arrays zipped into the database) the stored rows are the old units, and
    the metadata written with the text is the layout's."""
    transcripts = bundled_dir("transcripts")
    import_transcripts(project, sorted(transcripts.iterdir()))
    store = project.store
    for info in store.transcripts.all():
        text = store.transcripts.text(info.id)
        path = next(transcripts.glob(f"{info.name}.*"))
        layout = lay_out(text, speaker_pattern(ImportSettings()), path.suffix)
        stored = store.transcripts.units(info.id, UnitKind.TURN) + store.transcripts.units(info.id, UnitKind.SENTENCE)
        assert stored == _old_units(text, layout.turns, True), info.name
        assert store.transcripts.metadata(info.id) == {"convention": layout.convention, **layout.metadata}
        assert store.transcripts.sentence_spans(info.id) == [
            (unit.index, unit.start, unit.end) for unit in store.transcripts.units(info.id, UnitKind.SENTENCE)]


def _old_preview(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["好", "word", " ", "\n", "\u3000", " " * 50, "说实话" * 30]), max_size=80).map("".join),
       st.data())
def test_the_import_preview_of_a_turn_is_the_old_one(text, data):
    # The summary flattens only the start of a long turn; the preview must not change.
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert _preview(text, start, end) == _old_preview(text[start:end])
